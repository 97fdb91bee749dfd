/** Live updates over Server-Sent Events against a real server: what changed since the
 * client's seq, resumption, removal, heartbeats, cleanup and stalled viewers. */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { Hono } from "hono"
import { liveRoutes } from "../../src/server/view/events.ts"
import { long } from "./fixtures.ts"
import { Stream } from "./sse.ts"
import * as S from "./support.ts"

const ROOT = "ses_zzlive00000000000000000000"

/** Polls a condition until it holds; a bound, not a measurement. */
async function until(what: string, check: () => boolean, ms = 10_000) {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

const turnItems = (i: number) => long(2 * (i + 1), ROOT).slice(-5)

describe("live share events", () => {
  let srv: Awaited<ReturnType<typeof S.server>>
  before(async () => {
    srv = await S.server()
  })
  after(() => srv.close())

  it("announces the turns each sync changed, with the seq as event id", async () => {
    const share = await S.publish(srv.url, long(4, ROOT))
    const s = await Stream.open(`${srv.url}/share/${share.id}/events`)
    assert.equal(s.response.status, 200)
    assert.match(s.response.headers.get("content-type") ?? "", /text\/event-stream/)
    const ready = JSON.parse((await s.next("ready"))!.data) as { seq: number }
    await S.sync(srv.url, share, turnItems(2))
    const sync = (await s.next("sync"))!
    const data = JSON.parse(sync.data) as { seq: number; turns: string[] }
    assert.ok(data.seq > ready.seq)
    assert.equal(sync.id, String(data.seq))
    assert.deepEqual(data.turns, ["msg_000002a"])
    // A change to an existing turn names that turn only.
    await S.sync(srv.url, share, [
      {
        type: "part",
        data: { id: "prt_000000z", messageID: "msg_000000b", sessionID: ROOT, type: "text", text: "late" },
      },
    ])
    assert.deepEqual((JSON.parse((await s.next("sync"))!.data) as { turns: string[] }).turns, ["msg_000000a"])
    s.close()
  })

  it("resumes from Last-Event-ID or ?since= with what changed meanwhile", async () => {
    const share = await S.publish(srv.url, long(4, ROOT))
    const first = await Stream.open(`${srv.url}/share/${share.id}/events`)
    const seq = (JSON.parse((await first.next("ready"))!.data) as { seq: number }).seq
    first.close()
    await S.sync(srv.url, share, turnItems(2))
    await S.sync(srv.url, share, turnItems(3))
    for (const s of [
      await Stream.open(`${srv.url}/share/${share.id}/events`, { "last-event-id": String(seq) }),
      await Stream.open(`${srv.url}/share/${share.id}/events?since=${seq}`),
    ]) {
      const data = JSON.parse((await s.next("sync"))!.data) as { turns: string[] }
      assert.deepEqual(data.turns, ["msg_000002a", "msg_000003a"])
      s.close()
    }
  })

  it("tells open viewers when the share is removed and ends the stream", async () => {
    const share = await S.publish(srv.url, long(2, ROOT))
    const s = await Stream.open(`${srv.url}/share/${share.id}/events`)
    await s.next("ready")
    await S.remove(srv.url, share)
    const removed = await s.next("removed")
    assert.equal((JSON.parse(removed!.data) as { reason: string }).reason, "unshared")
    assert.equal(await s.ended(), true)
  })

  it("drops its bus subscription when the viewer disconnects", async () => {
    const share = await S.publish(srv.url, long(2, ROOT))
    const baseline = srv.deps.bus.size()
    const streams = await Promise.all([1, 2, 3].map(() => Stream.open(`${srv.url}/share/${share.id}/events`)))
    for (const s of streams) await s.next("ready")
    assert.equal(srv.deps.bus.size(), baseline + 3)
    for (const s of streams) s.close()
    await until("subscriptions to be released", () => srv.deps.bus.size() === baseline)
  })

  it("follows the synced twin of a double-created share", async () => {
    const root = "ses_zztwin00000000000000000000"
    const empty = await S.create(srv.url, root)
    const twin = await S.create(srv.url, root)
    await S.sync(srv.url, twin, long(2, root))
    assert.match(await (await fetch(`${srv.url}/share/${empty.id}`)).text(), /Prompt number 0/)
    const s = await Stream.open(`${srv.url}/share/${empty.id}/events`)
    await s.next("ready")
    await S.sync(srv.url, twin, long(4, root).slice(-5))
    assert.deepEqual((JSON.parse((await s.next("sync"))!.data) as { turns: string[] }).turns, ["msg_000001a"])
    s.close()
  })

  it("sends heartbeats while idle", async () => {
    const share = await S.publish(srv.url, long(2, ROOT))
    const app = new Hono().route("/", liveRoutes(srv.deps, { heartbeatMs: 20 }))
    const r = await app.request(`/share/${share.id}/events`)
    const reader = r.body!.getReader()
    let text = ""
    while (!text.includes(": ping")) text += new TextDecoder().decode((await reader.read()).value)
    await reader.cancel()
    assert.match(text, /event: ready/)
  })

  it("drops a viewer that stops reading instead of buffering for it", async () => {
    const share = await S.publish(srv.url, long(2, ROOT))
    const baseline = srv.deps.bus.size()
    const app = new Hono().route("/", liveRoutes(srv.deps, { heartbeatMs: 5, writeTimeoutMs: 50 }))
    // The body is never read: every write after the first waits, then times out.
    const r = await app.request(`/share/${share.id}/events`)
    assert.equal(r.status, 200)
    await until("the subscription to appear", () => srv.deps.bus.size() === baseline + 1)
    for (let i = 2; i < 6; i++) await S.sync(srv.url, share, turnItems(i))
    await until("the stalled viewer to be dropped", () => srv.deps.bus.size() === baseline)
  })
})
