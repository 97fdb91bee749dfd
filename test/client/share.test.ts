import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import * as Client from "../../src/client/index.ts"
import type { SyncItem } from "../../src/schema/index.ts"
import * as Proxy from "../support/cli-proxy.ts"
import * as TestServer from "../support/cli-server.ts"

const session = (id: string, updated: number, title = "t"): SyncItem => ({
  type: "session",
  data: { id, title, time: { created: 1, updated } },
})
const message = (sid: string, id: string): SyncItem => ({
  type: "message",
  data: { id, sessionID: sid, role: "user", time: { created: 1 } },
})
const text = (sid: string, mid: string, id: string, body: string): SyncItem => ({
  type: "part",
  data: { id, sessionID: sid, messageID: mid, type: "text", text: body },
})

async function data(url: string, id: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const res = await fetch(`${url}/api/share/${id}/data`)
  assert.equal(res.status, 200)
  return (await res.json()) as { type: string; data: Record<string, unknown> }[]
}

/** Every value a key was sent with, in the order the proxy forwarded them. */
function history(seen: Proxy.Seen[], key: (item: SyncItem) => string | undefined): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>()
  for (const s of seen) {
    if (!s.path.endsWith("/sync") || s.status !== 200) continue
    for (const item of (JSON.parse(s.body) as { data: SyncItem[] }).data) {
      const k = key(item)
      if (k) out.set(k, [...(out.get(k) ?? []), item.data])
    }
  }
  return out
}

describe("share client against a real server", () => {
  let server: TestServer.TestServer
  before(async () => {
    server = await TestServer.start()
  })
  after(async () => {
    await server.close()
  })

  it("runs prepare on every batch before it is sent, and a throw stops the share with that error", async () => {
    const seen: string[][] = []
    const boom = new Error("the scanner broke")
    const client = Client.Share.client({
      server: server.url,
      batchMs: 1,
      prepare: async (_share, batch) => {
        seen.push(batch.map((i) => i.type))
        if (batch.some((i) => i.type === "part" && (i.data as { text?: string }).text === "stop")) throw boom
        return batch.map((i) => (i.type === "part" ? { ...i, data: { ...(i.data as object), text: "prepared" } } : i))
      },
    })
    const share = await client.create("ses_prep")
    client.sync(share, [
      session("ses_prep", 1),
      message("ses_prep", "msg_1"),
      text("ses_prep", "msg_1", "prt_1", "raw"),
    ])
    await client.flush(share)
    assert.equal((await data(server.url, share.id))[2]?.data.text, "prepared")
    client.sync(share, [text("ses_prep", "msg_1", "prt_2", "stop")])
    await assert.rejects(client.flush(share), (e: Error) => e instanceof Client.Share.ShareClosed && e.cause === boom)
    assert.equal(client.failure(share), boom)
    // Nothing after the stop is sent.
    assert.throws(() => client.sync(share, [text("ses_prep", "msg_1", "prt_3", "later")]))
    assert.equal((await data(server.url, share.id)).length, 3)
    await client.dispose()
    assert.equal(client.failure(share), boom, "still known after dispose")
  })

  it("creates a share, syncs items in order and flushes them", async () => {
    const client = Client.Share.client({ server: server.url })
    const share = await client.create("ses_a")
    assert.match(share.url, /\/share\/s_/)
    client.sync(share, [session("ses_a", 1), message("ses_a", "msg_1"), text("ses_a", "msg_1", "prt_1", "hello")])
    await client.flush(share)
    assert.equal(client.pending(share), 0)
    const items = await data(server.url, share.id)
    assert.deepEqual(
      items.map((i) => i.type),
      ["session", "message", "part"],
    )
    assert.equal(items[2].data.text, "hello")
    await client.dispose()
  })

  it("sends only the latest unsent value of a key", async () => {
    const proxy = await Proxy.start(server.url)
    const client = Client.Share.client({ server: proxy.url, batchMs: 10_000 })
    const share = await client.create("ses_b")
    for (let i = 1; i <= 50; i++) client.sync(share, [text("ses_b", "msg_1", "prt_1", "x".repeat(i))])
    client.sync(share, [session("ses_b", 5), message("ses_b", "msg_1")])
    await client.flush(share)
    const syncs = proxy.seen.filter((s) => s.path.endsWith("/sync"))
    assert.equal(syncs.length, 1)
    const sent = (JSON.parse(syncs[0].body) as { data: SyncItem[] }).data
    assert.equal(sent.length, 3)
    assert.equal((sent[0].data as { text: string }).text, "x".repeat(50))
    await client.dispose()
    await proxy.close()
  })

  it("keeps one request in flight and never sends an older value after a newer one", async () => {
    const proxy = await Proxy.start(server.url)
    const client = Client.Share.client({ server: proxy.url, batchMs: 1, backoff: { baseMs: 5, maxMs: 20 } })
    const share = await client.create("ses_c")
    // Some batches fail and are retried while newer values keep arriving.
    proxy.fail(3, 503, {}, "/sync")
    for (let i = 1; i <= 200; i++) {
      client.sync(share, [text("ses_c", "msg_1", `prt_${i % 7}`, String(i)), session("ses_c", i)])
      if (i % 20 === 0) await new Promise((r) => setImmediate(r))
    }
    await client.flush(share)
    assert.equal(proxy.maxInFlight(), 1)
    const sent = history(proxy.seen, (item) =>
      item.type === "part" ? String((item.data as { id: string }).id) : item.type,
    )
    for (const [key, values] of sent) {
      const numbers = values.map((v) =>
        Number(
          (v as { text?: string; time?: { updated: number } }).text ??
            (v as { time: { updated: number } }).time.updated,
        ),
      )
      assert.deepEqual(
        numbers,
        [...numbers].sort((a, b) => a - b),
        `values of ${key} went out of order`,
      )
    }
    const items = await data(server.url, share.id)
    assert.equal(
      items.find((i) => i.type === "session")?.data.time &&
        (items.find((i) => i.type === "session")!.data.time as { updated: number }).updated,
      200,
    )
    const parts = items.filter((i) => i.type === "part").map((i) => [i.data.id, i.data.text])
    assert.deepEqual(
      new Map(parts as [string, string][]),
      new Map(Array.from({ length: 7 }, (_, k) => [`prt_${k}`, String(200 - ((200 - k) % 7))])),
    )
    await client.dispose()
    await proxy.close()
  })

  it("honours Retry-After on 429 and retries 5xx", async () => {
    const proxy = await Proxy.start(server.url)
    const events: Client.Share.QueueEvent[] = []
    const client = Client.Share.client({
      server: proxy.url,
      batchMs: 1,
      backoff: { baseMs: 5, maxMs: 10 },
      onEvent: (e) => events.push(e),
    })
    const share = await client.create("ses_d")
    proxy.fail(1, 429, { "retry-after": "1" }, "/sync")
    proxy.fail(1, 500, {}, "/sync")
    client.sync(share, [session("ses_d", 1)])
    await client.flush(share)
    const retries = events.filter((e) => e.type === "retry")
    assert.equal(retries.length, 2)
    assert.equal(retries[0].type === "retry" && retries[0].delayMs, 1000)
    assert.ok(retries[1].type === "retry" && retries[1].delayMs <= 10)
    assert.equal((await data(server.url, share.id)).length, 1)
    await client.dispose()
    await proxy.close()
  })

  it("does not retry a 4xx and reports it from flush", async () => {
    const proxy = await Proxy.start(server.url)
    const client = Client.Share.client({ server: proxy.url, batchMs: 1 })
    const stolen = { ...(await client.create("ses_e")), secret: "wrong" }
    client.sync(stolen, [session("ses_e", 1)])
    await assert.rejects(client.flush(stolen), (e: Error) => e.name === "SyncRejected")
    assert.throws(
      () => client.sync(stolen, [session("ses_e", 2)]),
      (e: Error) => e.name === "ShareClosed",
    )
    assert.equal(proxy.seen.filter((s) => s.path.endsWith("/sync")).length, 1)
    const share = await client.create("ses_e")
    proxy.fail(1, 400, {}, "/sync")
    client.sync(share, [session("ses_e", 2)])
    await assert.rejects(client.flush(share), (e: Error) => e.name === "SyncRejected")
    assert.equal(proxy.seen.filter((s) => s.path.endsWith("/sync")).length, 2)
    await client.dispose()
    await proxy.close()
  })

  it("loses nothing and keeps order across a server stopped and restarted mid-stream", async () => {
    const client = Client.Share.client({ server: server.url, batchMs: 5, backoff: { baseMs: 20, maxMs: 200 } })
    const share = await client.create("ses_f")
    client.sync(share, [session("ses_f", 1), message("ses_f", "msg_1"), text("ses_f", "msg_1", "prt_1", "a")])
    await client.flush(share)
    await server.stop()
    for (let i = 2; i <= 30; i++)
      client.sync(share, [
        message("ses_f", `msg_${String(i).padStart(2, "0")}`),
        text("ses_f", "msg_1", "prt_1", "a".repeat(i)),
      ])
    client.sync(share, [session("ses_f", 99, "after restart")])
    const flushed = client.flush(share)
    // The queue must still hold the items while the server is down.
    assert.ok(client.pending(share) > 0)
    await server.restart()
    await flushed
    const items = await data(server.url, share.id)
    assert.equal(items.filter((i) => i.type === "message").length, 30)
    assert.equal(items.find((i) => i.type === "part")?.data.text, "a".repeat(30))
    assert.equal(items[0].data.title, "after restart")
    await client.dispose()
  })

  it("removes a share and drops what was queued for it", async () => {
    const client = Client.Share.client({ server: server.url, batchMs: 10_000 })
    const share = await client.create("ses_g")
    client.sync(share, [session("ses_g", 1)])
    await client.remove(share)
    assert.equal(client.pending(), 0)
    assert.equal((await fetch(`${server.url}/api/share/${share.id}/data`)).status, 410)
    assert.equal((await client.dispose()).unsent, 0)
  })
})
