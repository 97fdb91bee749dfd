/** Kysely's SQLite dialect over Node's built-in `node:sqlite` (no native addon to build). */
import { DatabaseSync, type StatementSync } from "node:sqlite"
import type { SqliteDatabase, SqliteStatement } from "kysely"

/** Prepared statements are reused: the store issues a small, fixed set of SQL strings. */
const CACHE_SIZE = 256

export type SqliteOptions = {
  /** `FULL` makes every acknowledged commit survive a power loss, not only a process crash. */
  synchronous?: "FULL" | "NORMAL"
  /** A connection that only reads (the main thread's, beside the writer thread's). */
  readOnly?: boolean
}

export function openDatabase(path: string, options: SqliteOptions = {}): { raw: DatabaseSync; db: SqliteDatabase } {
  const raw = new DatabaseSync(path, { readOnly: options.readOnly ?? false })
  if (!options.readOnly) raw.exec("PRAGMA journal_mode = WAL")
  raw.exec(`PRAGMA synchronous = ${options.synchronous ?? "FULL"}`)
  // A reader in WAL mode never waits for the writer; the writer waits at most this long for a lock.
  raw.exec(`PRAGMA busy_timeout = ${options.readOnly ? 1000 : 5000}`)
  raw.exec("PRAGMA foreign_keys = ON")
  // A group commit runs each write in a savepoint: its statement journal stays in memory, not in
  // a temp file written page by page (a quarter of the writer's CPU at saturation).
  raw.exec("PRAGMA temp_store = MEMORY")
  // A page rewritten by many commits is copied into the database once per checkpoint: with
  // checkpoints every 10,000 pages (about 40 MB of WAL) instead of 1,000, the writer copies a
  // tenth less at saturation. Replaced content still leaves the WAL within SCRUB_INTERVAL (scrub).
  if (!options.readOnly) raw.exec("PRAGMA wal_autocheckpoint = 10000")
  // Unshared, expired and taken-down content is overwritten, not left readable in free pages.
  raw.exec("PRAGMA secure_delete = ON")
  // Each statement with whether it returns rows (asking SQLite for its columns is not free).
  const cache = new Map<string, { stmt: StatementSync; reader: boolean }>()
  const prepare = (sqlText: string): { stmt: StatementSync; reader: boolean } => {
    const hit = cache.get(sqlText)
    if (hit) return hit
    const stmt = raw.prepare(sqlText)
    const entry = { stmt, reader: stmt.columns().length > 0 }
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string)
    cache.set(sqlText, entry)
    return entry
  }
  const db: SqliteDatabase = {
    close: () => raw.close(),
    prepare(sqlText: string): SqliteStatement {
      // Another process may share the file: take the write lock when the transaction starts,
      // not at its first write, so two writers never deadlock on an upgrade. A read-only
      // connection's transaction is a snapshot: it takes no lock.
      const begin = options.readOnly ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE"
      const { stmt, reader } = prepare(/^\s*begin\s*$/i.test(sqlText) ? begin : sqlText)
      const params = (p: ReadonlyArray<unknown>) => p as Array<null | number | bigint | string | Uint8Array>
      return {
        reader,
        all: (p) => stmt.all(...params(p)),
        run: (p) => {
          const r = stmt.run(...params(p))
          return { changes: r.changes, lastInsertRowid: r.lastInsertRowid }
        },
        iterate: (p) => stmt.iterate(...params(p)) as IterableIterator<unknown>,
      }
    },
  }
  return { raw, db }
}
