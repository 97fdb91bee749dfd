/**
 * The one way a share is removed: unshare (its secret), owner delete, admin takedown, expiry.
 * Each leaves a tombstone with its reason, is audited, scrubs the database's files, and tells
 * live viewers (who drop the page) and every instance's caches (view/cache.ts).
 */
import type { ShareRecord } from "../../store/index.ts"
import type { Deps } from "../context.ts"
import * as Audit from "../governance/audit.ts"
import type { Actor } from "../http/actor.ts"
import { announce } from "./announce.ts"

export type Removal = "unshared" | "unshared by owner" | "taken_down" | "expired"

const ACTION: Record<Removal, Audit.Action> = {
  unshared: "unshared",
  "unshared by owner": "unshared",
  taken_down: "taken_down",
  expired: "expired",
}

/** Removes a live share; false when it was not live. `scrub: false` leaves the scrub to a caller removing many. */
export async function remove(
  deps: Deps,
  share: ShareRecord,
  reason: Removal,
  actor: Actor,
  options: { scrub?: boolean } = {},
): Promise<boolean> {
  const now = deps.now()
  // The removal and its audit entry are one transaction. The purge job acts from no address.
  const entry = await Audit.entry(deps, {
    action: ACTION[reason],
    shareID: share.id,
    actor,
    at: now,
    detail: reason === "expired" ? undefined : { reason },
  })
  if (!(await deps.store.shares.remove(share.id, now, reason, entry))) return false
  if (options.scrub !== false) await deps.store.scrub()
  announce(deps, share, { type: "removed", shareID: share.id, reason, at: Date.now() })
  deps.log.info({ shareID: share.id, reason }, "share removed")
  return true
}
