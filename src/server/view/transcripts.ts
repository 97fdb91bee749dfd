/**
 * Parsed transcripts of recently viewed shares, kept per share version. A view after a sync
 * reads only the items that sync changed (`since: seq`) and merges them, so a page or a live
 * update of a long share costs its window, not the whole share. Removals are not visible to
 * `since`; a changed item count or byte total after a merge means one happened, and the
 * share is read again in full.
 */
import type { ItemRow, ShareRecord } from "../../store/index.ts"
import * as Model from "../../viewer/model.ts"
import type { Deps } from "../context.ts"
import type { Entry, Loaded } from "./cache.ts"
import * as Share from "../share/index.ts"

/**
 * The cache is bounded by the stored bytes of its shares (parsed, they take a few times more),
 * so that hundreds of small shares watched live all stay in it: a share pushed out is read again
 * in full at its next sync, which costs its whole size instead of one sync's items.
 */
const MAX_BYTES = 48 * 1024 * 1024
const MAX_SHARES = 4096

export type { Loaded }

function size(row: ItemRow): number {
  return Buffer.byteLength(row.data === undefined ? "null" : JSON.stringify(row.data))
}

async function fresh(deps: Deps, source: ShareRecord): Promise<Entry> {
  const generation = deps.transcripts.evictions
  const cache = deps.transcripts.entries
  const hit = cache.get(source.id)
  if (hit && hit.seq === source.seq && hit.rootID === source.sessionID) {
    // Refresh its place in the LRU order.
    cache.delete(source.id)
    cache.set(source.id, hit)
    return hit
  }
  let entry: Entry | undefined
  if (hit && hit.seq < source.seq && hit.rootID === source.sessionID) {
    const rows = await deps.store.shares.items(source, { since: hit.seq })
    const items = new Map(hit.items)
    let bytes = hit.bytes
    for (const row of rows) {
      const old = items.get(row.key)
      if (old) bytes -= size(old)
      bytes += size(row)
      items.set(row.key, row)
    }
    if (items.size === source.itemCount && bytes === source.bytes)
      entry = { ...hit, seq: source.seq, items, bytes, transcript: hit.transcript }
  }
  if (!entry) {
    const rows = await deps.store.shares.items(source)
    const items = new Map(rows.map((r) => [r.key, r]))
    entry = {
      sourceID: source.id,
      rootID: source.sessionID,
      seq: source.seq,
      items,
      bytes: rows.reduce((s, r) => s + size(r), 0),
      transcript: undefined as unknown as Model.Transcript,
    }
  }
  entry.transcript = Model.build(entry.items.values(), source.sessionID)
  const latest = cache.get(source.id)
  if (deps.transcripts.evictions !== generation) return entry
  if (!latest || latest.seq <= entry.seq) {
    cache.delete(source.id)
    cache.set(source.id, entry)
  }
  let total = 0
  for (const e of cache.values()) total += e.bytes
  for (const [key, e] of cache) {
    if (cache.size <= 1 || (total <= MAX_BYTES && cache.size <= MAX_SHARES)) break
    cache.delete(key)
    total -= e.bytes
  }
  return entry
}

/** The share (404/410 as ApiError), the share whose items it shows, and their transcript.
 * Concurrent loads of one share (many live viewers after one sync) share one read. */
export function load(deps: Deps, id: string): Promise<Loaded> {
  const running = deps.transcripts.inflight
  const existing = running.get(id)
  if (existing) return existing
  const p = (async () => {
    const share = await Share.live(deps, id)
    const source = await Share.source(deps, share)
    const entry = await fresh(deps, source)
    return { share, source, transcript: entry.transcript }
  })().finally(() => running.delete(id))
  running.set(id, p)
  return p
}
