/**
 * The Server-Sent Events frames of the live stream, whole (`event:`, `data:`, `id:` lines and
 * the blank line), as strings: a sync heard by many viewers at one seq is serialised once and
 * every socket is handed the same string.
 */
import type { z } from "zod"
import type { ReadyEvent, ReasonEvent, SyncEvent } from "../../schema/index.ts"
import type { Summary } from "./cache.ts"

/** More changed turns than this and the client reloads the page instead. */
const MAX_TURNS = 500

/** A comment line: keeps proxies and the browser from timing out an idle stream. */
export const PING = ": ping\n\n"

export const ready = (seq: number) =>
  `event: ready\ndata: ${JSON.stringify({ seq } satisfies z.infer<typeof ReadyEvent>)}\nretry: 2000\n\n`

/** On shutdown: reconnect soon, to another instance. */
export const RECONNECT = `event: reconnect\ndata: ${JSON.stringify({ reason: "server shutting down" } satisfies z.infer<typeof ReasonEvent>)}\nretry: 500\n\n`

export const removed = (reason: string) =>
  `event: removed\ndata: ${JSON.stringify({ reason } satisfies z.infer<typeof ReasonEvent>)}\n\n`

/** The `sync` frame per transcript and starting seq: many viewers at one seq share it. */
const frames = new WeakMap<Summary, Map<number, string>>()

/** What changed in `t` since `since` (-1: everything), with `t.seq` as the event id. */
export function sync(t: Summary, since: number): string {
  let memo = frames.get(t)
  if (!memo) frames.set(t, (memo = new Map()))
  const hit = memo.get(since)
  if (hit) return hit
  const turns = t.root.turns.filter((x) => x.seq > since).map((x) => x.id)
  const data = JSON.stringify(
    (turns.length > MAX_TURNS ? { seq: t.seq, reload: true, turns: [] } : { seq: t.seq, turns }) satisfies SyncEvent,
  )
  // JSON.stringify escapes line breaks, so the data is one `data:` line.
  const frame = `event: sync\ndata: ${data}\nid: ${t.seq}\n\n`
  if (memo.size > 64) memo.clear()
  memo.set(since, frame)
  return frame
}
