/** Live streams written straight to Node's response under @hono/node-server: the headers and the
 * access line a stream gets, and a viewer that stops reading dropped on the socket's backpressure. */
import assert from "node:assert/strict"
import { once } from "node:events"
import { mkdtempSync, rmSync } from "node:fs"
import type { Server as NodeServer } from "node:http"
import type { AddressInfo } from "node:net"
import { connect } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { serve } from "@hono/node-server"
import { Hono } from "hono"
import * as Config from "../../src/server/config.ts"
import * as Server from "../../src/server/index.ts"
import * as Log from "../../src/server/log.ts"
import { liveRoutes } from "../../src/server/view/events.ts"
import { long } from "./fixtures.ts"
import { Stream } from "./sse.ts"
import * as S from "./support.ts"

const ROOT = "ses_zznode00000000000000000000"

/** Polls a condition until it holds; a bound, not a measurement. */
async function until(what: string, check: () => boolean, ms = 20_000) {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Turns with ids near the id limit, so one `sync` event naming all of them is ~120 KB. */
const TURNS = 480
const turnID = (i: number) => `msg_${String(i).padStart(4, "0")}${"x".repeat(240)}`
const turns = (round: number) =>
  Array.from({ length: TURNS }, (_, i) => ({
    type: "part",
    data: { id: `prt_${i}`, messageID: turnID(i), sessionID: ROOT, type: "text", text: `round ${round}` },
  }))

describe("live streams on a Node response", () => {
  const lines: Record<string, unknown>[] = []
  const dir = mkdtempSync(join(tmpdir(), "agentshare-live-node-"))
  let srv: Server.Running
  // Real time, plus what a test skips ahead.
  let skipped = 0
  const now = () => Date.now() + skipped
  before(async () => {
    const log = Log.create(
      { logLevel: "info", logFormat: "json" },
      { write: (l: string) => void lines.push(JSON.parse(l)) },
    )
    const config = Config.defaults({ port: 0, databaseUrl: `sqlite:${join(dir, "db.sqlite")}` })
    srv = await Server.start(config, { log, now })
  })
  after(async () => {
    await srv.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it("sends the stream's headers and those middleware set, and logs one access line", async () => {
    const share = await S.publish(srv.url, long(2, ROOT))
    const s = await Stream.open(`${srv.url}/share/${share.id}/events`)
    assert.equal(s.response.status, 200)
    const h = s.response.headers
    assert.equal(h.get("content-type"), "text/event-stream")
    assert.equal(h.get("cache-control"), "no-cache")
    assert.equal(h.get("x-accel-buffering"), "no")
    assert.equal(h.get("x-content-type-options"), "nosniff")
    assert.match(h.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/)
    assert.ok(await s.next("ready"))
    const access = lines.find((l) => l.msg === "request" && l.path === `/share/${share.id}/events`)
    assert.equal(access?.status, 200)
    assert.equal(access?.reqId, h.get("x-request-id"))
    s.close()
  })

  it("answers HEAD with the stream's headers, holds no stream, and keeps the connection", async (t) => {
    const share = await S.publish(srv.url, long(2, ROOT))
    const baseline = srv.deps.bus.size()
    const socket = connect(srv.port, "127.0.0.1")
    t.after(() => socket.destroy())
    let text = ""
    socket.on("data", (d) => (text += d.toString()))
    socket.write(`HEAD /share/${share.id}/events HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`)
    await until("the HEAD response", () => text.includes("\r\n\r\n"))
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/)
    assert.match(text, /content-type: text\/event-stream\r\n/i)
    assert.match(text, /x-content-type-options: nosniff\r\n/i)
    assert.equal(srv.deps.bus.size(), baseline)
    assert.equal(srv.deps.streams.count("127.0.0.1"), 0)
    // The same connection serves the next request.
    socket.write("GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n")
    await once(socket, "close")
    assert.match(text, /\{"ok":true\}$/)
  })

  /** liveRoutes on the server's deps, listening on its own port, straight to Node's response. */
  async function live(t: { after(fn: () => unknown): void }, options: Parameters<typeof liveRoutes>[1]) {
    const app = new Hono().route("/", liveRoutes(srv.deps, options))
    const node = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" })
    await once(node, "listening")
    t.after(() => {
      node.close()
      ;(node as NodeServer).closeAllConnections()
    })
    return (node.address() as AddressInfo).port
  }

  it("tells an open viewer its share expired, at the next heartbeat at the latest", async (t) => {
    const r = await fetch(`${srv.url}/api/share`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sessionID: "ses_zzexpire0000000000000000", expiresIn: "1h" }),
    })
    const share = (await r.json()) as S.Share
    const port = await live(t, { heartbeatMs: 50 })
    const s = await Stream.open(`http://127.0.0.1:${port}/share/${share.id}/events`)
    assert.ok(await s.next("ready"))
    skipped += 3_600_000 + 1000
    const removed = await s.next("removed")
    assert.equal((JSON.parse(removed!.data) as { reason: string }).reason, "expired")
    assert.equal(await s.ended(), true)
  })

  it("drops a viewer that stops reading after writeTimeoutMs, and keeps one that reads", async (t) => {
    const items = [
      { type: "session", data: { id: ROOT, title: "big turns" } },
      ...Array.from({ length: TURNS }, (_, i) => ({
        type: "message",
        data: { id: turnID(i), sessionID: ROOT, role: "user", time: { created: i } },
      })),
      ...turns(0),
    ]
    const share = await S.publish(srv.url, items)
    const port = await live(t, { heartbeatMs: 60_000, writeTimeoutMs: 300 })
    const baseline = srv.deps.bus.size()

    const reader = await Stream.open(`http://127.0.0.1:${port}/share/${share.id}/events`)
    await reader.next("ready")
    // A viewer that reads its response head, then nothing more.
    const stalled = connect(port, "127.0.0.1")
    t.after(() => stalled.destroy())
    stalled.write(`GET /share/${share.id}/events HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: text/event-stream\r\n\r\n`)
    const [head] = (await once(stalled, "data")) as [Buffer]
    assert.match(head.toString(), /^HTTP\/1\.1 200 OK\r\n[\s\S]*content-type: text\/event-stream/i)
    stalled.pause()
    await until("both subscriptions", () => srv.deps.bus.size() === baseline + 2)

    // Each sync names every turn: a ~120 KB event, until the stalled socket's buffers are full.
    for (let round = 1; round <= 150 && srv.deps.bus.size() > baseline + 1; round++) {
      await S.sync(srv.url, share, turns(round))
      assert.ok(await reader.next("sync"), "the reading viewer hears each sync")
    }
    await until("the stalled viewer to be dropped", () => srv.deps.bus.size() === baseline + 1)
    assert.equal(srv.deps.streams.count(""), 1, "its stream slot is given back")
    reader.close()
    await until("the reader's subscription to go", () => srv.deps.bus.size() === baseline)
  })
})
