/**
 * Link previews and embeds: the og:image is a valid 1200×630 PNG (and Chromium draws it), one
 * per share version, bounded for hostile titles; the oEmbed endpoint the page names answers
 * valid oEmbed JSON; the embed view is served only when allowed, with its CSP's
 * frame-ancestors from EMBED_ORIGINS, and Chromium frames it from an allowed site and refuses
 * it elsewhere (and refuses the full page everywhere).
 */
import assert from "node:assert/strict"
import { createServer, type Server as HttpServer } from "node:http"
import type { AddressInfo } from "node:net"
import { after, before, describe, it } from "node:test"
import type { Browser } from "playwright-core"
import { OEmbed } from "../../src/schema/index.ts"
import * as Browsers from "../support/browser.ts"
import * as Claude from "../viewer/claude-session.ts"
import { long } from "../viewer/fixtures.ts"
import * as S from "../viewer/support.ts"

const skip = Browsers.missing()

/** Width, height and whether the bytes are a PNG whose chunks all check out (CRC included). */
function png(buf: Buffer): { width: number; height: number } {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature")
  let at = 8
  const types: string[] = []
  while (at < buf.length) {
    const len = buf.readUInt32BE(at)
    const type = buf.subarray(at + 4, at + 8).toString("latin1")
    const crc = buf.readUInt32BE(at + 8 + len)
    assert.equal(crc, crc32(buf.subarray(at + 4, at + 8 + len)), `CRC of ${type}`)
    types.push(type)
    at += 12 + len
  }
  assert.equal(types[0], "IHDR")
  assert.equal(types.at(-1), "IEND")
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) }
}

function crc32(b: Buffer): number {
  let c = ~0
  for (const byte of b) {
    c ^= byte
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}

/** Another site on another port: a page that frames `src`. */
async function site(src: string): Promise<{ url: string; server: HttpServer }> {
  const server = createServer((_, res) => {
    res.setHeader("content-type", "text/html")
    res.end(`<!doctype html><title>blog</title><iframe id="f" src="${src}" width="600" height="400"></iframe>`)
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

describe("previews and embeds", { skip }, () => {
  let srv: Awaited<ReturnType<typeof S.server>>
  let browser: Browser
  let allowed: Awaited<ReturnType<typeof site>>
  let other: Awaited<ReturnType<typeof site>>
  let claude: S.Share
  before(async () => {
    // The allowed site's origin must be known before the server starts.
    allowed = await site("about:blank")
    srv = await S.server({ viewer: { idleAfterMs: 120_000, embed: "share", embedOrigins: [allowed.url] } })
    browser = await Browsers.launch()
    claude = await S.publish(srv.url, Claude.items() as S.Item[])
    other = await site(`${srv.url}/share/${claude.id}/embed`)
    allowed.server.removeAllListeners("request")
    allowed.server.on("request", (req, res) => {
      res.setHeader("content-type", "text/html")
      const path = new URL(req.url ?? "/", allowed.url).searchParams.get("src") ?? ""
      res.end(
        `<!doctype html><title>blog</title><iframe id="f" src="${srv.url}${path}" width="600" height="400"></iframe>`,
      )
    })
  })
  after(async () => {
    await browser?.close()
    await srv?.close()
    allowed?.server.close()
    other?.server.close()
  })

  it("names a 1200×630 PNG card as og:image and twitter:image, which Chromium draws", async () => {
    const page = await browser.newPage()
    await page.goto(`${srv.url}/share/${claude.id}`)
    const og = await page.getAttribute('meta[property="og:image"]', "content")
    assert.equal(await page.getAttribute('meta[name="twitter:image"]', "content"), og)
    assert.equal(await page.getAttribute('meta[name="twitter:card"]', "content"), "summary_large_image")
    const r = await fetch(og!)
    assert.equal(r.status, 200)
    assert.equal(r.headers.get("content-type"), "image/png")
    const bytes = Buffer.from(await r.arrayBuffer())
    assert.deepEqual(png(bytes), { width: 1200, height: 630 })
    // The same version is served from the cache, and revalidates to 304.
    const again = await fetch(og!, { headers: { "if-none-match": r.headers.get("etag")! } })
    assert.equal(again.status, 304)
    const size = await page.evaluate(async (src) => {
      const img = new Image()
      img.src = src
      await img.decode()
      return [img.naturalWidth, img.naturalHeight]
    }, og!)
    assert.deepEqual(size, [1200, 630])
    await page.close()
  })

  it("draws a card for a hostile title within the same bounds", async () => {
    const items = long(2, "ses_zzcardhostile000000000000")
    ;(items[0].data as { title: string }).title =
      `${"W".repeat(5000)} ${"\u202e\u0000<script>".repeat(200)} ${"🧨".repeat(300)}`
    const share = await S.publish(srv.url, items)
    const start = performance.now()
    const r = await fetch(`${srv.url}/share/${share.id}/card.png`)
    assert.equal(r.status, 200)
    assert.deepEqual(png(Buffer.from(await r.arrayBuffer())), { width: 1200, height: 630 })
    assert.ok(performance.now() - start < 10_000, "a bounded card")
    assert.equal((await fetch(`${srv.url}/share/s_nothere/card.png`)).status, 404)
  })

  it("answers valid oEmbed JSON at the endpoint the page names: a link until embedding is on, then rich", async () => {
    const page = await browser.newPage()
    await page.goto(`${srv.url}/share/${claude.id}`)
    const href = await page.getAttribute('link[rel="alternate"][type="application/json+oembed"]', "href")
    assert.ok(href?.startsWith(`${srv.url}/api/oembed?url=`))
    const link = OEmbed.parse(await (await fetch(href!)).json())
    assert.equal(link.type, "link")
    assert.equal(link.title, "Friendlier greet()")
    assert.equal(link.provider_name, "agentshare")
    assert.deepEqual([link.thumbnail_width, link.thumbnail_height], [1200, 630])
    assert.equal((await fetch(link.thumbnail_url)).status, 200)
    // The embed view is off until the owner turns it on.
    assert.equal((await fetch(`${srv.url}/share/${claude.id}/embed`)).status, 404)
    const on = await fetch(`${srv.url}/api/share/${claude.id}/embed`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ secret: claude.secret, embed: true }),
    })
    assert.equal(on.status, 200, await on.text())
    const rich = OEmbed.parse(await (await fetch(`${href!}&maxwidth=500`)).json())
    assert.equal(rich.type, "rich")
    assert.equal(rich.width, 500)
    assert.match(
      rich.html ?? "",
      new RegExp(
        `^<iframe src="${srv.url}/share/${claude.id}/embed" width="500" height="\\d+" title="Friendlier greet\\(\\)"`,
      ),
    )
    // Not a link of this server, XML, a wrong secret: refused.
    assert.equal(
      (await fetch(`${srv.url}/api/oembed?url=${encodeURIComponent(`https://elsewhere.example/share/${claude.id}`)}`))
        .status,
      404,
    )
    assert.equal((await fetch(`${href!}`.replace("format=json", "format=xml"))).status, 501)
    assert.equal(
      (
        await fetch(`${srv.url}/api/share/${claude.id}/embed`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ secret: "wrong", embed: true }),
        })
      ).status,
      403,
    )
    await page.close()
  })

  it("serves the embed with frame-ancestors from EMBED_ORIGINS: framed on an allowed site, refused elsewhere", async () => {
    await fetch(`${srv.url}/api/share/${claude.id}/embed`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ secret: claude.secret, embed: true }),
    })
    const r = await fetch(`${srv.url}/share/${claude.id}/embed`)
    assert.equal(r.status, 200)
    const csp = r.headers.get("content-security-policy") ?? ""
    assert.match(csp, new RegExp(`frame-ancestors ${allowed.url}(;|$)`))
    assert.match(csp, /default-src 'none'; script-src 'self'/)
    assert.equal(r.headers.get("x-frame-options"), null)
    // The full page may never be framed.
    assert.match(
      (await fetch(`${srv.url}/share/${claude.id}`)).headers.get("content-security-policy") ?? "",
      /frame-ancestors 'none'/,
    )

    const page = await browser.newPage()
    await page.goto(`${allowed.url}/?src=${encodeURIComponent(`/share/${claude.id}/embed`)}`)
    const frame = page.frameLocator("#f")
    await frame.locator("body.embed[data-live=open]").waitFor()
    assert.equal(await frame.locator("h1").textContent(), "Friendlier greet()")
    assert.equal(await frame.locator(".outline").count(), 0)
    assert.equal(await frame.locator("details.tool[open]").count(), 0)
    // The same site cannot frame the full page.
    const full = await browser.newPage()
    await full.goto(`${allowed.url}/?src=${encodeURIComponent(`/share/${claude.id}`)}`)
    // goto waits for the load event, which waits for the frame (loaded or refused).
    assert.equal(await full.frameLocator("#f").locator("body[data-share]").count(), 0)
    // Another site cannot frame the embed.
    const elsewhere = await browser.newPage()
    await elsewhere.goto(other.url)
    // goto waits for the load event, which waits for the frame (loaded or refused).
    assert.equal(await elsewhere.frameLocator("#f").locator("body[data-share]").count(), 0)
    await Promise.all([page.close(), full.close(), elsewhere.close()])
  })
})
