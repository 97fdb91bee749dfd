/**
 * The share server: `start(config)` opens the store, builds the app and listens; it returns a
 * handle whose `close()` stops accepting, finishes in-flight requests and closes the store.
 */
import type { AddressInfo } from "node:net"
import { serve, type ServerType } from "@hono/node-server"
import * as Store from "../store/index.ts"
import * as App from "./app.ts"
import { publicOrigin, type Config } from "./config.ts"
import * as Bus from "./live/bus.ts"
import * as LivePg from "./live/postgres.ts"
import * as Log from "./log.ts"
import type { Deps } from "./context.ts"

export type Running = { url: string; port: number; deps: Deps; close(): Promise<void> }

export async function start(config: Config, options: { log?: Log.Logger; now?: () => number } = {}): Promise<Running> {
  const log = options.log ?? Log.create(config)
  const store = await Store.open(config.databaseUrl)
  const pgBus = store.kind === "postgres"
    ? LivePg.postgres(config.databaseUrl, log, async (id) => {
        const found = await store.find(id)
        return found.state === "live" ? found.share.seq : undefined
      })
    : undefined
  await pgBus?.ready
  let port = config.port
  const deps: Deps = { config, store, log, bus: pgBus ?? Bus.local(), origin: () => publicOrigin(config, port), now: options.now ?? Date.now }
  const app = App.create(deps)
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s))
    s.once("error", reject)
  })
  port = (server.address() as AddressInfo).port
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`
  log.info({ url, publicUrl: deps.origin(), database: store.kind }, "agentshare listening")
  let closing: Promise<void> | undefined
  return {
    url,
    port,
    deps,
    close: () => (closing ??= (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await pgBus?.close()
      await store.close()
    })()),
  }
}
