/**
 * The storage backends every contract test runs against. SQLite always; PostgreSQL joins the
 * list when its backend exists (issue 7) and a server is given or started for the run.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Store from "../../src/store/index.ts"

export type Backend = { name: string; open(): Promise<{ store: Store.Store; cleanup(): Promise<void> }> }

export const backends: Backend[] = [
  {
    name: "sqlite",
    async open() {
      const dir = mkdtempSync(join(tmpdir(), "agentshare-store-"))
      const store = await Store.open(`sqlite://${join(dir, "s.db")}`)
      return {
        store,
        async cleanup() {
          await store.close()
          rmSync(dir, { recursive: true, force: true })
        },
      }
    },
  },
]
