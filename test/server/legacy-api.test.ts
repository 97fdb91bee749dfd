import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { testApp, type TestApp } from "../support/app.ts"

describe("legacy Share module protocol", () => {
  let t: TestApp
  before(async () => {
    t = await testApp()
  })
  after(() => t.close())

  const session = {
    id: "ses_legacy",
    title: "Legacy <b>title</b>",
    version: "0.5.29",
    time: { created: 1, updated: 2 },
  }
  const message = { id: "msg_001", sessionID: "ses_legacy", role: "user", time: { created: 3 } }
  const part = {
    id: "prt_001",
    sessionID: "ses_legacy",
    messageID: "msg_001",
    type: "text",
    text: "hello from the old client",
  }

  it("creates, syncs one key at a time, and lands in the same kind of share", async () => {
    const created = await t.send("POST", "/share_create", { sessionID: "ses_legacy" })
    assert.equal(created.status, 200)
    const { url, secret } = (await created.json()) as { url: string; secret: string }
    const id = url.split("/share/")[1]
    assert.match(id, /^s_/)
    for (const [key, content] of [
      ["session/info/ses_legacy", session],
      ["session/message/ses_legacy/msg_001", message],
      ["session/part/ses_legacy/msg_001/prt_001", part],
    ] as const) {
      const r = await t.send("POST", "/share_sync", { sessionID: "ses_legacy", secret, key, content })
      assert.equal(r.status, 200, key)
    }
    // Read through the current protocol: same storage, same import shape.
    const data = (await (await t.send("GET", `/api/share/${id}/data`)).json()) as { type: string; data: any }[]
    assert.deepEqual(
      data.map((i) => [i.type, i.data.id]),
      [
        ["session", "ses_legacy"],
        ["message", "msg_001"],
        ["part", "prt_001"],
      ],
    )
    const page = await (await t.app.request(`/share/${id}`)).text()
    assert.ok(page.includes("hello from the old client"))
    assert.ok(page.includes("Legacy &lt;b&gt;title&lt;/b&gt;"))

    assert.equal((await t.send("POST", "/share_delete", { sessionID: "ses_legacy", secret: "wrong" })).status, 403)
    assert.equal((await t.send("POST", "/share_delete", { sessionID: "ses_legacy", secret })).status, 200)
    assert.equal((await t.send("GET", `/api/share/${id}/data`)).status, 410)
  })

  it("fills ids a pre-1.0 message leaves out from its key", async () => {
    const { secret, url } = (await (await t.send("POST", "/share_create", { sessionID: "ses_v1" })).json()) as {
      url: string
      secret: string
    }
    const v1 = {
      id: "msg_v1",
      role: "assistant",
      parts: [{ type: "text", text: "v1" }],
      metadata: { sessionID: "ses_v1", time: { created: 1 } },
    }
    const r = await t.send("POST", "/share_sync", {
      sessionID: "ses_v1",
      secret,
      key: "session/message/ses_v1/msg_v1",
      content: v1,
    })
    assert.equal(r.status, 200)
    const id = url.split("/share/")[1]
    const found = await t.deps.store.shares.find(id)
    assert.ok(found.state === "live")
    const rows = await t.deps.store.shares.items(found.share)
    assert.deepEqual(
      rows.map((x) => x.key),
      ["message/ses_v1/msg_v1"],
    )
  })

  it("refuses unknown keys, unknown sessions and wrong secrets", async () => {
    const { secret } = (await (await t.send("POST", "/share_create", { sessionID: "ses_keys" })).json()) as {
      secret: string
    }
    const bad = await t.send("POST", "/share_sync", {
      sessionID: "ses_keys",
      secret,
      key: "session/other/x",
      content: {},
    })
    assert.equal(bad.status, 400)
    assert.equal(((await bad.json()) as any).error.code, "invalid_key")
    assert.equal(
      (
        await t.send("POST", "/share_sync", {
          sessionID: "ses_none",
          secret,
          key: "session/info/ses_none",
          content: {},
        })
      ).status,
      404,
    )
    assert.equal(
      (
        await t.send("POST", "/share_sync", {
          sessionID: "ses_keys",
          secret: "nope",
          key: "session/info/ses_keys",
          content: {},
        })
      ).status,
      403,
    )
  })
})
