/** The page's reading controls in Debian's Chromium: copy buttons and copy-link, expand and
 * collapse all tools, hide reasoning, unified/split diffs and previous/next turn; each keeps
 * its state when a real sync replaces or adds turns while the page is open. */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import type { Browser, BrowserContext, Page } from "playwright-core"
import * as Browsers from "../support/browser.ts"
import { kitchenSink, long } from "../viewer/fixtures.ts"
import * as S from "../viewer/support.ts"

const skip = Browsers.missing()

type Tool = {
  id: string
  messageID: string
  sessionID: string
  type: string
  tool: string
  state: Record<string, unknown>
}

const pad = (i: number) => String(i).padStart(6, "0")

/** Turn i's answer gains a part (long() sessions). */
function extra(root: string, i: number, k: string, data: Record<string, unknown>): S.Item {
  return { type: "part", data: { id: `prt_${pad(i)}${k}`, messageID: `msg_${pad(i)}b`, sessionID: root, ...data } }
}

function edit(root: string, i: number, k: string, diff: Record<string, unknown>): S.Item {
  return extra(root, i, k, {
    type: "tool",
    tool: "edit",
    callID: `call_${i}${k}`,
    state: {
      status: "completed",
      input: { filePath: "/p/src/f.ts" },
      output: "ok",
      title: "src/f.ts",
      metadata: diff,
      time: { start: 1, end: 2 },
    },
  })
}

/** The tool of turn i (long() sessions) with new output: the turn is replaced in place. */
function rerun(items: S.Item[], i: number, output: string): S.Item {
  const tool = structuredClone(items.find((x) => (x.data as { id?: string }).id === `prt_${pad(i)}c`)!) as {
    type: string
    data: Tool
  }
  tool.data.state = { ...tool.data.state, output }
  return tool
}

async function guard(page: Page) {
  const problems: string[] = []
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`))
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`)
  })
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`)
    void d.dismiss()
  })
  return problems
}

describe("reading controls in a browser", { skip }, () => {
  let srv: Awaited<ReturnType<typeof S.server>>
  let browser: Browser
  let context: BrowserContext
  before(async () => {
    srv = await S.server()
    browser = await Browsers.launch()
    context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] })
  })
  after(async () => {
    await browser?.close()
    await srv?.close()
  })

  async function open(id: string, query = "") {
    const page = await context.newPage()
    const problems = await guard(page)
    await page.goto(`${srv.url}/share/${id}${query}`)
    await page.waitForSelector("body[data-live=open]")
    await page.waitForSelector(".controls button", { state: "attached" })
    return { page, problems }
  }

  /** Opens the bar's reading menu (its controls are one click away). */
  async function menu(page: Page) {
    if (!(await page.locator(".bar .menu").evaluate((d: HTMLDetailsElement) => d.open)))
      await page.locator(".bar .menu > summary").click()
  }

  async function clipboardAfter(page: Page, selector: string): Promise<string> {
    await page.locator(selector).click()
    await page.waitForSelector(`${selector}[data-copied="1"]`)
    return page.evaluate(() => navigator.clipboard.readText())
  }

  it("copies code blocks, terminal blocks, a turn's last answer and permalinks", async () => {
    const share = await S.publish(srv.url, kitchenSink())
    const { page, problems } = await open(share.id)
    assert.equal(await clipboardAfter(page, "#p-prt_0002c .copy-wrap > .copy"), "const answer: number = 42\n")
    // Tool rows are collapsed: the terminal block is one click away.
    await page.locator("#p-prt_0002d > summary").click()
    assert.equal(await clipboardAfter(page, "#p-prt_0002d .copy-wrap > .copy"), "$ npm test\nFAIL 1 test failed\n")
    const answer = await clipboardAfter(page, "#m-msg_0002 > .part-actions > .copy.answer")
    assert.match(answer, /^Here is code:\n/)
    assert.match(answer, /const answer: number = 42/)
    assert.doesNotMatch(answer, /Copy|Link/)
    assert.equal(
      await clipboardAfter(page, "#t-msg_0001 > .turn-head .copy.prompt"),
      "Look at @src/app.ts and ask @review please",
    )
    assert.equal(
      await clipboardAfter(page, "#t-msg_0001 > .turn-head .copy-link"),
      `${srv.url}/share/${share.id}#t-msg_0001`,
    )
    // A call's link sits in its open row, beside (not over) what it shows, and keeps the row open.
    assert.equal(await page.locator("#p-prt_0002e").evaluate((d: HTMLDetailsElement) => d.open), false)
    await page.locator("#p-prt_0002e > summary").click()
    assert.equal(
      await clipboardAfter(page, "#p-prt_0002e .tool-actions > .copy-link"),
      `${srv.url}/share/${share.id}#p-prt_0002e`,
    )
    assert.equal(await page.locator("#p-prt_0002e").evaluate((d: HTMLDetailsElement) => d.open), true)
    assert.equal(
      await clipboardAfter(page, "#m-msg_0002 > .part-actions > .copy-link"),
      `${srv.url}/share/${share.id}#p-prt_0002c`,
    )
    // Buttons are named for screen readers and reachable by keyboard.
    assert.equal(await page.getAttribute("#p-prt_0002d .copy", "aria-label"), "Copy command and output")
    assert.deepEqual(problems, [])
    await page.close()
  })

  it("adds copy buttons to content that arrives live", async () => {
    const root = "ses_zzctlcopy00000000000000000"
    const items = long(4, root)
    const share = await S.publish(srv.url, items)
    const { page, problems } = await open(share.id)
    await S.sync(srv.url, share, long(6, root).slice(-5))
    await page.waitForSelector("#p-prt_000002c .copy-wrap > .copy", { state: "attached" })
    await page.locator("#p-prt_000002c > summary").click()
    assert.equal(await clipboardAfter(page, "#p-prt_000002c .copy-wrap > .copy"), "$ npm test -- f2\nok 2\n")
    assert.equal(await page.locator("#t-msg_000002a .copy.answer").count(), 1)
    assert.deepEqual(problems, [])
    await page.close()
  })

  it("expands and collapses all tools, and tools that arrive live follow", async () => {
    const root = "ses_zzctltools0000000000000000"
    const items = long(4, root)
    const share = await S.publish(srv.url, items)
    const { page, problems } = await open(share.id)
    const openStates = () => page.$$eval("details.tool", (ds) => ds.map((d) => (d as HTMLDetailsElement).open))
    // Calm by default: every row starts collapsed; expand all, then collapse all.
    assert.deepEqual(await openStates(), [false, false])
    await menu(page)
    await page.getByRole("button", { name: "Expand all tools" }).click()
    assert.deepEqual(await openStates(), [true, true])
    await page.getByRole("button", { name: "Collapse all tools" }).click()
    assert.deepEqual(await openStates(), [false, false])
    // A sync replaces turn 1 (its tool ran again) and adds turn 2.
    await S.sync(srv.url, share, [rerun(items, 1, "rerun-output\n"), ...long(6, root).slice(-5)])
    await page.waitForSelector("#t-msg_000002a")
    await page.waitForFunction(() => document.querySelector("#p-prt_000001c")?.textContent?.includes("rerun-output"))
    assert.deepEqual(await openStates(), [false, false, false])
    // Expand all, then the reader closes one tool by hand: a later sync keeps both choices.
    await menu(page)
    await page.getByRole("button", { name: "Expand all tools" }).focus()
    await page.keyboard.press("Enter")
    assert.deepEqual(await openStates(), [true, true, true])
    await page.locator("#p-prt_000001c > summary").click()
    await S.sync(srv.url, share, [
      rerun(items, 1, "rerun-again\n"),
      rerun(long(6, root), 2, "ok again\n"),
      ...long(8, root).slice(-5),
    ])
    await page.waitForSelector("#t-msg_000003a")
    await page.waitForFunction(
      () =>
        document.querySelector("#p-prt_000001c")?.textContent?.includes("rerun-again") &&
        document.querySelector("#p-prt_000002c")?.textContent?.includes("ok again"),
    )
    assert.deepEqual(await openStates(), [true, false, true, true])
    assert.deepEqual(problems, [])
    await page.close()
  })

  it("hides reasoning, for reasoning that arrives live too, and remembers it", async () => {
    const root = "ses_zzctlthink0000000000000000"
    const think = (i: number, text: string) =>
      extra(root, i, "r", { type: "reasoning", text, time: { start: 1, end: 2 } })
    const share = await S.publish(srv.url, [...long(4, root), think(1, "first thoughts")])
    const { page, problems } = await open(share.id)
    await menu(page)
    const toggle = page.getByRole("button", { name: "Hide reasoning" })
    assert.equal(await toggle.getAttribute("aria-pressed"), "false")
    assert.equal(await page.isVisible("#p-prt_000001r"), true)
    await toggle.focus()
    await page.keyboard.press("Space")
    assert.equal(await toggle.getAttribute("aria-pressed"), "true")
    assert.equal(await page.isVisible("#p-prt_000001r"), false)
    await S.sync(srv.url, share, [...long(6, root).slice(-5), think(2, "second thoughts")])
    await page.waitForSelector("#p-prt_000002r", { state: "attached" })
    assert.equal(await page.isVisible("#p-prt_000002r"), false)
    // The choice outlives a reload.
    await page.reload()
    await page.waitForSelector("body.hide-reasoning")
    assert.equal(await page.isVisible("#p-prt_000002r"), false)
    await menu(page)
    await page.getByRole("button", { name: "Hide reasoning" }).click()
    assert.equal(await page.isVisible("#p-prt_000002r"), true)
    assert.deepEqual(problems, [])
    await page.close()
  })

  it("switches diffs between unified and split, for diffs that arrive live too, and remembers it", async () => {
    const root = "ses_zzctldiffs0000000000000000"
    const share = await S.publish(srv.url, [
      ...long(4, root),
      edit(root, 1, "e", { diff: "--- a\n+++ b\n@@ -1,2 +1,2 @@\n keep\n-old line\n+new line\n" }),
    ])
    const { page, problems } = await open(share.id)
    await page.locator("#p-prt_000001e > summary").click()
    await menu(page)
    const toggle = page.getByRole("button", { name: "Split diffs side by side" })
    assert.equal(await page.isVisible("#p-prt_000001e pre.diff"), true)
    assert.equal(await page.isVisible("#p-prt_000001e .diff-split"), false)
    await toggle.click()
    assert.equal(await toggle.getAttribute("aria-pressed"), "true")
    assert.equal(await page.isVisible("#p-prt_000001e pre.diff"), false)
    assert.equal(await page.isVisible("#p-prt_000001e .diff-split"), true)
    // A diff of the other FileDiff shape arrives in a new turn, and the session's panel too.
    await S.sync(srv.url, share, [
      ...long(6, root).slice(-5),
      edit(root, 2, "e", { filediff: { file: "/p/src/g.ts", before: "a\nb\n", after: "a\nc\n" } }),
      { type: "session_diff", data: [{ file: "src/g.ts", before: "a\nb\n", after: "a\nc\n" }] },
    ])
    await page.waitForSelector("#p-prt_000002e .diff-split", { state: "attached" })
    await page.locator("#p-prt_000002e > summary").click()
    assert.equal(await page.isVisible("#p-prt_000002e .diff-split"), true)
    assert.equal(await page.isVisible("#p-prt_000002e pre.diff"), false)
    assert.match((await page.locator("#p-prt_000002e .diff-split").textContent()) ?? "", /2b2c/)
    await page.reload()
    await page.waitForSelector("body.split-diffs")
    await page.locator("#p-prt_000002e > summary").click()
    await menu(page)
    await page.getByRole("button", { name: "Split diffs side by side" }).click()
    assert.equal(await page.isVisible("#p-prt_000002e pre.diff"), true)
    assert.equal(await page.isVisible("#p-prt_000002e .diff-split"), false)
    assert.equal(await page.evaluate(() => localStorage.getItem("agentshare:diffs")), "unified")
    assert.deepEqual(problems, [])
    await page.close()
  })

  it("moves to the previous and next turn from the outline, across pages and live turns", async () => {
    const root = "ses_zzctlnav00000000000000000"
    const share = await S.publish(srv.url, long(70, root))
    const { page, problems } = await open(share.id)
    const prev = page.locator(".bar .nav-prev")
    const next = page.locator(".bar .nav-next")
    // The latest page shows turns 6-35; at its top, "next" is its first turn.
    assert.equal(await prev.isDisabled(), false)
    await next.click()
    await page.waitForFunction(() => location.hash === "#t-msg_000005a")
    assert.equal(await page.evaluate(() => document.activeElement?.id), "t-msg_000005a")
    await next.click()
    await page.waitForFunction(() => location.hash === "#t-msg_000006a")
    await prev.click()
    await page.waitForFunction(() => location.hash === "#t-msg_000005a")
    // Turn 5 is on the page before: "previous" opens it there.
    await prev.click()
    await page.waitForURL(/\?turns=1-30#t-msg_000004a$/)
    await page.waitForSelector(".controls button", { state: "attached" })
    await page.close()
    // On the latest page, a turn added live is where "next" goes from the last one.
    const latest = await open(share.id, "#t-msg_000034a")
    await latest.page.waitForSelector(".nav-next:disabled")
    await S.sync(srv.url, share, long(72, root).slice(-5))
    await latest.page.waitForSelector('.outline li[data-outline="msg_000035a"]')
    await latest.page.waitForFunction(() => !document.querySelector<HTMLButtonElement>(".nav-next")!.disabled)
    await latest.page.locator(".nav-next").focus()
    await latest.page.keyboard.press("Enter")
    await latest.page.waitForFunction(() => location.hash === "#t-msg_000035a")
    assert.deepEqual([...problems, ...latest.problems], [])
    await latest.page.close()
  })
})
