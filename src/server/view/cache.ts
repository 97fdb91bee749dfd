/**
 * The parsed-transcript cache's state, made once per server in `start()`: entries per share
 * version in LRU order, loads in flight, and a count of evictions (a load that overlapped one
 * does not put what it read back).
 */
import type { ItemRow, ShareRecord } from "../../store/index.ts"
import type { Transcript } from "../../viewer/model.ts"

export type Entry = {
  sourceID: string
  rootID: string
  seq: number
  items: Map<string, ItemRow>
  bytes: number
  transcript: Transcript
}

/** A share as a page shows it: itself, the share whose items it shows (a twin's), their transcript. */
export type Loaded = { share: ShareRecord; source: ShareRecord; transcript: Transcript }

export type Cache = { entries: Map<string, Entry>; inflight: Map<string, Promise<Loaded>>; evictions: number }

export const create = (): Cache => ({ entries: new Map(), inflight: new Map(), evictions: 0 })

/**
 * Forgets everything parsed of `shareID`: called for every removal (unshare, takedown, expiry)
 * and every rewrite in place, on every instance, so no removed text stays in memory.
 */
export function evict(cache: Cache, shareID: string): void {
  cache.evictions += 1
  cache.entries.delete(shareID)
  cache.inflight.delete(shareID)
}

/** Whether the cache holds parsed content of `shareID` (tests and diagnostics). */
export const has = (cache: Cache, shareID: string): boolean => cache.entries.has(shareID)
