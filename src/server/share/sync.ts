/**
 * A sync: items keyed and ranked, secrets handled (REDACT_ON_INGEST) before anything is stored,
 * sizes and quotas held, the title kept, viewers told; and the in-place rewrite a takedown makes.
 */
import { isRecord, keyItem, KNOWN_TYPES, type SyncItem, type SyncResponse } from "../../schema/index.ts"
import { QuotaExceeded, ShareNotFound, ShareTooLarge, type IngestItem, type ShareRecord } from "../../store/index.ts"
import type { Deps } from "../context.ts"
import { badRequest, gone, quotaExceeded, tooLarge } from "../errors.ts"
import * as Audit from "../governance/audit.ts"
import type { Actor } from "../http/actor.ts"
import { announce } from "./announce.ts"
import * as Ingest from "./ingest.ts"

/** Maps what the store refuses to the answer a client sees. */
function refused(error: unknown): never {
  if (error instanceof ShareTooLarge) throw tooLarge("the share", error.limit)
  if (error instanceof QuotaExceeded) throw quotaExceeded(error.scope, error.limit)
  if (error instanceof ShareNotFound) throw gone()
  throw error
}

/** A session's title as the share list shows it: a string, at most MAX_TITLE characters. */
const MAX_TITLE = 500
const titleOf = (data: unknown): string | null =>
  isRecord(data) && typeof data.title === "string" ? data.title.slice(0, MAX_TITLE) : null

const quotas = (deps: Deps) => ({
  creator: deps.config.limits.quotaPerAddress ?? undefined,
  owner: deps.config.limits.quotaPerOwner ?? undefined,
})

export async function sync(deps: Deps, share: ShareRecord, data: SyncItem[], actor: Actor): Promise<SyncResponse> {
  const items: IngestItem[] = []
  const dropped: SyncResponse["dropped"] = []
  const keyedItems: Ingest.EncodedItem[] = []
  for (const [index, raw] of data.entries()) {
    const keyed = keyItem(raw, share.sessionID)
    if (!keyed.ok) throw badRequest("invalid_item", `data[${index}].${keyed.path}: ${keyed.message}`)
    // Encoded once: the text is what the scanner reads and what is stored.
    keyedItems.push({ ...keyed.item, json: JSON.stringify(keyed.item.data) ?? "null" })
  }
  deps.disk.check()
  // Secrets go before a byte is stored or a viewer hears of the sync (REDACT_ON_INGEST).
  const clean = await Ingest.secrets(deps, share, keyedItems)
  for (const [index, keyed] of clean.items.entries()) {
    const { data: _data, json, ...item } = keyed
    const known = (KNOWN_TYPES as readonly string[]).includes(item.type) || item.type === "remove"
    if (known && json.length > deps.config.itemLimit)
      throw tooLarge(`data[${index}] (${item.type})`, deps.config.itemLimit)
    if (!known && json.length > deps.config.unknownItemLimit) {
      dropped.push({
        index,
        reason: `unknown item type "${item.type}" larger than ${deps.config.unknownItemLimit} bytes`,
      })
      continue
    }
    items.push({ ...item, json, redactions: clean.counts[index] ?? 0 })
  }
  const now = deps.now()
  const root = clean.items.find((i) => i.type === "session" && i.sessionID === share.sessionID)
  const outcome = await deps.store.shares
    .sync(share.id, items, now, deps.config.shareLimit, {
      quota: quotas(deps),
      ...(root ? { title: { key: root.key, value: titleOf(root.data) } } : {}),
      // Counted and audited in the sync's own transaction: a refused sync records nothing.
      burst: {
        gapMs: deps.config.enterprise.syncBurstGapMs,
        actor: { kind: actor.kind, id: actor.id ?? null },
        ipHash: actor.ip ? await Audit.hashIp(deps, actor.ip) : null,
      },
    })
    .catch(refused)
  deps.metrics.sync(outcome.accepted, outcome.stale)
  if (outcome.accepted > 0) announce(deps, share, { type: "sync", shareID: share.id, seq: outcome.seq, at: Date.now() })
  return { ok: true, seq: outcome.seq, accepted: outcome.accepted, stale: outcome.stale, dropped }
}

/**
 * Stores items an owner or the server rewrote in place (a takedown): the share's own size
 * limits apply, and nothing is audited as a sync.
 */
export async function rewrite(deps: Deps, share: ShareRecord, items: IngestItem[]) {
  for (const item of items)
    if (item.json.length > deps.config.itemLimit) throw tooLarge(`the rewritten ${item.key}`, deps.config.itemLimit)
  // A takedown in the root session item must reach the title the share lists show too.
  const root = items.find((i) => i.type === "session" && i.sessionID === share.sessionID)
  const title = root ? { title: { key: root.key, value: titleOf(JSON.parse(root.json)) } } : {}
  const outcome = await deps.store.shares
    .sync(share.id, items, deps.now(), deps.config.shareLimit, title)
    .catch(refused)
  // Viewers reload it, and every instance drops its parsed copy of the old content.
  announce(deps, share, { type: "sync", shareID: share.id, seq: outcome.seq, at: Date.now(), evict: true })
  return outcome
}
