/** Takedowns stay down and stay within the share's limits. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { share, testApp } from "../support/app.ts"

const SID = "ses_takedown_limits"
const MID = "msg_1"

const text = (id: string, body: string) => ({
  type: "part",
  data: { id, sessionID: SID, messageID: MID, type: "text", text: body, time: { start: 1, end: 2 } },
})

describe("takedown limits", () => {
  it("refuses a takedown whose markers would take the share past SHARE_LIMIT, and changes nothing", async (t) => {
    // Markers are longer than the literals they replace: 3 takedowns once turned 168 KB into 854 KB.
    const app = await testApp({ shareLimit: 200_000, redactOnIngest: "off" })
    t.after(() => app.close())
    const s = await share(app, SID)
    const body = "abcdef ".repeat(8000)
    assert.equal(
      (
        await app.send("POST", `/api/share/${s.id}/sync`, {
          secret: s.secret,
          data: [text("prt_a", body), text("prt_b", body)],
        })
      ).status,
      200,
    )
    const before = await (await app.send("GET", `/api/share/${s.id}/data`)).text()
    const r = await app.send("POST", `/api/share/${s.id}/redact`, { secret: s.secret, literal: "abcdef" })
    assert.equal(r.status, 413)
    assert.equal(((await r.json()) as { error: { code: string } }).error.code, "too_large")
    assert.equal(await (await app.send("GET", `/api/share/${s.id}/data`)).text(), before, "nothing changed")
  })

  it("refuses a takedown that would make one item larger than ITEM_LIMIT", async (t) => {
    const app = await testApp({ itemLimit: 60_000, redactOnIngest: "off" })
    t.after(() => app.close())
    const s = await share(app, SID)
    const body = "abcdef ".repeat(8000)
    assert.equal(
      (await app.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data: [text("prt_a", body)] })).status,
      200,
    )
    const r = await app.send("POST", `/api/share/${s.id}/redact`, { secret: s.secret, literal: "abcdef" })
    assert.equal(r.status, 413)
    assert.ok((await (await app.send("GET", `/api/share/${s.id}/data`)).text()).includes("abcdef"), "nothing changed")
  })

  it("keeps a taken-down item down when the client sends a remove item and then the old value", async (t) => {
    const app = await testApp({ redactOnIngest: "off" })
    t.after(() => app.close())
    const s = await share(app, SID)
    const leaked = "internal-token-7f3k29dk2la9"
    const old = text("prt_a", `the token is ${leaked}`)
    assert.equal((await app.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data: [old] })).status, 200)
    assert.equal(
      (await app.send("POST", `/api/share/${s.id}/redact`, { secret: s.secret, key: `part/${SID}/${MID}/prt_a` }))
        .status,
      200,
    )
    const removed = (await (
      await app.send("POST", `/api/share/${s.id}/sync`, {
        secret: s.secret,
        data: [{ type: "remove", data: { key: `part/${SID}/${MID}/prt_a` } }],
      })
    ).json()) as { accepted: number; stale: number }
    assert.deepEqual({ accepted: removed.accepted, stale: removed.stale }, { accepted: 0, stale: 1 })
    await app.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data: [old] })
    const data = await (await app.send("GET", `/api/share/${s.id}/data`)).text()
    assert.ok(!data.includes(leaked), "the taken-down value came back")
    assert.ok(data.includes("[redacted:owner]"))
  })
})
