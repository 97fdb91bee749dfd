/**
 * The share server: `start(config)` opens the store, builds the app and listens; it returns a
 * handle whose `close()` shuts down gracefully: readiness turns 503 and live viewers are told to
 * reconnect (to another instance), no new connections are accepted, in-flight requests get up
 * to SHUTDOWN_TIMEOUT to finish, then the remaining connections and the store are closed.
 */
import type { AddressInfo } from "node:net"
import { serve, type ServerType } from "@hono/node-server"
import * as Store from "../store/index.ts"
import * as App from "./app.ts"
import { publicOrigin, type Config } from "./config.ts"
import * as LivePg from "./view/bus-postgres.ts"
import * as Analytics from "./governance/analytics.ts"
import * as Log from "./log.ts"
import * as Limits from "./http/node.ts"
import * as Retention from "./governance/retention.ts"
import type { Deps as Inventory } from "./context.ts"
import * as Deps from "./deps.ts"

export type Running = {
  url: string
  port: number
  deps: Inventory
  /** Where METRICS_PORT serves /metrics, when it is set. */
  metricsUrl?: string
  close(): Promise<void>
}

export type StartOptions = {
  log?: Log.Logger
  now?: () => number
  /**
   * Start the scanner and render threads at once rather than at the first sync and view
   * (`agentshare serve`); servers made in-process, many at a time in tests, start them lazily.
   */
  warm?: boolean
}

export async function start(config: Config, options: StartOptions = {}): Promise<Running> {
  const log = options.log ?? Log.create(config)
  const store = await Store.open(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous })
  const pgBus =
    store.kind === "postgres"
      ? LivePg.postgres(config.databaseUrl, log, async (id) => {
          const found = await store.shares.find(id)
          return found.state === "live" ? found.share.seq : undefined
        })
      : undefined
  await pgBus?.ready
  let port = config.port
  const closing = new AbortController()
  const deps = Deps.create({
    config,
    store,
    log,
    bus: pgBus,
    origin: () => publicOrigin(config, port),
    now: options.now,
    closing: closing.signal,
  })
  const app = App.create(deps)
  const server: ServerType = await new Promise((resolve, reject) => {
    const timeouts = {
      // Bound how long a slow or stalled client may hold a request open (Node answers 408).
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.min(config.requestTimeoutMs, 20_000),
      connectionsCheckingInterval: Math.min(config.requestTimeoutMs / 2, 30_000),
    }
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host, serverOptions: timeouts }, () =>
      resolve(s),
    )
    s.once("error", reject)
  })
  port = (server.address() as AddressInfo).port
  const http = server as import("node:http").Server
  Limits.connections(http, config.limits.maxConnections)
  Limits.bodyDeadline(http, config.requestTimeoutMs)
  const metricsServer =
    config.metrics.port === undefined
      ? undefined
      : await Limits.metricsListener(deps, config.metrics.host, config.metrics.port)
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`
  log.info({ url, publicUrl: deps.origin(), database: store.kind }, "agentshare listening")
  if (options.warm) {
    deps.scanner.warm()
    deps.transcripts.renderer.warm()
  }
  // Deletes expired shares every PURGE_INTERVAL (docs/ENTERPRISE.md).
  const stopPurge = Retention.start(deps)
  // Replaced content leaves SQLite's write-ahead log within SCRUB_INTERVAL (docs/SECURITY.md).
  const scrubber = setInterval(() => {
    deps.store.scrub().catch((error: unknown) => log.warn({ err: (error as Error).message }, "scrub failed"))
  }, config.limits.scrubIntervalMs)
  scrubber.unref()
  let shutdown: Promise<void> | undefined
  const metricsAddress = metricsServer?.address() as AddressInfo | undefined
  return {
    url,
    port,
    deps,
    ...(metricsAddress
      ? {
          metricsUrl: `http://${config.metrics.host.includes(":") ? `[${config.metrics.host}]` : config.metrics.host}:${metricsAddress.port}`,
        }
      : {}),
    close: () =>
      (shutdown ??= (async () => {
        closing.abort()
        stopPurge()
        clearInterval(scrubber)
        metricsServer?.close()
        metricsServer?.closeAllConnections()
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        http.closeIdleConnections()
        const timer = setTimeout(() => http.closeAllConnections(), config.shutdownTimeoutMs)
        await closed
        clearTimeout(timer)
        await pgBus?.close()
        await Deps.close(deps)
        // Views counted in memory are written before the store closes.
        await Analytics.flush(deps).catch((error: unknown) =>
          log.warn({ err: (error as Error).message }, "views not written"),
        )
        await store.close()
        log.info("stopped")
      })()),
  }
}
