/**
 * The embedded default backend: one SQLite file through `node:sqlite`, WAL mode. Writes go to
 * a writer thread (writer.ts) that owns the only write connection and commits in groups, so
 * neither statements nor fsync run on the main thread; the main thread reads through a
 * read-only connection of its own, which WAL lets read while the writer writes.
 */
import { mkdirSync } from "node:fs"
import { dirname } from "node:path"
import { Kysely, type Selectable, SqliteDialect } from "kysely"
import type { Backend } from "../backend.ts"
import { kyselyStore } from "../kysely/index.ts"
import * as Rows from "../rows.ts"
import type { Store } from "../store.ts"
import type { Database, ShareTable } from "../tables.ts"
import { openDatabase, type SqliteOptions } from "./database.ts"
import * as Remote from "./remote.ts"

/** Every verb of the store that writes, by part: these run in the writer thread. */
const WRITES = {
  shares: ["create", "sync", "remove", "claim", "setAccess", "expire"],
  owners: ["create", "link", "touch", "addToken", "merge"],
  audit: ["add", "endBursts"],
  views: ["add", "forget"],
  settings: ["set", "once", "swap"],
  logins: ["saveCode", "takeCode", "revoke"],
} as const

const MEMORY = "sqlite::memory: cannot be shared by the writer thread and the readers; use a file"

export async function open(path: string, options: SqliteOptions = {}): Promise<Store> {
  if (path === ":memory:") throw new Error(MEMORY)
  mkdirSync(dirname(path), { recursive: true })
  const remote = await Remote.start(path, options)
  const reads = reader(path, options, () => remote.close())
  const store = reads as unknown as Record<string, Record<string, unknown>>
  for (const [part, verbs] of Object.entries(WRITES)) {
    for (const verb of verbs) store[part]![verb] = (...args: unknown[]) => remote.call(part, verb, args)
  }
  return { ...reads, scrub: () => remote.call<void>("store", "scrub", []) }
}

/**
 * A store that only reads, through a read-only connection of its own: the main thread's beside
 * the writer thread, or another thread's (Store.reader). Its writes fail.
 */
export function reader(path: string, options: SqliteOptions = {}, then?: () => Promise<void>): Store {
  if (path === ":memory:") throw new Error(MEMORY)
  const { raw, db: database } = openDatabase(path, { ...options, readOnly: true })
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) })
  const backend: Backend = {
    kind: "sqlite",
    db,
    lockShare: () => Promise.reject(new Error("the SQLite reader does not write")),
    close: async () => {
      // Kysely closes only a connection it has used: a reader that never read is closed here.
      await db.destroy()
      if (raw.isOpen) raw.close()
      await then?.()
    },
  }
  const store = kyselyStore(backend, () => Promise.reject(new Error("the SQLite reader does not write")))
  // Every request to a share reads its row: a fixed prepared statement, not a query built and
  // run through Kysely each time. It runs at once, so only while no transaction of Kysely's is
  // open on the connection (one would hold an older snapshot); else Kysely's turn is awaited.
  const byId = raw.prepare("SELECT * FROM share WHERE id = ?")
  const find = store.shares.find.bind(store.shares)
  store.shares.find = (id) => {
    if (raw.isTransaction) return find(id)
    const row = byId.get(id) as Selectable<ShareTable> | undefined
    return row ? Promise.resolve({ state: "live", share: Rows.share(row) }) : find(id)
  }
  return store
}
