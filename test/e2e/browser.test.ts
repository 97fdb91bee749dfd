/** The share page in Debian's Chromium: a real share renders, syncs appear without reload,
 * unshare shows the removed state, and a 5,000-message share paints its first window. */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import type { Browser, Page } from "playwright-core"
import * as Browsers from "../support/browser.ts"
import { long } from "../viewer/fixtures.ts"
import * as S from "../viewer/support.ts"

const skip = Browsers.missing()

/** Records what must never happen on our pages: dialogs, CSP violations, script errors. */
async function watch(page: Page) {
  const problems: string[] = []
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`)
    void d.dismiss()
  })
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`))
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`)
  })
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const w = window as unknown as { __csp?: string[] }
      ;(w.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`)
    })
  })
  return problems
}

describe("share page in a browser", { skip }, () => {
  let srv: Awaited<ReturnType<typeof S.server>>
  let browser: Browser
  before(async () => {
    srv = await S.server()
    browser = await Browsers.launch()
  })
  after(async () => {
    await browser?.close()
    await srv?.close()
  })

  it("renders the real client's share and goes live", async () => {
    const share = await S.publish(srv.url, S.realItems())
    const page = await browser.newPage()
    const problems = await watch(page)
    await page.goto(`${srv.url}/share/${share.id}`)
    await page.waitForSelector("body[data-live=open]")
    assert.equal(await page.locator("h1").textContent(), "serve lifecycle")
    assert.equal(await page.locator("main > .turn").count(), 4)
    assert.match((await page.locator(".live").textContent()) ?? "", /Live/)
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []), [])
    assert.deepEqual(problems, [])
    await page.close()
  })

  it("shows a sync posted while the page is open, without a reload", async () => {
    const root = "ses_zzbrowserlive0000000000000"
    const share = await S.publish(srv.url, long(4, root))
    const page = await browser.newPage()
    const problems = await watch(page)
    await page.goto(`${srv.url}/share/${share.id}`)
    await page.waitForSelector("body[data-live=open]")
    await page.evaluate(() => {
      ;(window as unknown as { __sameDocument: boolean }).__sameDocument = true
    })
    // A new turn whose tool is still running...
    const next = long(6, root).slice(-5)
    const running = structuredClone(next)
    const tool = running[4].data as { state: Record<string, unknown> }
    tool.state = {
      status: "running",
      input: { command: "npm test -- f2" },
      metadata: { output: "streaming-partial" },
      time: { start: 1 },
    }
    await S.sync(srv.url, share, running)
    await page.waitForSelector("#t-msg_000002a .st-running")
    assert.match((await page.locator("#t-msg_000002a").textContent()) ?? "", /streaming-partial/)
    // The turn before it now links to it, and its outline entry points into this page.
    await page.waitForSelector('#t-msg_000001a a[rel=next][href="#t-msg_000002a"]')
    assert.equal(await page.getAttribute('.outline li[data-outline="msg_000002a"] a', "href"), "#t-msg_000002a")
    // ...then completes in place.
    await S.sync(srv.url, share, next.slice(4))
    await page.waitForSelector("#t-msg_000002a .st-completed")
    assert.match((await page.locator("#p-prt_000002c").textContent()) ?? "", /ok 2/)
    assert.equal(await page.locator(".outline li").count(), 3)
    assert.equal(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument), true)
    assert.deepEqual(problems, [])
    await page.close()
  })

  it("replaces the content with the notice when the share is unshared while open", async () => {
    const share = await S.publish(srv.url, long(2, "ses_zzbrowsergone0000000000000"))
    const page = await browser.newPage()
    await page.goto(`${srv.url}/share/${share.id}`)
    await page.waitForSelector("body[data-live=open]")
    await S.remove(srv.url, share)
    await page.waitForSelector("body[data-removed='1']")
    assert.match((await page.locator("main.removed h1").textContent()) ?? "", /Share removed/)
    assert.match((await page.locator("main.removed").textContent()) ?? "", /removed by its owner/)
    assert.equal(await page.getAttribute("body", "data-live"), "removed")
    // Pulled means gone: none of the conversation is left in the page.
    assert.equal(await page.locator(".turn").count(), 0)
    assert.doesNotMatch(await page.content(), /Prompt number 0/)
    assert.equal(await page.title(), "Share removed | agentshare")
    await page.close()
  })

  it("paints the first window of a 5,000-message share", async () => {
    const share = await S.publish(srv.url, long(5000, "ses_zzbrowserlong0000000000000"), 1000)
    const page = await browser.newPage()
    const problems = await watch(page)
    await page.goto(`${srv.url}/share/${share.id}`, { timeout: 60_000 })
    await page.waitForSelector("#t-msg_002499a", { timeout: 60_000 })
    assert.equal(await page.locator("main > .turn").count(), 30)
    assert.equal(await page.locator(".outline li").count(), 2500)
    await page.waitForSelector("body[data-live=open]")
    // An outline link to an early turn opens the page that holds it.
    await page.locator('.outline li[data-outline="msg_000003a"] a').click()
    await page.waitForSelector("#t-msg_000003a")
    assert.deepEqual(problems, [])
    await page.close()
  })
})
