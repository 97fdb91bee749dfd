/** The embedded default backend: one SQLite file through `node:sqlite`, WAL mode. */
import { mkdirSync } from "node:fs"
import { dirname } from "node:path"
import { Kysely, SqliteDialect, sql } from "kysely"
import { Migrator } from "kysely/migration"
import type { Database } from "../tables.ts"
import { kyselyStore } from "../kysely/index.ts"
import type { Store } from "../store.ts"
import { openDatabase, type SqliteOptions } from "./database.ts"
import { migrations } from "./migrations.ts"

export async function open(path: string, options: SqliteOptions = {}): Promise<Store> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true })
  const { db: database } = openDatabase(path, options)
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) })
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error } = await migrator.migrateToLatest()
  if (error) {
    await db.destroy()
    throw new Error("SQLite migration failed", { cause: error })
  }
  return kyselyStore({
    kind: "sqlite",
    db,
    groupCommit: true,
    // BEGIN IMMEDIATE already holds the database's write lock for the whole transaction.
    lockShare: (trx, id) => trx.selectFrom("share").selectAll().where("id", "=", id).executeTakeFirst(),
    // Through Kysely, so that it waits for any open transaction on the connection.
    scrub: async () => {
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db)
    },
    close: () => db.destroy(),
  })
}
