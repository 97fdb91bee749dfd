/**
 * The storage backends every contract test runs against: SQLite always, PostgreSQL when it can
 * run here (TEST_POSTGRES_URL, or initdb/pg_ctl to start a throwaway cluster). Under CI=true a
 * missing PostgreSQL fails the run instead of skipping.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Store from "../../src/store/index.ts"
import * as Postgres from "./postgres.ts"

export type Opened = { store: Store.Store; url: string; cleanup(): Promise<void> }
export type Backend = { name: string; open(): Promise<Opened> }

const sqlite: Backend = {
  name: "sqlite",
  async open() {
    const dir = mkdtempSync(join(tmpdir(), "agentshare-store-"))
    const url = `sqlite://${join(dir, "s.db")}`
    const store = await Store.open(url)
    return {
      store,
      url,
      async cleanup() {
        await store.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  },
}

const postgres: Backend = {
  name: "postgres",
  async open() {
    const db = await Postgres.freshDatabase()
    const store = await Store.open(db.url)
    return {
      store,
      url: db.url,
      async cleanup() {
        await store.close()
        await db.drop()
      },
    }
  },
}

const pg = Postgres.available()
if (!pg.ok) {
  if (process.env.CI === "true") throw new Error(`PostgreSQL is required under CI=true: ${pg.reason}`)
  console.log(`# skipping the PostgreSQL backend: ${pg.reason}`)
}

export const backends: Backend[] = pg.ok ? [sqlite, postgres] : [sqlite]
