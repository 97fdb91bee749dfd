/**
 * The share verbs both protocols are mapped onto: create, sync, remove, and read (what a
 * viewer or `opencode import` sees, following the double-create rule).
 */
import { keyItem, ID_PATTERN, type Access, type KeyedItem, type SyncItem, type SyncResponse } from "../schema/index.ts"
import { ShareNotFound, ShareTooLarge, type IngestItem, type ItemRow, type ShareRecord } from "../store/index.ts"
import type { Deps } from "./context.ts"
import { ApiError, badRequest, forbidden, gone, notFound, tooLarge } from "./errors.ts"
import * as Audit from "./audit.ts"
import * as Policy from "./auth/policy.ts"
import * as Ingest from "./ingest.ts"
import * as Retention from "./retention.ts"
import * as Secret from "./secret.ts"

export function checkId(id: string): string {
  if (!ID_PATTERN.test(id)) throw badRequest("invalid_id", "share id must be 1-128 characters of A-Z, a-z, 0-9, _ and -")
  return id
}

/** The live share, or the 404/410 a client should see. */
export async function live(deps: Deps, id: string): Promise<ShareRecord> {
  const found = await deps.store.find(checkId(id))
  if (found.state === "missing") throw notFound()
  if (found.state === "gone") throw gone(found.reason)
  // Expired shares are gone at once, before the purge job deletes them.
  return Retention.check(deps, found.share)
}

/** A live share whose secret matches, else 403 (nothing changes). */
export async function authorized(deps: Deps, id: string, secret: string): Promise<ShareRecord> {
  const share = await live(deps, id)
  if (!Secret.verify(secret, share.secretHash)) throw forbidden()
  return share
}

/** `expiresIn` (docs/ENTERPRISE.md) only from clients that ask; stock clients get the server default. */
/** A new share; `access: "sso"` makes it SSO-only before it holds anything (the caller checks SSO is configured). */
export async function create(deps: Deps, sessionID: string, ownerID: string | null = null, expiresIn?: Retention.Requested, access?: Access) {
  const now = deps.now()
  const id = Secret.shareId()
  const secret = Secret.secret()
  const expiresAt = Retention.expiry(deps, now, now, expiresIn)
  await deps.store.create({ id, sessionID, secretHash: Secret.hash(secret), ownerID, createdAt: now, expiresAt })
  deps.log.info({ shareID: id }, "share created")
  await Audit.record(deps, { action: "created", shareID: id, actor: actorOf(ownerID), detail: expiresAt === null ? undefined : { expiresAt } })
  if (access === "sso") {
    await deps.store.sso.setAccess(id, "sso")
    await Audit.record(deps, { action: "policy_changed", shareID: id, actor: actorOf(ownerID), detail: { setting: "access", value: "sso" } })
  }
  return {
    id,
    secret,
    url: `${deps.origin()}/share/${id}`,
    ...(expiresIn === undefined ? {} : { expiresAt }),
    ...(access === undefined ? {} : { access: Policy.effective(deps.config.auth, access) }),
  }
}

/** Who acts with a share's secret: its owner's client when it has one. */
const actorOf = (ownerID: string | null): Audit.Actor => (ownerID ? { kind: "owner", id: ownerID } : { kind: "client" })

export async function sync(deps: Deps, share: ShareRecord, data: SyncItem[]): Promise<SyncResponse> {
  const items: IngestItem[] = []
  const dropped: SyncResponse["dropped"] = []
  const keyedItems: KeyedItem[] = []
  for (const [index, raw] of data.entries()) {
    const keyed = keyItem(raw, share.sessionID)
    if (!keyed.ok) throw badRequest("invalid_item", `data[${index}].${keyed.path}: ${keyed.message}`)
    keyedItems.push(keyed.item)
  }
  // Secrets go before a byte is stored or a viewer hears of the sync (REDACT_ON_INGEST).
  const clean = await Ingest.secrets(deps, share, keyedItems)
  for (const [index, keyed] of clean.items.entries()) {
    const { data: value, ...item } = keyed
    const json = value === undefined ? "null" : JSON.stringify(value)
    const known = ["session", "message", "part", "session_diff", "model", "remove"].includes(item.type)
    if (known && json.length > deps.config.itemLimit) throw tooLarge(`data[${index}] (${item.type})`, deps.config.itemLimit)
    if (!known && json.length > deps.config.unknownItemLimit) {
      dropped.push({ index, reason: `unknown item type "${item.type}" larger than ${deps.config.unknownItemLimit} bytes` })
      continue
    }
    items.push({ ...item, json, redactions: clean.counts[index] ?? 0 })
  }
  try {
    // The sync and its audit burst are queued together, so that on SQLite they share one group
    // commit (one fsync) instead of the burst waiting for a commit of its own.
    const [written, audited] = await Promise.allSettled([
      deps.store.sync(share.id, items, deps.now(), deps.config.shareLimit),
      Audit.synced(deps, share.id, actorOf(share.ownerID)),
    ])
    if (written.status === "rejected") throw written.reason
    const outcome = written.value
    deps.metrics?.sync(outcome.accepted, outcome.stale)
    if (outcome.accepted > 0) deps.bus.publish({ type: "sync", shareID: share.id, seq: outcome.seq, at: Date.now() })
    if (audited.status === "rejected") throw audited.reason
    return { ok: true, seq: outcome.seq, accepted: outcome.accepted, stale: outcome.stale, dropped }
  } catch (error) {
    if (error instanceof ShareTooLarge) throw tooLarge("the share", error.limit)
    if (error instanceof ShareNotFound) throw gone()
    throw error
  }
}

export async function remove(deps: Deps, share: ShareRecord, reason = "unshared", actor: Audit.Actor = actorOf(share.ownerID)) {
  const removed = await deps.store.remove(share.id, deps.now(), reason)
  if (!removed) throw gone()
  await deps.store.scrub()
  await Audit.record(deps, { action: reason === "taken_down" ? "taken_down" : "unshared", shareID: share.id, actor, detail: { reason } })
  deps.bus.publish({ type: "removed", shareID: share.id, reason, at: Date.now() })
  deps.log.info({ shareID: share.id, reason }, "share removed")
}

/**
 * The share whose items a reader of `share` sees. The stock client under "share": "auto" sends
 * two concurrent creates for one session and may print the URL of the one that never gets a
 * sync. So a share with no items of its own shows the live share of the same session, created
 * within DOUBLE_CREATE_WINDOW of it, that received syncs most recently. Only reading follows
 * this: each share keeps its own secret, so a create can never write to or delete another.
 */
export async function source(deps: Deps, share: ShareRecord): Promise<ShareRecord> {
  const window = deps.config.doubleCreateWindowMs
  if (share.itemCount > 0 || window <= 0) return share
  const twins = (await deps.store.bySession(share.sessionID))
    .filter((s) => s.id !== share.id && s.itemCount > 0 && Math.abs(s.createdAt - share.createdAt) <= window && !Retention.isExpired(deps, s))
    .sort((a, b) => b.updatedAt - a.updatedAt)
  return twins[0] ?? share
}

export type View = { share: ShareRecord; source: ShareRecord; items: ItemRow[] }

export async function read(deps: Deps, id: string, since?: number): Promise<View> {
  const share = await live(deps, id)
  const from = await source(deps, share)
  return { share, source: from, items: await deps.store.items(from, { since }) }
}

export { ApiError }
