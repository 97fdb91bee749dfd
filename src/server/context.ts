/**
 * What the server holds: `Deps` is its whole inventory, made once by `Deps.create` (deps.ts)
 * in `start()` and handed to every route. Nothing else keeps state between requests.
 */
import type { BlockList } from "node:net"
import type { Configuration } from "openid-client"
import type { Scanner } from "../secrets/index.ts"
import type { Store } from "../store/index.ts"
import type { Config, Oidc } from "./config.ts"
import type { Counter } from "./governance/counter.ts"
import type { Guard } from "./governance/disk.ts"
import type { Limiter } from "./governance/limiter.ts"
import type { Streams } from "./http/streams.ts"
import type { Keys } from "./keys.ts"
import type { Logger } from "./log.ts"
import type { Metrics } from "./metrics.ts"
import type { Bus } from "./view/bus.ts"
import type { Cache } from "./view/cache.ts"

export type Deps = {
  config: Config
  store: Store
  log: Logger
  /** Live events of this instance (and, on PostgreSQL, of every instance). */
  bus: Bus
  /** Worker threads that scan syncs and takedowns for secrets (SCAN_WORKERS, SCAN_BUDGET). */
  scanner: Scanner
  /** The origin share links start with. */
  origin: () => string
  /** Epoch milliseconds; tests may pass a controllable clock. */
  now: () => number
  /** Aborted when the server starts shutting down: live streams tell viewers to reconnect. */
  closing: AbortSignal
  metrics: Metrics
  /** Parsed transcripts of recently viewed shares: the render thread holds them (view/cache.ts). */
  transcripts: Cache
  /** Create and sync windows per address and owner (RATE_LIMIT_*). */
  limiter: Limiter
  /** Views counted since the last flush, and today's salt (governance/analytics.ts). */
  views: Counter
  keys: Keys
  /** The identity provider's discovered configuration, fetched at the first login. */
  oidc: Map<Oidc, Promise<Configuration>>
  /** The free-disk guard (MIN_FREE_DISK). */
  disk: Guard
  /** Live streams per client address (MAX_STREAMS_PER_ADDRESS). */
  streams: Streams
  /** TRUSTED_PROXIES and CREATE_NETWORKS as address lists. */
  networks: { trusted: BlockList | undefined; create: BlockList }
}

/** What middleware sets on each request: its id, its logger and the client's address. */
export type AppEnv = { Variables: { requestId: string; ip: string | undefined } }
