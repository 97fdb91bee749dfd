/**
 * The share verbs both protocols are mapped onto: create, sync, remove, and read (what a
 * viewer or `opencode import` sees, following the double-create rule).
 */
import { isRecord, keyItem, ID_PATTERN, KNOWN_TYPES, type Access, type KeyedItem, type SyncItem, type SyncResponse } from "../../schema/index.ts"
import { QuotaExceeded, ShareNotFound, ShareTooLarge, type IngestItem, type ItemRow, type ShareRecord } from "../../store/index.ts"
import type { Deps } from "../context.ts"
import { ApiError, badRequest, forbidden, gone, notFound, quotaExceeded, tooLarge } from "../errors.ts"
import * as Audit from "../governance/audit.ts"
import * as Policy from "../auth/policy.ts"
import * as Disk from "../governance/storage.ts"
import * as Ingest from "./ingest.ts"
import * as Bus from "../view/bus.ts"
import * as Retention from "../governance/retention.ts"
import * as Secret from "../secret.ts"

export function checkId(id: string): string {
  if (!ID_PATTERN.test(id)) throw badRequest("invalid_id", "share id must be 1-128 characters of A-Z, a-z, 0-9, _ and -")
  return id
}

/** The live share, or the 404/410 a client should see. */
export async function live(deps: Deps, id: string): Promise<ShareRecord> {
  const found = await deps.store.shares.find(checkId(id))
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

/** Who is creating a share: its address (TRUSTED_PROXIES applied) and user agent. */
export type Creator = { ip: string | undefined; userAgent: string | undefined }

/**
 * A new share; `access: "sso"` makes it SSO-only before it holds anything (the caller checks SSO
 * is configured). `expiresIn` (docs/ENTERPRISE.md) only from clients that ask; stock clients
 * get the server default.
 */
export type CreateOptions = { by?: Creator; ownerID?: string | null; expiresIn?: Retention.Requested; access?: Access }

export async function create(deps: Deps, sessionID: string, options: CreateOptions = {}) {
  const { by = { ip: undefined, userAgent: undefined }, ownerID = null, expiresIn, access } = options
  Disk.check(deps)
  const now = deps.now()
  const id = Secret.shareId()
  const secret = Secret.secret()
  const expiresAt = Retention.expiry(deps, now, now, expiresIn)
  const creator = by.ip ? await Audit.hashIp(deps, by.ip) : null
  const client = await Audit.hashClient(deps, by.ip, by.userAgent)
  const { twinGroup } = await deps.store.shares.create(
    { id, sessionID, secretHash: Secret.hash(secret), ownerID, createdAt: now, expiresAt, creator, client },
    { twinWindowMs: deps.config.doubleCreateWindowMs },
  )
  deps.log.info({ shareID: id, twinGroup: twinGroup ?? undefined }, "share created")
  await Audit.record(deps, { action: "created", shareID: id, actor: actorOf(ownerID), detail: expiresAt === null ? undefined : { expiresAt } })
  if (access === "sso") {
    await deps.store.shares.setAccess(id, "sso")
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
export const actorOf = (ownerID: string | null): Audit.Actor => (ownerID ? { kind: "owner", id: ownerID } : { kind: "client" })

/** Tells the share's viewers, and those of its twin group, that it changed or went away. */
export function announce(deps: Deps, share: ShareRecord, event: Bus.LiveEvent) {
  deps.bus.publish(event)
  if (share.twinGroup) deps.bus.publish({ ...event, shareID: Bus.twinChannel(share.twinGroup) })
}

/** Maps what the store refuses to the answer a client sees. */
function refused(error: unknown): never {
  if (error instanceof ShareTooLarge) throw tooLarge("the share", error.limit)
  if (error instanceof QuotaExceeded) throw quotaExceeded(error.scope, error.limit)
  if (error instanceof ShareNotFound) throw gone()
  throw error
}

export async function sync(deps: Deps, share: ShareRecord, data: SyncItem[]): Promise<SyncResponse> {
  const items: IngestItem[] = []
  const dropped: SyncResponse["dropped"] = []
  const keyedItems: KeyedItem[] = []
  for (const [index, raw] of data.entries()) {
    const keyed = keyItem(raw, share.sessionID)
    if (!keyed.ok) throw badRequest("invalid_item", `data[${index}].${keyed.path}: ${keyed.message}`)
    keyedItems.push(keyed.item)
  }
  Disk.check(deps)
  // Secrets go before a byte is stored or a viewer hears of the sync (REDACT_ON_INGEST).
  const clean = await Ingest.secrets(deps, share, keyedItems)
  for (const [index, keyed] of clean.items.entries()) {
    const { data: value, ...item } = keyed
    const json = value === undefined ? "null" : JSON.stringify(value)
    const known = (KNOWN_TYPES as readonly string[]).includes(item.type) || item.type === "remove"
    if (known && json.length > deps.config.itemLimit) throw tooLarge(`data[${index}] (${item.type})`, deps.config.itemLimit)
    if (!known && json.length > deps.config.unknownItemLimit) {
      dropped.push({ index, reason: `unknown item type "${item.type}" larger than ${deps.config.unknownItemLimit} bytes` })
      continue
    }
    items.push({ ...item, json, redactions: clean.counts[index] ?? 0 })
  }
  const actor = actorOf(share.ownerID)
  const now = deps.now()
  const root = clean.items.find((i) => i.type === "session" && i.sessionID === share.sessionID)
  const outcome = await deps.store.shares.sync(share.id, items, now, deps.config.shareLimit, {
    quota: quotas(deps),
    ...(root ? { title: { key: root.key, value: titleOf(root.data) } } : {}),
    // Counted in the sync's own transaction: a refused sync is not audited.
    burst: { gapMs: deps.config.enterprise.syncBurstGapMs, actor: { kind: actor.kind, id: actor.id ?? null } },
  }).catch(refused)
  deps.metrics?.sync(outcome.accepted, outcome.stale)
  if (outcome.accepted > 0) announce(deps, share, { type: "sync", shareID: share.id, seq: outcome.seq, at: Date.now() })
  if (outcome.burst) await Audit.burst(deps, share.id, actor, now, outcome.burst)
  return { ok: true, seq: outcome.seq, accepted: outcome.accepted, stale: outcome.stale, dropped }
}

/** A session's title as the share list shows it: a string, at most MAX_TITLE characters. */
const MAX_TITLE = 500
const titleOf = (data: unknown): string | null => (isRecord(data) && typeof data.title === "string" ? data.title.slice(0, MAX_TITLE) : null)

const quotas = (deps: Deps) => ({
  creator: deps.config.limits.quotaPerAddress ?? undefined,
  owner: deps.config.limits.quotaPerOwner ?? undefined,
})

/**
 * Stores items an owner or the server rewrote in place (a takedown): the share's own size
 * limits apply, and nothing is audited as a sync.
 */
export async function rewrite(deps: Deps, share: ShareRecord, items: IngestItem[]) {
  for (const item of items) if (item.json.length > deps.config.itemLimit) throw tooLarge(`the rewritten ${item.key}`, deps.config.itemLimit)
  // A takedown in the root session item must reach the title the share lists show too.
  const root = items.find((i) => i.type === "session" && i.sessionID === share.sessionID)
  const title = root ? { title: { key: root.key, value: titleOf(JSON.parse(root.json)) } } : {}
  const outcome = await deps.store.shares.sync(share.id, items, deps.now(), deps.config.shareLimit, title).catch(refused)
  // Viewers reload it, and every instance drops its parsed copy of the old content.
  announce(deps, share, { type: "sync", shareID: share.id, seq: outcome.seq, at: Date.now(), evict: true })
  return outcome
}

export type Removal = "unshared" | "unshared by owner" | "taken_down" | "expired"

const REMOVAL_ACTION: Record<Removal, Audit.Action> = { unshared: "unshared", "unshared by owner": "unshared", taken_down: "taken_down", expired: "expired" }

/**
 * The one way a share is removed: unshare (its secret), owner delete, admin takedown, expiry.
 * Each leaves a tombstone with its reason, is audited, scrubs the database's files, tells live
 * viewers (who drop the page) and every instance's caches. False when it was not live.
 */
export async function remove(deps: Deps, share: ShareRecord, reason: Removal, actor: Audit.Actor, options: { scrub?: boolean } = {}): Promise<boolean> {
  if (!(await deps.store.shares.remove(share.id, deps.now(), reason))) return false
  if (options.scrub !== false) await deps.store.scrub()
  await Audit.record(deps, { action: REMOVAL_ACTION[reason], shareID: share.id, actor, detail: reason === "expired" ? undefined : { reason }, ...(reason === "expired" ? { ip: "" } : {}) })
  announce(deps, share, { type: "removed", shareID: share.id, reason, at: Date.now() })
  deps.log.info({ shareID: share.id, reason }, "share removed")
  return true
}

/**
 * The share whose items a reader of `share` sees. The stock client under "share": "auto" sends
 * two concurrent creates for one session and may print the URL of the one that never gets a
 * sync. Such a pair is tied together when the second is created, and only then: the same client
 * (address and user agent), within DOUBLE_CREATE_WINDOW, while neither holds data
 * (Store.create). An empty share of a pair shows the pair's share that received syncs. Only
 * reading follows this: every write acts on the share its URL names.
 */
export async function source(deps: Deps, share: ShareRecord): Promise<ShareRecord> {
  if (share.itemCount > 0 || !share.twinGroup) return share
  const twins = (await deps.store.shares.twins(share.twinGroup)).filter((s) => s.id !== share.id && s.itemCount > 0 && !Retention.isExpired(deps, s))
  return twins[0] ?? share
}

/** Who may view a share that shows `source`: the stricter of the two shares' settings. */
export const access = (share: ShareRecord, source: ShareRecord): Access => (share.access === "sso" || source.access === "sso" ? "sso" : "public")

export type View = { share: ShareRecord; source: ShareRecord; items: ItemRow[] }

export async function read(deps: Deps, id: string, since?: number): Promise<View> {
  const share = await live(deps, id)
  const from = await source(deps, share)
  return { share, source: from, items: await deps.store.shares.items(from, { since }) }
}

export { ApiError }
