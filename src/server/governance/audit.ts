/**
 * The audit log (docs/ENTERPRISE.md): an append-only record of who did what to which share,
 * and when. An entry holds ids, a time, an actor and a keyed hash (HMAC) of the client IP,
 * never content, titles, secrets, tokens or the IP itself.
 *
 * Other modules call `Audit.record(deps, { action, shareID?, actor })`; the entry's address is
 * the actor's (`ip` overrides it: "" records none).
 */
import type { AuditFilter, AuditRow, NewAudit } from "../../store/index.ts"
import type { Deps } from "../context.ts"
import * as Actors from "../http/actor.ts"
import * as Ip from "../http/address.ts"

export const ACTIONS = [
  "created",
  "sync_first",
  "sync_last",
  "viewed",
  "unshared",
  "expired",
  "expiry_changed",
  "redacted",
  "taken_down",
  "purged",
  "policy_changed",
  "login",
  "logout",
] as const
export type Action = (typeof ACTIONS)[number]

export const ACTOR_KINDS = Actors.KINDS
export type ActorKind = Actors.Kind
/** Who acted (src/server/http/actor.ts): an owner, an SSO subject, the admin, the server itself, or a share's client. */
export type Actor = Actors.Actor

/** Counts, reasons and setting names only: never content, titles, secrets or addresses. */
export type Detail = {
  reason?: string
  syncs?: number
  /** The first or last sync of a burst: when it happened (the entry's `at` is when it was recorded). */
  syncAt?: number
  expiresAt?: number | null
  setting?: string
  value?: string
  items?: number
  replaced?: number
  /** Shares an admin's purge run deleted. */
  shares?: number
  day?: string
}

export type Entry = { action: Action; shareID?: string | null; actor: Actor; ip?: string; detail?: Detail; at?: number }

export type { AuditRow, AuditFilter }

/** The keyed hash an entry holds instead of the address: equal addresses match, none can be read back. */
export async function hashIp(deps: Deps, ip: string): Promise<string> {
  return (await deps.keys.audit(Ip.normalize(ip))).slice(0, 32)
}

/** A keyed hash of a client's address and user agent: equal for one client, readable by nobody. */
export async function hashClient(deps: Deps, ip: string | undefined, userAgent: string | undefined): Promise<string> {
  return (await deps.keys.audit(`client\n${ip ? Ip.normalize(ip) : ""}\n${(userAgent ?? "").slice(0, 512)}`)).slice(
    0,
    32,
  )
}

/** The row an entry becomes: the address as its keyed hash ("" as `ip`: none), detail only when it says something. */
export async function entry(deps: Deps, e: Entry): Promise<NewAudit> {
  const ip = e.ip ?? e.actor.ip
  return {
    at: e.at ?? deps.now(),
    action: e.action,
    shareID: e.shareID ?? null,
    actorKind: e.actor.kind,
    actorID: e.actor.id ?? null,
    ipHash: ip ? await hashIp(deps, ip) : null,
    detail: e.detail && Object.keys(e.detail).length ? e.detail : null,
  }
}

/** Writes an entry on its own; an action that changes a share passes its entry to the store instead, to go in the same transaction. */
export async function record(deps: Deps, e: Entry): Promise<void> {
  await deps.store.audit.add(await entry(deps, e))
}

/** Entries matching `filter`, oldest first. */
export const query = (deps: Deps, filter: AuditFilter) => deps.store.audit.query(filter)

export async function ended(
  deps: Deps,
  b: { shareID: string; at: number; syncs: number; actor: { kind: string; id: string | null } },
) {
  const kind = (ACTOR_KINDS as readonly string[]).includes(b.actor.kind) ? (b.actor.kind as ActorKind) : "client"
  // The address of whoever made the burst is not known here; the first sync's entry holds it.
  await deps.store.audit.add({
    at: deps.now(),
    action: "sync_last",
    shareID: b.shareID,
    actorKind: kind,
    actorID: b.actor.id,
    ipHash: null,
    detail: { syncAt: b.at, syncs: b.syncs },
  })
}

/** One entry as a line of JSON Lines. */
export const line = (r: AuditRow) =>
  JSON.stringify({
    id: r.id,
    at: new Date(r.at).toISOString(),
    action: r.action,
    shareID: r.shareID,
    actor: { kind: r.actorKind, id: r.actorID },
    ipHash: r.ipHash,
    detail: r.detail,
  })
