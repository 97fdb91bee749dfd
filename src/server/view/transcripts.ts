/**
 * Share transcripts as the routes use them: `find` the share and the share whose items it
 * shows, then `ask` the render thread (render-thread.ts) for what the route shows of their
 * transcript; the thread reads, parses, updates and renders, so none of that runs here. `load`
 * is the live viewers' ask: the transcript's seq and turns.
 */
import type { ShareRecord } from "../../store/index.ts"
import type { Deps } from "../context.ts"
import * as Share from "../share/index.ts"
import type { Loaded, Summary } from "./cache.ts"
import type { Op, Ops } from "./render-ops.ts"

export type { Loaded, Summary }

/** A live share (else 404/410 as ApiError), the share whose items it shows, and the cache's
 * eviction count when the lookup began. */
export type Found = { share: ShareRecord; source: ShareRecord; generation: number }

export async function find(deps: Deps, id: string): Promise<Found> {
  const generation = deps.transcripts.evictions
  const share = await Share.live(deps, id)
  const source = await Share.source(deps, share)
  return { share, source, generation }
}

export type Asked<K extends Op> = { seq: number; output: Ops[K]["output"]; summary?: Summary }

async function call<K extends Op>(deps: Deps, found: Found, op: K, input: Ops[K]["input"], known: number) {
  const cache = deps.transcripts
  const key = found.source.id
  const a = await cache.renderer.ask(op, found.source, input, found.generation, known)
  for (const id of a.dropped) cache.entries.delete(id)
  const held = cache.entries.get(key)
  const turns = a.turns
  const summary: Summary | undefined = turns
    ? { seq: a.seq, root: { turns: turns.ids.map((id, i) => ({ id, seq: turns.seqs[i] as number })) } }
    : held?.version === a.version
      ? held.summary
      : undefined
  cache.entries.delete(key)
  if (a.kept && cache.evictions === found.generation) cache.entries.set(key, { version: a.version, summary })
  return { seq: a.seq, output: a.output, summary } as Asked<K>
}

/** What `op` makes of the found share's transcript, brought up to date with its source. */
export function ask<K extends Op>(deps: Deps, found: Found, op: K, input: Ops[K]["input"]): Promise<Asked<K>> {
  return call(deps, found, op, input, -1)
}

/** The share, the share whose items it shows, and their transcript's turns.
 * Concurrent loads of one share (many live viewers after one sync) share one request. */
export function load(deps: Deps, id: string): Promise<Loaded> {
  const running = deps.transcripts.inflight
  const existing = running.get(id)
  if (existing) return existing
  const p = (async () => {
    const found = await find(deps, id)
    const known = deps.transcripts.entries.get(found.source.id)?.version ?? -1
    let asked = await call(deps, found, "turns", null, known)
    // The thread sends the turns only when this thread holds another version; if what it held went meanwhile, ask for them.
    if (!asked.summary) asked = await call(deps, found, "turns", null, -1)
    return { share: found.share, source: found.source, transcript: asked.summary as Summary }
  })().finally(() => running.delete(id))
  running.set(id, p)
  return p
}
