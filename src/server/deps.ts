/** Makes the server's inventory (context.ts) from its configuration and store, and takes it down again. */
import * as Secrets from "../secrets/index.ts"
import type { Store } from "../store/index.ts"
import type { Config } from "./config.ts"
import type { Deps } from "./context.ts"
import * as Counter from "./governance/counter.ts"
import * as Disk from "./governance/disk.ts"
import * as Limiter from "./governance/limiter.ts"
import * as Address from "./http/address.ts"
import * as Streams from "./http/streams.ts"
import * as Keys from "./keys.ts"
import type { Logger } from "./log.ts"
import * as Metrics from "./metrics.ts"
import * as Bus from "./view/bus.ts"
import * as Cache from "./view/cache.ts"

export type Parts = {
  config: Config
  store: Store
  log: Logger
  origin: () => string
  /** The live bus; a local one by default (index.ts passes PostgreSQL's). */
  bus?: Bus.Bus
  now?: () => number
  closing?: AbortSignal
}

export function create(parts: Parts): Deps {
  const { config, store, log } = parts
  const now = parts.now ?? Date.now
  const bus = parts.bus ?? Bus.local()
  const transcripts = Cache.create(config.databaseUrl)
  // Removed and rewritten content leaves this instance's caches, whichever instance removed it.
  bus.subscribeAll((e) => {
    if (e.type === "removed" || e.evict) Cache.evict(transcripts, e.shareID)
  })
  return {
    config,
    store,
    log,
    bus,
    origin: parts.origin,
    now,
    closing: parts.closing ?? new AbortController().signal,
    scanner: Secrets.scanner({ size: config.scanWorkers, budgetMs: config.scanBudgetMs }),
    metrics: Metrics.create({ viewers: () => bus.size(), pool: () => store.pool?.() }),
    transcripts,
    limiter: Limiter.create(),
    views: Counter.create(),
    keys: Keys.create(config, store, log, now),
    oidc: new Map(),
    disk: Disk.guard(config.databaseUrl, config.limits.minFreeDisk, now),
    streams: Streams.create(config.limits.streamsPerAddress),
    networks: {
      trusted: config.enterprise.trustedProxies.length
        ? Address.blockList(config.enterprise.trustedProxies)
        : undefined,
      create: Address.blockList(config.enterprise.createNetworks),
    },
  }
}

/** Stops what the inventory runs: the scan workers and the render thread. The store and the bus are their opener's. */
export async function close(deps: Deps): Promise<void> {
  await Promise.all([deps.scanner.close(), Cache.close(deps.transcripts)])
}
