/**
 * Live updates for open share pages: `GET /share/:id/events` (Server-Sent Events). On connect
 * and after each sync the client is told which turns changed since the seq it last saw
 * (`Last-Event-ID` or `?since=`); it fetches their server-rendered HTML itself. On unshare it
 * gets `removed` and the stream ends. The protocol is live.ts; this file opens the stream.
 *
 * Memory per connection is bounded: events are never queued, only a "something changed"
 * flag, and a write the client does not take within `writeTimeoutMs` closes the connection.
 */
import { ServerResponse } from "node:http"
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response"
import { Hono } from "hono"
import { streamSSE } from "hono/streaming"
import type { AppEnv, Deps } from "../context.ts"
import { ApiError, tooManyStreams } from "../errors.ts"
import { type Hub, Live } from "./live.ts"
import { HonoSink, NodeSink } from "./sink.ts"
import { load, type Loaded } from "./transcripts.ts"

export type LiveOptions = { heartbeatMs?: number; writeTimeoutMs?: number }

function seqFrom(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value)) return undefined
  return Number(value)
}

export function liveRoutes(deps: Deps, options: LiveOptions = {}) {
  const hub: Hub = {
    deps,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    writeTimeoutMs: options.writeTimeoutMs ?? 30_000,
    open: new Set(),
  }
  // One listener for every stream of this route, rather than one each on the signal.
  deps.closing?.addEventListener(
    "abort",
    () => {
      for (const live of [...hub.open]) live.shutdown()
    },
    { once: true },
  )
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
    c.header("x-accel-buffering", "no")
    c.header("x-content-type-options", "nosniff")
    const head = { "content-type": "text/event-stream", "cache-control": "no-cache" }
    // HEAD (hono answers it from the GET route) gets the headers, and no stream to hold.
    if (c.req.method === "HEAD") return c.body(null, 200, head)
    // One address may hold only so many streams: each costs memory and a socket.
    const release = deps.streams.acquire(c.get("ip") ?? "")
    if (!release) {
      c.header("retry-after", "30")
      throw tooManyStreams(deps.config.limits.streamsPerAddress)
    }
    const since = seqFrom(c.req.header("last-event-id")) ?? seqFrom(c.req.query("since"))
    const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing
    if (!(outgoing instanceof ServerResponse)) {
      return streamSSE(
        c,
        (stream) => new Promise<void>((resolve) => new Live(hub, new HonoSink(stream, resolve), first, since, release)),
      )
    }
    // Straight onto the Node response: no web streams per connection. The headers are the ones
    // middleware set on `c` (request id, ...) and the stream's own; Node adds the framing
    // (chunked on HTTP/1.1) and Connection. `c.res` must stay untouched: hono would copy
    // RESPONSE_ALREADY_SENT into a response the adapter writes headers for again.
    outgoing.writeHead(200, [...c.newResponse(null, 200, head).headers].flat())
    new Live(hub, new NodeSink(outgoing), first, since, release)
    return RESPONSE_ALREADY_SENT
  })

  return app
}
