/**
 * The parsed-transcript cache's state on the main thread, made once per server in `start()`:
 * the render thread that holds the transcripts (renderer.ts), what this thread knows of each
 * share it holds (the version and, once asked for, its turn list), loads in flight, and a count
 * of evictions (a load that overlapped one does not keep what it read).
 */
import type { ShareRecord } from "../../store/index.ts"
import * as Renderer from "./renderer.ts"

/** A transcript version as the main thread knows it: its seq and its root turns (what live viewers are told about). */
export type Summary = { seq: number; root: { turns: readonly { id: string; seq: number }[] } }

/** A share the render thread holds: its version there, and its turns once a load asked for them. */
export type Entry = { version: number; summary?: Summary }

/** A share as live viewers follow it: itself, the share whose items it shows (a twin's), their transcript's turns. */
export type Loaded = { share: ShareRecord; source: ShareRecord; transcript: Summary }

export type Cache = {
  entries: Map<string, Entry>
  inflight: Map<string, Promise<Loaded>>
  evictions: number
  renderer: Renderer.Renderer
}

export function create(databaseUrl: string): Cache {
  const entries = new Map<string, Entry>()
  const renderer = Renderer.create({
    databaseUrl,
    evictions: () => cache.evictions,
    // A thread that stopped held nothing any more; loads that began before it count as overlapping.
    reset: () => {
      cache.evictions += 1
      entries.clear()
    },
  })
  const cache: Cache = { entries, inflight: new Map(), evictions: 0, renderer }
  return cache
}

/**
 * Forgets everything parsed of `shareID`: called for every removal (unshare, takedown, expiry)
 * and every rewrite in place, on every instance, so no removed text stays in memory.
 */
export function evict(cache: Cache, shareID: string): void {
  cache.evictions += 1
  cache.entries.delete(shareID)
  cache.inflight.delete(shareID)
  cache.renderer.evict(shareID)
}

/** Whether the cache, on this thread or the render thread, holds anything of `shareID` (tests and diagnostics). */
export async function has(cache: Cache, shareID: string): Promise<boolean> {
  return cache.entries.has(shareID) || (await cache.renderer.held()).includes(shareID)
}

export const close = (cache: Cache): Promise<void> => cache.renderer.close()
