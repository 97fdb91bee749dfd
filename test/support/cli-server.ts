/** A real agentshare server on 127.0.0.1 over a SQLite file, restartable on the same port and
 * database (to test clients across a server restart). */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Config from "../../src/server/config.ts"
import * as Server from "../../src/server/index.ts"
import * as Log from "../../src/server/log.ts"

export type TestServer = {
  url: string
  port: number
  running(): Server.Running
  /** Stops accepting connections and closes the store (requests then fail with ECONNREFUSED). */
  stop(): Promise<void>
  /** Starts again on the same port and database. */
  restart(): Promise<void>
  close(): Promise<void>
}

export async function start(): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "agentshare-cli-server-"))
  const config = Config.defaults({ port: 0, host: "127.0.0.1", databaseUrl: `sqlite://${join(dir, "share.db")}` })
  let current: Server.Running | undefined = await Server.start(config, { log: Log.silent() })
  const port = current.port
  const fixed = { ...config, port }
  return {
    url: current.url,
    port,
    running: () => {
      if (!current) throw new Error("the test server is stopped")
      return current
    },
    async stop() {
      const c = current
      current = undefined
      await c?.close()
    },
    async restart() {
      if (current) await current.close()
      current = await Server.start(fixed, { log: Log.silent() })
    },
    async close() {
      await current?.close()
      current = undefined
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
