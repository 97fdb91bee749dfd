/**
 * Live updates for open share pages: `GET /share/:id/events` (Server-Sent Events). On connect
 * and after each sync the client is told which turns changed since the seq it last saw
 * (`Last-Event-ID` or `?since=`); it fetches their server-rendered HTML itself. On unshare it
 * gets `removed` and the stream ends.
 *
 * Memory per connection is bounded: events are never queued, only a "something changed"
 * flag, and a write the client does not take within `writeTimeoutMs` closes the connection.
 */
import type { ServerResponse } from "node:http"
import { Hono } from "hono"
import type { z } from "zod"
import type { ReadyEvent, ReasonEvent, SyncEvent } from "../../schema/index.ts"
import { streamSSE, type SSEMessage } from "hono/streaming"
import type { Transcript } from "../../viewer/model.ts"
import type { AppEnv, Deps } from "../context.ts"
import { ApiError, tooManyStreams } from "../errors.ts"
import { twinChannel, type LiveEvent } from "./bus.ts"
import { load, type Loaded } from "./transcripts.ts"

export type LiveOptions = { heartbeatMs?: number; writeTimeoutMs?: number }

/** More changed turns than this and the client reloads the page instead. */
const MAX_TURNS = 500

/** Changed turn ids per transcript and starting seq: many viewers at one seq share them. */
const changes = new WeakMap<Transcript, Map<number, string>>()

export function payload(t: Transcript, since: number): string {
  let memo = changes.get(t)
  if (!memo) changes.set(t, (memo = new Map()))
  const hit = memo.get(since)
  if (hit) return hit
  const turns = t.root.turns.filter((x) => x.seq > since).map((x) => x.id)
  const data = JSON.stringify(
    (turns.length > MAX_TURNS ? { seq: t.seq, reload: true, turns: [] } : { seq: t.seq, turns }) satisfies SyncEvent,
  )
  if (memo.size > 64) memo.clear()
  memo.set(since, data)
  return data
}

function seqFrom(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value)) return undefined
  return Number(value)
}

export function liveRoutes(deps: Deps, options: LiveOptions = {}) {
  const heartbeatMs = options.heartbeatMs ?? 15_000
  const writeTimeoutMs = options.writeTimeoutMs ?? 30_000
  const app = new Hono<AppEnv>()

  app.get("/share/:id/events", async (c) => {
    let first: Loaded
    try {
      first = await load(deps, c.req.param("id"))
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 410 || error.status === 400)) {
        return c.json(error.body(), error.status === 410 ? 410 : 404)
      }
      throw error
    }
    // One address may hold only so many streams: each costs memory and a socket.
    const release = deps.streams.acquire(c.get("ip") ?? "")
    if (!release) {
      c.header("retry-after", "30")
      throw tooManyStreams(deps.config.limits.streamsPerAddress)
    }
    const since = seqFrom(c.req.header("last-event-id")) ?? seqFrom(c.req.query("since"))
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing
    c.header("x-accel-buffering", "no")
    c.header("x-content-type-options", "nosniff")

    return streamSSE(c, async (stream) => {
      const shareID = first.share.id
      let sourceID = first.source.id
      let last = since ?? first.transcript.seq
      let target = first.transcript.seq
      let dirty = since !== undefined && since < first.transcript.seq
      let removed: string | undefined
      // An expired share is gone at once (410), before the purge job removes it: tell viewers then.
      let expiresAt = first.share.expiresAt
      let closing = deps.closing?.aborted ?? false
      let wake: (() => void) | undefined
      const poke = () => {
        const w = wake
        wake = undefined
        w?.()
      }
      const listener = (e: LiveEvent) => {
        if (e.at !== undefined) deps.metrics.fanout((Date.now() - e.at) / 1000)
        if (e.type === "removed" && e.shareID === shareID) removed = e.reason
        else {
          if (e.type === "sync" && e.shareID === sourceID) target = Math.max(target, e.seq)
          dirty = true
        }
        poke()
      }
      const subs = [deps.bus.subscribe(shareID, listener)]
      if (sourceID !== shareID) subs.push(deps.bus.subscribe(sourceID, listener))
      // A twin hears its pair's syncs too, before it knows which of them will hold the data.
      if (first.share.twinGroup) subs.push(deps.bus.subscribe(twinChannel(first.share.twinGroup), listener))
      stream.onAbort(poke)
      // On shutdown, tell the viewer to reconnect (to another instance) instead of holding it.
      const onClosing = () => {
        closing = true
        poke()
      }
      deps.closing?.addEventListener("abort", onClosing, { once: true })

      const send = async (write: () => Promise<unknown>): Promise<boolean> => {
        let timer: NodeJS.Timeout | undefined
        const timedOut = new Promise<"timeout">((resolve) => {
          timer = setTimeout(() => resolve("timeout"), writeTimeoutMs)
        })
        const result = await Promise.race([write().then(() => "ok" as const), timedOut])
        clearTimeout(timer)
        if (result === "timeout") {
          // A viewer that stopped reading: drop it rather than buffer for it.
          stream.abort()
          outgoing?.destroy()
          return false
        }
        return !stream.aborted
      }
      const sse = (m: SSEMessage) => send(() => stream.writeSSE(m))

      try {
        if (
          !(await sse({
            event: "ready",
            data: JSON.stringify({ seq: first.transcript.seq } satisfies z.infer<typeof ReadyEvent>),
            retry: 2000,
          }))
        )
          return
        while (!stream.aborted) {
          if (closing) {
            await sse({
              event: "reconnect",
              data: JSON.stringify({ reason: "server shutting down" } satisfies z.infer<typeof ReasonEvent>),
              retry: 500,
            })
            return
          }
          if (removed === undefined && expiresAt !== null && deps.now() >= expiresAt) removed = "expired"
          if (removed !== undefined) {
            await sse({
              event: "removed",
              data: JSON.stringify({ reason: removed } satisfies z.infer<typeof ReasonEvent>),
            })
            return
          }
          if (dirty) {
            dirty = false
            let view: Loaded
            try {
              view = await load(deps, shareID)
              // A read that began just before the sync committed: read once more.
              if (view.source.id === sourceID && view.transcript.seq < target) view = await load(deps, shareID)
            } catch (error) {
              if (error instanceof ApiError && (error.status === 404 || error.status === 410)) removed = "unshared"
              else dirty = true
              continue
            }
            expiresAt = view.share.expiresAt
            if (view.source.id !== sourceID) {
              sourceID = view.source.id
              subs.push(deps.bus.subscribe(sourceID, listener))
            }
            if (view.transcript.seq !== last) {
              if (
                !(await sse({
                  event: "sync",
                  id: String(view.transcript.seq),
                  data: payload(view.transcript, view.transcript.seq < last ? -1 : last),
                }))
              )
                return
              last = view.transcript.seq
            }
            continue
          }
          let beat = false
          await new Promise<void>((resolve) => {
            const wait = expiresAt === null ? heartbeatMs : Math.max(0, Math.min(heartbeatMs, expiresAt - deps.now()))
            const timer = setTimeout(() => {
              beat = true
              poke()
            }, wait)
            wake = () => {
              clearTimeout(timer)
              resolve()
            }
          })
          if (beat && !dirty && removed === undefined && !stream.aborted) {
            if (!(await send(() => stream.write(": ping\n\n")))) return
          }
        }
      } finally {
        release()
        deps.closing?.removeEventListener("abort", onClosing)
        for (const off of subs) off()
      }
    })
  })

  return app
}
