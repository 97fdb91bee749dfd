import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { realShare } from "../support/fixtures.ts"
import { share, testApp, type TestApp } from "../support/app.ts"

describe("share page", () => {
  let t: TestApp
  before(async () => {
    t = await testApp()
  })
  after(() => t.close())

  it("renders the title and conversation server-side, escaped, with safe headers", async () => {
    const s = await share(t, "ses_page")
    const hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    await t.send("POST", `/api/share/${s.id}/sync`, {
      secret: s.secret,
      data: [
        { type: "session", data: { id: "ses_page", title: hostile } },
        { type: "message", data: { id: "msg_1", sessionID: "ses_page", role: "user" } },
        {
          type: "part",
          data: { id: "prt_1", sessionID: "ses_page", messageID: "msg_1", type: "text", text: `hi ${hostile}` },
        },
      ],
    })
    const res = await t.app.request(`/share/${s.id}`)
    assert.equal(res.status, 200)
    const html = await res.text()
    assert.ok(!html.includes("<script>alert(1)"))
    assert.ok(!html.includes("<img src=x"))
    assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"))
    const csp = res.headers.get("content-security-policy") ?? ""
    assert.match(csp, /default-src 'none'/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.doesNotMatch(csp, /unsafe-inline/)
    assert.equal(res.headers.get("x-content-type-options"), "nosniff")
    assert.equal(res.headers.get("referrer-policy"), "no-referrer")
  })

  it("renders a real OpenCode session", async () => {
    const items = realShare()
    const s = await share(t, items[0].data.id)
    await t.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data: items })
    const html = await (await t.app.request(`/share/${s.id}`)).text()
    assert.ok(html.includes(`<title>${items[0].data.title}`))
    const text = items.find((i) => i.type === "part" && i.data.type === "text" && !i.data.synthetic)!.data
      .text as string
    assert.ok(html.includes(text.replaceAll('"', "&quot;").slice(0, 20)))
  })

  it("redirects /s/:id to /share/:id", async () => {
    const res = await t.app.request("/s/s_abc")
    assert.equal(res.status, 301)
    assert.equal(res.headers.get("location"), "/share/s_abc")
  })

  it("answers 404 and 410 with human pages, never a 200 Not Found", async () => {
    const missing = await t.app.request("/share/s_missing")
    assert.equal(missing.status, 404)
    assert.match(missing.headers.get("content-type") ?? "", /text\/html/)
    assert.match(await missing.text(), /not found/i)
    const s = await share(t, "ses_gone")
    await t.send("DELETE", `/api/share/${s.id}`, { secret: s.secret })
    const gone = await t.app.request(`/share/${s.id}`)
    assert.equal(gone.status, 410)
    assert.match(await gone.text(), /removed/i)
  })
})
