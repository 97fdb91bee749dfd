/** What every route needs, passed in once when the app is built. */
import type { Scanner } from "../secrets/index.ts"
import type { Store } from "../store/index.ts"
import type { Config } from "./config.ts"
import type { Guard } from "./governance/storage.ts"
import type { Bus } from "./view/bus.ts"
import type { Logger } from "./log.ts"
import type { Metrics } from "./metrics.ts"

export type Deps = {
  config: Config
  store: Store
  log: Logger
  bus: Bus
  /** Worker threads that scan syncs and takedowns for secrets (SCAN_WORKERS, SCAN_BUDGET). */
  scanner: Scanner
  /** The origin share links start with. */
  origin: () => string
  /** Epoch milliseconds; tests may pass a controllable clock. */
  now: () => number
  /** Prometheus metrics; App.create makes them when not given. */
  metrics?: Metrics
  /** Aborted when the server starts shutting down: live streams tell viewers to reconnect. */
  closing?: AbortSignal
  /** The free-disk guard (src/server/disk.ts), made on first use. */
  disk?: Guard
  /** Open live streams per client address (MAX_STREAMS_PER_ADDRESS). */
  streams?: Map<string, number>
}

export type AppEnv = { Variables: { requestId: string; log: Logger } }
