/** The share page's formats and statuses: Markdown and JSON for agents, 404/410 pages, windows
 * of long shares with an outline and plain page links, and fragments for the live script. */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { PAGE } from "../../src/viewer/window.ts"
import { kitchenSink, long, ROOT } from "./fixtures.ts"
import * as S from "./support.ts"

describe("share page routes", () => {
  let srv: Awaited<ReturnType<typeof S.server>>
  let sink: S.Share
  let big: S.Share
  let gone: S.Share

  before(async () => {
    srv = await S.server()
    sink = await S.publish(srv.url, kitchenSink())
    big = await S.publish(srv.url, long(400, "ses_zzlong00000000000000000000"))
    gone = await S.publish(srv.url, long(4, "ses_zzgone00000000000000000000"))
    await S.remove(srv.url, gone)
  })
  after(() => srv.close())

  it("serves a Markdown transcript at .md and on Accept: text/markdown", async () => {
    const md = await fetch(`${srv.url}/share/${sink.id}.md`)
    assert.equal(md.status, 200)
    assert.match(md.headers.get("content-type") ?? "", /^text\/markdown/)
    const text = await md.text()
    assert.match(text, /^# Kitchen sink session\n/)
    assert.match(text, /## Turn 1 /)
    assert.match(text, /> Look at @src\/app\.ts and ask @review please/)
    assert.match(text, /```console\n\$ npm test\n/)
    assert.match(text, /_Interrupted_/)
    const negotiated = await fetch(`${srv.url}/share/${sink.id}`, { headers: { accept: "text/markdown" } })
    assert.match(negotiated.headers.get("content-type") ?? "", /^text\/markdown/)
    assert.equal(await negotiated.text(), text)
    assert.match(negotiated.headers.get("vary") ?? "", /accept/i)
    const browser = await fetch(`${srv.url}/share/${sink.id}`, {
      headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" },
    })
    assert.match(browser.headers.get("content-type") ?? "", /^text\/html/)
  })

  it("widens code fences so content cannot close them", async () => {
    const { fence } = await import("../../src/viewer/transcript.ts")
    assert.equal(fence("a ```` b"), "`````\na ```` b\n`````")
  })

  it("serves the items as JSON at .json", async () => {
    const r = await fetch(`${srv.url}/share/${sink.id}.json`)
    assert.equal(r.status, 200)
    const body = (await r.json()) as { id: string; sessionID: string; items: { type: string }[] }
    assert.equal(body.id, sink.id)
    assert.equal(body.sessionID, ROOT)
    assert.equal(body.items[0].type, "session")
    assert.equal(body.items.length, kitchenSink().length)
  })

  it("answers 404 and 410 with human pages in every format", async () => {
    for (const [id, code] of [
      ["s_doesnotexist", 404],
      [gone.id, 410],
      ["bad.id.x", 404],
    ] as const) {
      const page = await fetch(`${srv.url}/share/${id}`)
      assert.equal(page.status, code, id)
      const html = await page.text()
      assert.match(html, code === 404 ? /<h1>Share not found<\/h1>/ : /<h1>Share removed<\/h1>/)
      assert.equal(page.headers.get("x-content-type-options"), "nosniff")
      assert.equal((await fetch(`${srv.url}/share/${id}.md`)).status, code)
      assert.equal((await fetch(`${srv.url}/share/${id}.json`)).status, code)
      assert.equal((await fetch(`${srv.url}/share/${id}/fragment`)).status, code)
      assert.equal((await fetch(`${srv.url}/share/${id}/events`)).status, code)
    }
  })

  it("shows the latest window of a long share with an outline of every turn", async () => {
    const html = await (await fetch(`${srv.url}/share/${big.id}`)).text()
    assert.equal(html.match(/<section class="turn"/g)?.length, PAGE)
    assert.equal(html.match(/<li data-outline=/g)?.length, 200)
    assert.match(html, /id="t-msg_000199a"/)
    assert.doesNotMatch(html, /id="t-msg_000000a"/)
    // Turns outside the window link to the page that holds them; plain links, no script needed.
    assert.match(html, /<a href="\?turns=1-30#t-msg_000000a">/)
    assert.match(html, /<a href="\?turns=151-180" rel="prev">← Earlier turns/)
  })

  it("serves earlier turns as pages and resolves permalinks with ?at=", async () => {
    const first = await (await fetch(`${srv.url}/share/${big.id}?turns=1-30`)).text()
    assert.equal(first.match(/<section class="turn"/g)?.length, 30)
    assert.match(first, /id="t-msg_000000a"/)
    assert.match(first, /rel="next">Later turns \(31–60\)/)
    const at = await (await fetch(`${srv.url}/share/${big.id}?at=p-prt_000042b`)).text()
    assert.match(at, /id="p-prt_000042b"/)
    assert.match(at, /data-from="30" data-to="60"/)
    const hostile = await fetch(`${srv.url}/share/${big.id}?turns=99999999-1&at=%3Cscript%3E`)
    assert.equal(hostile.status, 200)
  })

  it("renders fragments of the requested turns and the header", async () => {
    const q = new URLSearchParams([
      ["turn", "msg_000010a"],
      ["turn", "msg_000011a"],
      ["turn", "nope"],
      ["from", "0"],
      ["to", "30"],
    ])
    const r = await fetch(`${srv.url}/share/${big.id}/fragment?${q}`)
    assert.equal(r.status, 200)
    const html = await r.text()
    assert.equal(html.match(/<template data-kind="turn"/g)?.length, 2)
    assert.equal(html.match(/<template data-kind="header"/g)?.length, 1)
    assert.match(html, /data-id="msg_000011a" data-index="11"><section class="turn" id="t-msg_000011a"/)
  })

  it("compresses pages for clients that accept it", async () => {
    const r = await fetch(`${srv.url}/share/${big.id}`, { headers: { "accept-encoding": "gzip" } })
    assert.equal(r.headers.get("content-encoding"), "gzip")
  })

  it("redirects the short /s/:id link", async () => {
    const r = await fetch(`${srv.url}/s/${sink.id}`, { redirect: "manual" })
    assert.equal(r.status, 301)
    assert.equal(r.headers.get("location"), `/share/${sink.id}`)
  })
})

describe("indexing", () => {
  it("allows indexing when noindex is turned off", async () => {
    const srv = await S.server({ noindex: false })
    try {
      const share = await S.publish(srv.url, long(2, "ses_zzindex0000000000000000000"))
      const r = await fetch(`${srv.url}/share/${share.id}`)
      assert.equal(r.headers.get("x-robots-tag"), null)
      assert.doesNotMatch(await r.text(), /name="robots"/)
    } finally {
      await srv.close()
    }
  })
})
