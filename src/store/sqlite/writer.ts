/**
 * The SQLite writer thread: it owns the one write connection, runs the migrations, and carries
 * out every write of the store (remote.ts sends them) in group commits: what arrives while a
 * commit's fsync runs is written together in the next, so fsync never blocks the main thread
 * and concurrent syncs share one. Syncs take the prepared-statement path (sync.ts).
 */
import { parentPort, workerData } from "node:worker_threads"
import { Kysely, SqliteDialect, sql } from "kysely"
import { Migrator } from "kysely/migration"
import { ShareNotFound, ShareTooLarge, QuotaExceeded } from "../shares.ts"
import type { Backend } from "../backend.ts"
import type { Store } from "../store.ts"
import type { Database } from "../tables.ts"
import { kyselyStore, writer } from "../kysely/index.ts"
import { openDatabase, type SqliteOptions } from "./database.ts"
import { migrations } from "./migrations.ts"
import * as Fast from "./sync.ts"

export type Call = { id: number; part: string; verb: string; args: unknown[] }
export type Failure = { name: string; message: string; limit?: number; scope?: string; code?: string }
export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: Failure }

const port = parentPort
if (!port) throw new Error("sqlite/writer.ts runs in a worker thread")
const { path, options } = workerData as { path: string; options: SqliteOptions }

const { raw, db: database } = openDatabase(path, options)
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) })
const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateToLatest()
if (error) {
  port.postMessage({ ready: false, message: (error as Error).message ?? String(error) })
  process.exit(1)
}

const backend: Backend = {
  kind: "sqlite",
  db,
  groupCommit: true,
  // BEGIN IMMEDIATE already holds the database's write lock for the whole transaction.
  lockShare: (trx, id) => trx.selectFrom("share").selectAll().where("id", "=", id).executeTakeFirst(),
  close: () => db.destroy(),
}
const write = writer(backend)
const store: Store = kyselyStore(backend, write)
const statements = Fast.prepare(raw)
// The group's transaction is this same connection: the prepared statements run inside it.
store.shares.sync = (id, items, now, maxBytes, o = {}) =>
  write(async () => Fast.sync(statements, id, items, now, maxBytes, o))

const failure = (e: unknown): Failure => {
  if (e instanceof ShareTooLarge) return { name: e.name, message: e.message, limit: e.limit }
  if (e instanceof QuotaExceeded) return { name: e.name, message: e.message, limit: e.limit, scope: e.scope }
  if (e instanceof ShareNotFound) return { name: e.name, message: e.message }
  const err = e as Error & { code?: string }
  return { name: err.name ?? "Error", message: err.message ?? String(e), code: err.code }
}

async function run(call: Call): Promise<unknown> {
  if (call.part === "store" && call.verb === "scrub")
    return sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db).then(() => undefined)
  const part = (store as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>)[call.part]
  const verb = part?.[call.verb]
  if (typeof verb !== "function") throw new Error(`no write ${call.part}.${call.verb}`)
  return verb.apply(part, call.args)
}

port.on("message", (call: Call | "close") => {
  if (call === "close") {
    void db.destroy().then(() => port.postMessage("closed"))
    return
  }
  run(call).then(
    (value) => port.postMessage({ id: call.id, ok: true, value } satisfies Reply),
    (e: unknown) => port.postMessage({ id: call.id, ok: false, error: failure(e) } satisfies Reply),
  )
})
port.postMessage({ ready: true })
