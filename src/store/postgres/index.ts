/** The scale-out backend: several stateless instances on one PostgreSQL (Kysely + pg). */
import { Kysely, PostgresDialect, sql } from "kysely"
import { Migrator } from "kysely/migration"
import type { Database } from "../tables.ts"
import { kyselyStore } from "../kysely/index.ts"
import type { Store } from "../store.ts"
import { openPool, type PostgresOptions } from "./database.ts"
import { migrations } from "./migrations.ts"

export async function open(url: string, options: PostgresOptions = {}): Promise<Store> {
  const pool = openPool(url, options)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  // Kysely's PostgreSQL migrator holds an advisory lock while it runs, so instances that start
  // at once apply each migration exactly once.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error } = await migrator.migrateToLatest()
  if (error) {
    await db.destroy()
    throw new Error("PostgreSQL migration failed", { cause: error })
  }
  const store = kyselyStore({
    kind: "postgres",
    db,
    // Syncs to one share from several instances queue here, one transaction at a time.
    lockShare: (trx, id) => trx.selectFrom("share").selectAll().where("id", "=", id).forUpdate().executeTakeFirst(),
    // Two concurrent creates of one session must see each other to be paired as twins.
    lockSession: async (trx, sessionID) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`agentshare-session:${sessionID}`}, 0))`.execute(trx)
    },
    close: () => db.destroy(),
  })
  return Object.assign(store, {
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  })
}

/** A store over a small pool of its own that runs no migrations (Store.reader): for a thread that only reads. */
export function reader(url: string, options: PostgresOptions = { max: 2 }): Store {
  const pool = openPool(url, options)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return kyselyStore(
    {
      kind: "postgres",
      db,
      lockShare: () => Promise.reject(new Error("this PostgreSQL reader does not write")),
      close: () => db.destroy(),
    },
    () => Promise.reject(new Error("this PostgreSQL reader does not write")),
  )
}
