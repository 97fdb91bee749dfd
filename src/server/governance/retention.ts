/**
 * The purge job (PURGE_INTERVAL): deletes expired shares (share/expiry.ts says when a share
 * expires) in bounded batches, each leaving a tombstone with reason `expired`; records the last
 * sync of bursts that are over; forgets past days' visitor hashes.
 */
import * as Analytics from "./analytics.ts"
import * as Audit from "./audit.ts"
import type { Deps } from "../context.ts"
import * as Actors from "../http/actor.ts"
import * as Share from "../share/index.ts"

export type Swept = { expired: number; bursts: number; visitors: number }

/**
 * One purge run: deletes expired shares batch by batch (each share in its own transaction),
 * records the last sync of bursts that are over, and deletes the visitor hashes of past days.
 * Safe to run on several instances at once: each share is removed (and audited) once.
 */
export async function sweep(deps: Deps, options: { maxBatches?: number } = {}): Promise<Swept> {
  const batch = deps.config.enterprise.purgeBatch
  const out: Swept = { expired: 0, bursts: 0, visitors: 0 }
  for (let i = 0; i < (options.maxBatches ?? 1000); i++) {
    const now = deps.now()
    const ids = await deps.store.shares.expired(now, batch)
    for (const id of ids) {
      const found = await deps.store.shares.find(id)
      if (found.state !== "live") continue
      if (await Share.remove(deps, found.share, "expired", Actors.system, { scrub: false })) out.expired += 1
    }
    if (out.expired > 0) await deps.store.scrub()
    if (ids.length < batch) break
  }
  for (;;) {
    const ended = await deps.store.audit.endBursts(deps.now() - deps.config.enterprise.syncBurstGapMs, batch)
    for (const b of ended) await Audit.ended(deps, b)
    out.bursts += ended.length
    if (ended.length < batch) break
  }
  // Views counted in memory go in first, so the hashes of a finished day are all there to delete.
  await Analytics.flush(deps)
  out.visitors = await deps.store.views.forget(Analytics.day(deps.now()))
  if (out.expired || out.bursts || out.visitors) deps.log.info(out, "purge run")
  return out
}

/** Runs `sweep` every PURGE_INTERVAL until the returned function is called. */
export function start(deps: Deps): () => void {
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    sweep(deps)
      .catch((error: unknown) => deps.log.error({ err: error }, "purge run failed"))
      .finally(() => {
        running = false
      })
  }, deps.config.enterprise.purgeIntervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
