/**
 * When a share expires (SHARE_TTL, SHARE_MAX_TTL): at create (the request's `expiresIn`, else
 * the server default) or later by its owner, never later than SHARE_MAX_TTL after its creation.
 * An expired share answers 410 at once; the purge job (governance/retention.ts) deletes it.
 */
import { duration } from "../../schema/index.ts"
import type { ShareRecord } from "../../store/index.ts"
import type { Deps } from "../context.ts"
import { badRequest, gone } from "../errors.ts"
import * as Audit from "../governance/audit.ts"
import type { Actor } from "../http/actor.ts"

/** What a client may send: a duration (`7d`, `12h`), seconds, or null for no expiry. */
export type Requested = string | number | null | undefined

function parse(requested: string | number): number {
  const ms = typeof requested === "number" ? requested * 1000 : duration(requested)
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0)
    throw badRequest("invalid_expiry", `expiresIn: "${requested}" is not a duration such as 12h, 7d or 2w`)
  return ms
}

function human(ms: number): string {
  for (const [unit, size] of [
    ["days", 86_400_000],
    ["hours", 3_600_000],
    ["minutes", 60_000],
  ] as const) {
    if (ms % size === 0 && ms >= size) return `${ms / size} ${unit}`
  }
  return `${Math.round(ms / 1000)} seconds`
}

const tooLong = (maxMs: number) =>
  badRequest(
    "expiry_too_long",
    `shares on this server expire at most ${human(maxMs)} after creation; send a shorter expiresIn`,
  )

/**
 * The expiry a share created at `createdAt` gets for `requested`, measured from `now`
 * (undefined: the server default). Throws 400 when it would pass SHARE_MAX_TTL.
 */
export function at(deps: Deps, createdAt: number, now: number, requested: Requested): number | null {
  const { shareTtlMs, shareMaxTtlMs } = deps.config.enterprise
  if (requested === undefined) {
    const ttl = shareTtlMs ?? shareMaxTtlMs
    return ttl === undefined ? null : createdAt + ttl
  }
  const limit = shareMaxTtlMs === undefined ? undefined : createdAt + shareMaxTtlMs
  if (requested === null) {
    if (shareMaxTtlMs !== undefined) throw tooLong(shareMaxTtlMs)
    return null
  }
  const when = now + parse(requested)
  if (limit !== undefined && shareMaxTtlMs !== undefined && when > limit) throw tooLong(shareMaxTtlMs)
  return when
}

export const isExpired = (deps: Deps, share: ShareRecord) => share.expiresAt !== null && share.expiresAt <= deps.now()

/** Throws 410 for an expired share. */
export function check(deps: Deps, share: ShareRecord): ShareRecord {
  if (isExpired(deps, share)) throw gone("expired")
  return share
}

/** Sets a live share's expiry; answers the new one. */
export async function set(
  deps: Deps,
  share: ShareRecord,
  requested: string | number | null,
  actor: Actor,
): Promise<number | null> {
  const when = at(deps, share.createdAt, deps.now(), requested)
  if (!(await deps.store.shares.expire(share.id, when))) throw gone()
  await Audit.record(deps, { action: "expiry_changed", shareID: share.id, actor, detail: { expiresAt: when } })
  return when
}
