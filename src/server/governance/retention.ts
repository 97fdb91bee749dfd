/**
 * Retention (SHARE_TTL, SHARE_MAX_TTL): every share may carry an expiry, set at create (the
 * request's `expiresIn`, else the server default) or later by its owner, never later than
 * SHARE_MAX_TTL after its creation. An expired share answers 410 at once; the purge job
 * deletes its data in bounded batches and leaves a tombstone with reason `expired`.
 */
import type { ShareRecord } from "../../store/index.ts"
import * as Analytics from "./analytics.ts"
import * as Audit from "./audit.ts"
import type { Deps } from "../context.ts"
import { duration } from "../../schema/index.ts"
import { badRequest, gone } from "../errors.ts"
import * as Shares from "../share/share.ts"

/** What a client may send: a duration (`7d`, `12h`), seconds, or null for no expiry. */
export type Requested = string | number | null | undefined

function parse(requested: string | number): number {
  const ms = typeof requested === "number" ? requested * 1000 : duration(requested)
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) throw badRequest("invalid_expiry", `expiresIn: "${requested}" is not a duration such as 12h, 7d or 2w`)
  return ms
}

/**
 * The expiry a share created at `createdAt` gets for `requested`, measured from `now`
 * (undefined: the server default). Throws 400 when it would pass SHARE_MAX_TTL.
 */
export function expiry(deps: Deps, createdAt: number, now: number, requested: Requested): number | null {
  const { shareTtlMs, shareMaxTtlMs } = deps.config.enterprise
  if (requested === undefined) {
    const ttl = shareTtlMs ?? shareMaxTtlMs
    return ttl === undefined ? null : createdAt + ttl
  }
  const limit = shareMaxTtlMs === undefined ? undefined : createdAt + shareMaxTtlMs
  if (requested === null) {
    if (limit !== undefined) throw badRequest("expiry_too_long", `shares on this server expire at most ${human(shareMaxTtlMs as number)} after creation; send a shorter expiresIn`)
    return null
  }
  const at = now + parse(requested)
  if (limit !== undefined && at > limit) throw badRequest("expiry_too_long", `shares on this server expire at most ${human(shareMaxTtlMs as number)} after creation; send a shorter expiresIn`)
  return at
}

export const isExpired = (deps: Deps, share: ShareRecord) => share.expiresAt !== null && share.expiresAt <= deps.now()

/** Throws 410 for an expired share. */
export function check(deps: Deps, share: ShareRecord): ShareRecord {
  if (isExpired(deps, share)) throw gone("expired")
  return share
}

/** Sets a live share's expiry; answers the new one. */
export async function set(deps: Deps, share: ShareRecord, requested: string | number | null, actor: Audit.Actor): Promise<number | null> {
  const at = expiry(deps, share.createdAt, deps.now(), requested)
  if (!(await deps.store.shares.expire(share.id, at))) throw gone()
  await Audit.record(deps, { action: "expiry_changed", shareID: share.id, actor, detail: { expiresAt: at } })
  return at
}

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
      if (await Shares.remove(deps, found.share, "expired", { kind: "system" }, { scrub: false })) out.expired += 1
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
    sweep(deps).catch((error: unknown) => deps.log.error({ err: error }, "purge run failed")).finally(() => { running = false })
  }, deps.config.enterprise.purgeIntervalMs)
  timer.unref()
  return () => clearInterval(timer)
}

function human(ms: number): string {
  for (const [unit, size] of [["days", 86_400_000], ["hours", 3_600_000], ["minutes", 60_000]] as const) {
    if (ms % size === 0 && ms >= size) return `${ms / size} ${unit}`
  }
  return `${Math.round(ms / 1000)} seconds`
}
