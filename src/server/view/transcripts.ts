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
import * as Shares from "../share/share.ts"

/**
 * The cache is bounded by the stored bytes of its shares (parsed, they take a few times more),
 * so that hundreds of small shares watched live all stay in it: a share pushed out is read again
 * in full at its next sync, which costs its whole size instead of one sync's items.
 */
const MAX_BYTES = 48 * 1024 * 1024
const MAX_SHARES = 4096

type Entry = { sourceID: string; rootID: string; seq: number; items: Map<string, ItemRow>; bytes: number; transcript: Model.Transcript }

export type Loaded = { share: ShareRecord; source: ShareRecord; transcript: Model.Transcript }

const caches = new WeakMap<Deps, Map<string, Entry>>()
const inflight = new WeakMap<Deps, Map<string, Promise<Loaded>>>()

function size(row: ItemRow): number {
  return Buffer.byteLength(row.data === undefined ? "null" : JSON.stringify(row.data))
}

/** Evictions so far: a load that overlapped one does not put what it read into the cache. */
const evictions = new WeakMap<Deps, number>()

async function fresh(deps: Deps, source: ShareRecord): Promise<Entry> {
  const generation = evictions.get(deps) ?? 0
  const cache = caches.get(deps) ?? new Map<string, Entry>()
  caches.set(deps, cache)
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
    if (items.size === source.itemCount && bytes === source.bytes) entry = { ...hit, seq: source.seq, items, bytes, transcript: hit.transcript }
  }
  if (!entry) {
    const rows = await deps.store.shares.items(source)
    const items = new Map(rows.map((r) => [r.key, r]))
    entry = { sourceID: source.id, rootID: source.sessionID, seq: source.seq, items, bytes: rows.reduce((s, r) => s + size(r), 0), transcript: undefined as unknown as Model.Transcript }
  }
  entry.transcript = Model.build(entry.items.values(), source.sessionID)
  const latest = cache.get(source.id)
  if ((evictions.get(deps) ?? 0) !== generation) return entry
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

/**
 * Forgets everything parsed of `shareID`: called for every removal (unshare, takedown, expiry)
 * and every rewrite in place, on every instance, so no removed text stays in memory.
 */
export function evict(deps: Deps, shareID: string): void {
  evictions.set(deps, (evictions.get(deps) ?? 0) + 1)
  caches.get(deps)?.delete(shareID)
  inflight.get(deps)?.delete(shareID)
}

/** Whether this instance holds parsed content of `shareID` (tests and diagnostics). */
export const cached = (deps: Deps, shareID: string): boolean => caches.get(deps)?.has(shareID) ?? false

/** The share (404/410 as ApiError), the share whose items it shows, and their transcript.
 * Concurrent loads of one share (many live viewers after one sync) share one read. */
export function load(deps: Deps, id: string): Promise<Loaded> {
  const running = inflight.get(deps) ?? new Map<string, Promise<Loaded>>()
  inflight.set(deps, running)
  const existing = running.get(id)
  if (existing) return existing
  const p = (async () => {
    const share = await Shares.live(deps, id)
    const source = await Shares.source(deps, share)
    const entry = await fresh(deps, source)
    return { share, source, transcript: entry.transcript }
  })().finally(() => running.delete(id))
  running.set(id, p)
  return p
}
