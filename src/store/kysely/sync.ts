/**
 * A sync in storage: every item as the latest value of its key, in one transaction, under the
 * share's row lock. Stale values are skipped, taken-down items stay, sizes and quotas are
 * checked before anything is written, and the sync counts into its burst in the same transaction.
 */
import { sql, type Transaction } from "kysely"
import { FINAL_RANK } from "../../schema/index.ts"
import type { Backend } from "../backend.ts"
import {
  QuotaExceeded,
  ShareNotFound,
  ShareTooLarge,
  type IngestItem,
  type SyncOptions,
  type SyncOutcome,
} from "../shares.ts"
import type { Database } from "../tables.ts"
import { burstEntries, countBurst } from "./audit.ts"

/** Rows per multi-row statement: keeps every backend under its bind-parameter limit. */
const CHUNK = 100

/** Sum of the bytes of live shares whose `column` is `value`, other than `except`. */
async function usedBy(
  trx: Transaction<Database>,
  column: "creator" | "owner_id",
  value: string,
  except: string,
): Promise<number> {
  const row = await trx
    .selectFrom("share")
    .select(sql<number>`coalesce(sum(bytes), 0)`.as("n"))
    .where(column, "=", value)
    .where("id", "!=", except)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function sync(
  trx: Transaction<Database>,
  backend: Backend,
  id: string,
  items: IngestItem[],
  now: number,
  maxBytes: number,
  options: SyncOptions,
): Promise<SyncOutcome> {
  const share = await backend.lockShare(trx, id)
  if (!share) throw new ShareNotFound(id)
  // The same key twice in one batch: the later entry is the client's latest value.
  const latest = new Map<string, IngestItem>()
  for (const item of items) {
    latest.delete(item.key)
    latest.set(item.key, item)
  }
  const keys = [...latest.keys()]
  const existing = new Map<string, { rank: string; size: number; redactions: number }>()
  for (let i = 0; i < keys.length; i += CHUNK * 5) {
    const rows = await trx
      .selectFrom("share_item")
      .select(["key", "rank", "size", "redactions"])
      .where("share_id", "=", id)
      .where("key", "in", keys.slice(i, i + CHUNK * 5))
      .execute()
    for (const r of rows)
      existing.set(r.key, { rank: r.rank, size: Number(r.size), redactions: Number(r.redactions ?? 0) })
  }
  const seq = Number(share.seq) + 1
  let bytes = Number(share.bytes)
  let count = Number(share.item_count)
  let redactions = Number(share.redactions ?? 0)
  let stale = 0
  const rows: Database["share_item"][] = []
  const removals: string[] = []
  for (const item of latest.values()) {
    const old = existing.get(item.key)
    if (item.type === "remove") {
      // A taken-down item stays down: removing it would let its old value come back.
      if (old?.rank === FINAL_RANK) stale += 1
      else if (old) {
        removals.push(item.key)
        bytes -= old.size
        count -= 1
        redactions -= old.redactions
      }
      continue
    }
    if (old && item.rank < old.rank) {
      stale += 1
      continue
    }
    const size = Buffer.byteLength(item.json)
    bytes += size - (old?.size ?? 0)
    if (!old) count += 1
    redactions += (item.redactions ?? 0) - (old?.redactions ?? 0)
    rows.push({
      share_id: id,
      key: item.key,
      type: item.type,
      session_id: item.sessionID,
      ord: item.ord,
      sort: item.sort,
      rank: item.rank,
      size,
      seq,
      data: item.json,
      redactions: item.redactions ?? 0,
    })
  }
  if (bytes > maxBytes) throw new ShareTooLarge(maxBytes)
  const grows = bytes > Number(share.bytes)
  const quota = options.quota
  if (
    grows &&
    quota?.creator !== undefined &&
    share.creator &&
    (await usedBy(trx, "creator", share.creator, id)) + bytes > quota.creator
  ) {
    throw new QuotaExceeded("address", quota.creator)
  }
  if (
    grows &&
    quota?.owner !== undefined &&
    share.owner_id &&
    (await usedBy(trx, "owner_id", share.owner_id, id)) + bytes > quota.owner
  ) {
    throw new QuotaExceeded("owner", quota.owner)
  }
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto("share_item")
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns(["share_id", "key"]).doUpdateSet((eb) => ({
          type: eb.ref("excluded.type"),
          session_id: eb.ref("excluded.session_id"),
          ord: eb.ref("excluded.ord"),
          sort: eb.ref("excluded.sort"),
          rank: eb.ref("excluded.rank"),
          size: eb.ref("excluded.size"),
          seq: eb.ref("excluded.seq"),
          data: eb.ref("excluded.data"),
          redactions: eb.ref("excluded.redactions"),
        })),
      )
      .execute()
  }
  for (let i = 0; i < removals.length; i += CHUNK * 5) {
    await trx
      .deleteFrom("share_item")
      .where("share_id", "=", id)
      .where("key", "in", removals.slice(i, i + CHUNK * 5))
      .execute()
  }
  // The burst is counted in the sync's own transaction: a refused sync records nothing.
  const burst = options.burst ? await countBurst(trx, id, now, options.burst.gapMs, options.burst.actor) : undefined
  if (burst && options.burst) await burstEntries(trx, id, now, options.burst, burst)
  const changed = rows.length + removals.length
  if (changed === 0) return { seq: Number(share.seq), accepted: 0, stale, bytes, burst }
  const titled = options.title
  const title = titled && rows.some((r) => r.key === titled.key) ? { title: titled.value } : {}
  await trx
    .updateTable("share")
    .set({ seq, bytes, item_count: count, redactions, updated_at: now, ...title })
    .where("id", "=", id)
    .execute()
  return { seq, accepted: changed, stale, bytes, burst }
}
