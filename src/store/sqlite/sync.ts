/**
 * The sync on SQLite's hot path, in fixed prepared statements (no query building per call),
 * run by the writer thread inside its group commit. Same rules as the Kysely version
 * (../kysely/sync.ts, which PostgreSQL runs): the latest value per key, stale values skipped,
 * taken-down items kept, limits and quotas checked before anything is kept, the burst and its
 * audit entries in the same transaction. The share row is not read here: its counters change
 * by deltas (RETURNING what the limits need); the caller read it once already.
 */
import type { DatabaseSync, StatementSync } from "node:sqlite"
import { FINAL_RANK } from "../../schema/index.ts"
import {
  QuotaExceeded,
  ShareNotFound,
  ShareTooLarge,
  type IngestItem,
  type SyncOptions,
  type SyncOutcome,
} from "../shares.ts"
import type { BurstOutcome } from "../audit.ts"

type Row = Record<string, number | string | null>

export type Statements = ReturnType<typeof prepare>

export function prepare(db: DatabaseSync) {
  const p = (sql: string): StatementSync => db.prepare(sql)
  return {
    item: p(
      "SELECT rank, size, redactions, type, session_id, ord, sort FROM share_item WHERE share_id = ? AND key = ?",
    ),
    upsert:
      p(`INSERT INTO share_item (share_id, key, type, session_id, ord, sort, rank, size, seq, data, redactions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (share_id, key) DO UPDATE SET type = excluded.type, session_id = excluded.session_id, ord = excluded.ord, sort = excluded.sort,
      rank = excluded.rank, size = excluded.size, seq = excluded.seq, data = excluded.data, redactions = excluded.redactions`),
    // A new value in the same place: SQLite rewrites only the indexes whose columns a SET names,
    // so the order index is left alone (most syncs re-send items whose place did not change).
    update: p(
      "UPDATE share_item SET rank = ?, size = ?, seq = ?, data = ?, redactions = ? WHERE share_id = ? AND key = ?",
    ),
    remove: p("DELETE FROM share_item WHERE share_id = ? AND key = ?"),
    bump: p(`UPDATE share SET seq = seq + 1, bytes = bytes + ?, item_count = item_count + ?, redactions = redactions + ?, updated_at = ?,
      title = CASE WHEN ? THEN ? ELSE title END WHERE id = ? RETURNING seq, bytes, creator, owner_id`),
    seq: p("SELECT seq, bytes FROM share WHERE id = ?"),
    usedByCreator: p("SELECT coalesce(sum(bytes), 0) AS n FROM share WHERE creator = ? AND id != ?"),
    usedByOwner: p("SELECT coalesce(sum(bytes), 0) AS n FROM share WHERE owner_id = ? AND id != ?"),
    burstGoing: p(
      "UPDATE sync_burst SET last_at = max(last_at, ?), syncs = syncs + 1 WHERE share_id = ? AND last_at >= ?",
    ),
    burstRow: p("SELECT last_at, syncs, actor_kind, actor_id FROM sync_burst WHERE share_id = ?"),
    burstInsert: p(
      "INSERT INTO sync_burst (share_id, started_at, last_at, syncs, actor_kind, actor_id) VALUES (?, ?, ?, 1, ?, ?)",
    ),
    burstRestart: p(
      "UPDATE sync_burst SET started_at = ?, last_at = ?, syncs = 1, actor_kind = ?, actor_id = ? WHERE share_id = ?",
    ),
    audit: p(
      "INSERT INTO audit (at, action, share_id, actor_kind, actor_id, ip_hash, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
  }
}

function burst(s: Statements, id: string, now: number, b: NonNullable<SyncOptions["burst"]>): BurstOutcome {
  if (Number(s.burstGoing.run(now, id, now - b.gapMs).changes) > 0) return { started: false }
  const row = s.burstRow.get(id) as Row | undefined
  let outcome: BurstOutcome
  if (!row) {
    s.burstInsert.run(id, now, now, b.actor.kind, b.actor.id)
    outcome = { started: true }
  } else {
    s.burstRestart.run(now, now, b.actor.kind, b.actor.id, id)
    outcome = {
      started: true,
      ended: {
        at: Number(row.last_at),
        syncs: Number(row.syncs),
        actor: { kind: String(row.actor_kind), id: row.actor_id === null ? null : String(row.actor_id) },
      },
    }
  }
  if (outcome.ended)
    s.audit.run(
      now,
      "sync_last",
      id,
      outcome.ended.actor.kind,
      outcome.ended.actor.id,
      null,
      JSON.stringify({ syncAt: outcome.ended.at, syncs: outcome.ended.syncs }),
    )
  s.audit.run(now, "sync_first", id, b.actor.kind, b.actor.id, b.ipHash, JSON.stringify({ syncAt: now }))
  return outcome
}

export function sync(
  s: Statements,
  id: string,
  items: IngestItem[],
  now: number,
  maxBytes: number,
  options: SyncOptions,
): SyncOutcome {
  // The same key twice in one batch: the later entry is the client's latest value.
  const latest = new Map<string, IngestItem>()
  for (const item of items) {
    latest.delete(item.key)
    latest.set(item.key, item)
  }
  let bytes = 0
  let count = 0
  let redactions = 0
  let stale = 0
  const writes: { item: IngestItem; size: number; placed: boolean }[] = []
  const removals: string[] = []
  for (const item of latest.values()) {
    const old = s.item.get(id, item.key) as Row | undefined
    if (item.type === "remove") {
      // A taken-down item stays down: removing it would let its old value come back.
      if (old?.rank === FINAL_RANK) stale += 1
      else if (old) {
        removals.push(item.key)
        bytes -= Number(old.size)
        count -= 1
        redactions -= Number(old.redactions ?? 0)
      }
      continue
    }
    if (old && item.rank < String(old.rank)) {
      stale += 1
      continue
    }
    const size = Buffer.byteLength(item.json)
    bytes += size - (old ? Number(old.size) : 0)
    if (!old) count += 1
    redactions += (item.redactions ?? 0) - (old ? Number(old.redactions ?? 0) : 0)
    const placed =
      old !== undefined &&
      old.type === item.type &&
      old.session_id === item.sessionID &&
      old.ord === item.ord &&
      old.sort === item.sort
    writes.push({ item, size, placed })
  }
  const outcome = (seq: number, after: number, accepted: number) => ({ seq, accepted, stale, bytes: after })
  let counted: BurstOutcome | undefined
  if (writes.length + removals.length === 0) {
    const row = s.seq.get(id) as Row | undefined
    if (!row) throw new ShareNotFound(id)
    if (options.burst) counted = burst(s, id, now, options.burst)
    return { ...outcome(Number(row.seq), Number(row.bytes), 0), burst: counted }
  }
  const titled = options.title !== undefined && writes.some((w) => w.item.key === options.title?.key)
  const share = s.bump.get(
    bytes,
    count,
    redactions,
    now,
    titled ? 1 : 0,
    titled ? (options.title?.value ?? null) : null,
    id,
  ) as Row | undefined
  if (!share) throw new ShareNotFound(id)
  // Limits are checked on the share as it would be; throwing rolls the savepoint back whole.
  const after = Number(share.bytes)
  if (after > maxBytes) throw new ShareTooLarge(maxBytes)
  if (
    bytes > 0 &&
    options.quota?.creator !== undefined &&
    share.creator &&
    Number((s.usedByCreator.get(share.creator, id) as Row).n) + after > options.quota.creator
  )
    throw new QuotaExceeded("address", options.quota.creator)
  if (
    bytes > 0 &&
    options.quota?.owner !== undefined &&
    share.owner_id &&
    Number((s.usedByOwner.get(share.owner_id, id) as Row).n) + after > options.quota.owner
  )
    throw new QuotaExceeded("owner", options.quota.owner)
  const seq = Number(share.seq)
  for (const { item, size, placed } of writes)
    if (placed) s.update.run(item.rank, size, seq, item.json, item.redactions ?? 0, id, item.key)
    else
      s.upsert.run(
        id,
        item.key,
        item.type,
        item.sessionID,
        item.ord,
        item.sort,
        item.rank,
        size,
        seq,
        item.json,
        item.redactions ?? 0,
      )
  for (const key of removals) s.remove.run(id, key)
  if (options.burst) counted = burst(s, id, now, options.burst)
  return { ...outcome(seq, after, writes.length + removals.length), burst: counted }
}
