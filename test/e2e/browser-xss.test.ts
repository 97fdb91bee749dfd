/**
 * Hostile content in every field of a share (the blns corpus plus classic XSS payloads):
 * in Chromium no script of theirs runs (dialogs trapped, a global canary untouched), and the
 * CSP reports no violation, with every reading control and copy button used. Checked on first
 * paint and after the same content arrives live.
 */
import assert from "node:assert/strict"
import { createRequire } from "node:module"
import { after, before, describe, it } from "node:test"
import type { Browser, Page } from "playwright-core"
import * as Browsers from "../support/browser.ts"
import * as S from "../viewer/support.ts"

const skip = Browsers.missing()
const blns = createRequire(import.meta.url)("blns") as string[]

const CLASSIC = [
  `<script>window.__pwned=1;alert(1)</script>`,
  `"><img src=x onerror="window.__pwned=1;alert(1)">`,
  `'><svg onload=alert(1)>`,
  `javascript:window.__pwned=1;alert(1)`,
  `[click](javascript:alert(1)) ![x](javascript:alert(1)) <a href="javascript:alert(1)">a</a>`,
  `</template><script>alert(1)</script>`,
  `</textarea></pre></details><script>alert(1)</script>`,
  `<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>`,
  `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
  `<style>body{background:url(javascript:alert(1))}</style>`,
  `data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==`,
  "```html\n<script>alert(1)</script>\n```",
  `<base href="https://evil.example/">`,
  `<form action="https://evil.example"><button>x</button></form>`,
  `{{constructor.constructor('alert(1)')()}}`,
  `\u2028\u2029<img src=x onerror=alert(1)>`,
]

const ROOT = "ses_zzxss000000000000000000000"

function hostile(): S.Item[] {
  const all = [...CLASSIC, ...blns]
  let n = 0
  const pick = () => all[n++ % all.length]
  const items: S.Item[] = [
    {
      type: "session",
      data: {
        id: ROOT,
        title: `${CLASSIC[0]}${CLASSIC[1]}`,
        version: CLASSIC[2],
        directory: CLASSIC[3],
        time: { created: 1, updated: 2 },
      },
    },
    {
      type: "session_diff",
      data: [
        { file: CLASSIC[1], patch: `--- ${CLASSIC[0]}\n+++ x\n@@ -1 +1 @@\n-${CLASSIC[1]}\n+${CLASSIC[5]}\n` },
        { file: CLASSIC[2], before: CLASSIC[6], after: CLASSIC[7] },
      ],
    },
    { type: "model", data: [{ id: CLASSIC[0], providerID: CLASSIC[1], name: CLASSIC[2] }] },
  ]
  // One turn per group of payloads; every field of every part carries one.
  for (let t = 0; n < all.length; t++) {
    const u = `msg_${String(t).padStart(4, "0")}a`
    const a = `msg_${String(t).padStart(4, "0")}b`
    const p = (k: string) => `prt_${String(t).padStart(4, "0")}${k}`
    items.push({
      type: "message",
      data: {
        id: u,
        sessionID: ROOT,
        role: "user",
        agent: pick(),
        model: { providerID: pick(), modelID: pick() },
        time: { created: t },
        summary: { diffs: [{ file: pick(), before: pick(), after: pick() }] },
      },
    })
    const text = pick()
    items.push({ type: "part", data: { id: p("a"), messageID: u, sessionID: ROOT, type: "text", text } })
    items.push({
      type: "part",
      data: {
        id: p("b"),
        messageID: u,
        sessionID: ROOT,
        type: "file",
        mime: "image/svg+xml",
        filename: pick(),
        url: `javascript:alert(1)`,
        source: { text: { start: 0, end: Math.min(3, text.length) } },
      },
    })
    items.push({
      type: "part",
      data: { id: p("c"), messageID: u, sessionID: ROOT, type: "agent", name: pick(), source: { start: 0, end: 2 } },
    })
    items.push({
      type: "message",
      data: {
        id: a,
        sessionID: ROOT,
        role: "assistant",
        parentID: u,
        modelID: pick(),
        providerID: pick(),
        agent: pick(),
        path: { root: pick() },
        error: { name: pick(), data: { message: pick(), responseBody: pick() } },
        time: { created: t, completed: t + 1 },
      },
    })
    items.push({
      type: "part",
      data: {
        id: p("d"),
        messageID: a,
        sessionID: ROOT,
        type: "text",
        text: `${pick()}\n\n${pick()}\n\n[x](${pick()})`,
        time: { start: 1, end: 2 },
      },
    })
    items.push({
      type: "part",
      data: { id: p("e"), messageID: a, sessionID: ROOT, type: "reasoning", text: pick(), time: { start: 1 } },
    })
    for (const [k, tool] of [
      ["f", "bash"],
      ["g", "edit"],
      ["h", "write"],
      ["i", "read"],
      ["j", "webfetch"],
      ["k", "websearch"],
      ["l", "todowrite"],
      ["m", "task"],
      ["n", "question"],
      ["o", "apply_patch"],
      ["p", pick()],
    ] as const) {
      items.push({
        type: "part",
        data: {
          id: p(k),
          messageID: a,
          sessionID: ROOT,
          type: "tool",
          tool,
          callID: pick(),
          state: {
            status: k === "p" ? "error" : "completed",
            title: pick(),
            output: pick(),
            error: pick(),
            input: {
              command: pick(),
              filePath: pick(),
              content: pick(),
              url: pick(),
              query: pick(),
              pattern: pick(),
              oldString: pick(),
              newString: pick(),
              description: pick(),
              prompt: pick(),
              subagent_type: pick(),
              [pick()]: pick(),
              questions: [{ question: pick(), header: pick(), options: [{ label: pick(), description: pick() }] }],
              todos: [{ content: pick(), status: pick(), priority: pick() }],
            },
            metadata: {
              output: pick(),
              diff: `--- a\n+++ b\n@@ -1 +1 @@\n-${pick()}\n+${pick()}`,
              diagnostics: { [pick()]: [{ severity: 1, message: pick() }] },
              files: [{ relativePath: pick(), type: pick(), patch: pick() }],
              answers: [[pick()]],
              todos: [{ content: pick(), status: pick() }],
              sessionId: pick(),
              summary: [{ tool: pick(), state: { title: pick(), status: pick() } }],
              loaded: [pick()],
              provider: pick(),
              exit: 1,
            },
            time: { start: 0, end: 1 },
          },
        },
      })
    }
    items.push({
      type: "part",
      data: {
        id: p("q"),
        messageID: a,
        sessionID: ROOT,
        type: pick().replace(/[^a-z]/g, "") || "weird",
        payload: pick(),
      },
    })
    items.push({
      type: "part",
      data: {
        id: p("r"),
        messageID: a,
        sessionID: ROOT,
        type: "retry",
        attempt: 1,
        error: { data: { message: pick() } },
      },
    })
    items.push({
      type: "part",
      data: {
        id: p("s"),
        messageID: a,
        sessionID: ROOT,
        type: "subtask",
        agent: pick(),
        description: pick(),
        prompt: pick(),
        command: pick(),
      },
    })
    items.push({
      type: "part",
      data: {
        id: p("t"),
        messageID: a,
        sessionID: ROOT,
        type: "step-finish",
        reason: pick(),
        cost: 1,
        tokens: { input: 1, output: 1, reasoning: 0, cache: { read: 0, write: 0 } },
      },
    })
  }
  // Hostile ids too: a message and part whose ids are payloads.
  items.push({
    type: "message",
    data: { id: `msg_"><img src=x onerror=alert(1)>`, sessionID: ROOT, role: "user", time: { created: 9 } },
  })
  items.push({
    type: "part",
    data: {
      id: `prt_'><svg onload=alert(1)>`,
      messageID: `msg_"><img src=x onerror=alert(1)>`,
      sessionID: ROOT,
      type: "text",
      text: CLASSIC[0],
    },
  })
  return items
}

const turns = (items: S.Item[]) =>
  items.filter((i) => i.type === "message" && (i.data as { role: string }).role === "user").length

async function guard(page: Page) {
  const problems: string[] = []
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`)
    void d.dismiss()
  })
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`))
  await page.addInitScript(() => {
    const w = window as unknown as { __pwned: number; __csp: string[] }
    w.__pwned = 0
    w.__csp = []
    document.addEventListener("securitypolicyviolation", (e) => {
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`)
    })
  })
  return problems
}

async function verdict(page: Page, problems: string[]) {
  // Every reading control and copy button runs over the hostile content too.
  await page.waitForSelector(".controls button", { state: "attached" })
  for (const name of [
    "Collapse all tools",
    "Expand all tools",
    "Hide reasoning",
    "Split diffs side by side",
    "Next turn",
    "Next turn",
    "Previous turn",
  ]) {
    // The reading controls live in the bar's menu: open it when it is closed.
    if (!(await page.getByRole("button", { name }).isVisible())) await page.locator(".bar .menu > summary").click()
    await page.getByRole("button", { name }).click()
  }
  await page.evaluate(() => {
    for (const b of document.querySelectorAll<HTMLButtonElement>("button.copy, button.copy-link")) b.click()
  })
  // Open every <details> so any lazily shown content is in the live DOM too.
  await page.evaluate(() => {
    for (const d of document.querySelectorAll("details")) d.open = true
  })
  const state = await page.evaluate(() => {
    const w = window as unknown as { __pwned: number; __csp: string[] }
    return {
      pwned: w.__pwned,
      csp: w.__csp,
      scripts: [...document.scripts].map((s) => s.src),
      handlers: document.querySelectorAll("[onerror],[onload],[onclick]").length,
      iframes: document.querySelectorAll("iframe,object,embed,form,base,meta[http-equiv]").length,
    }
  })
  assert.equal(state.pwned, 0, "the canary was set")
  assert.deepEqual(state.csp, [], "CSP violations")
  assert.equal(state.handlers, 0, "elements with inline handlers")
  assert.equal(state.iframes, 0, "frames, forms, bases or refresh metas")
  assert.equal(state.scripts.length, 2)
  assert.match(state.scripts[0], /\/assets\/live\.[0-9a-f]{12}\.js$/)
  assert.match(state.scripts[1], /\/assets\/controls\.[0-9a-f]{12}\.js$/)
  assert.deepEqual(problems, [])
}

describe("hostile share content in a browser", { skip }, () => {
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

  it("runs no script from the corpus on first paint, on any page", async () => {
    const share = await S.publish(srv.url, hostile())
    const page = await browser.newPage()
    const problems = await guard(page)
    await page.goto(`${srv.url}/share/${share.id}?turns=all`)
    await page.waitForSelector("body[data-live=open]")
    assert.equal(await page.locator("main > .turn").count(), turns(hostile()))
    await verdict(page, problems)
    for (const path of [".md", ".json"]) {
      const r = await fetch(`${srv.url}/share/${share.id}${path}`)
      assert.equal(r.headers.get("x-content-type-options"), "nosniff")
      assert.doesNotMatch(r.headers.get("content-type") ?? "", /html/)
    }
    await page.close()
  })

  it("runs no script from the corpus when it arrives live", async () => {
    const items = hostile()
    const share = await S.publish(srv.url, items.slice(0, 3))
    const page = await browser.newPage()
    const problems = await guard(page)
    await page.goto(`${srv.url}/share/${share.id}`)
    await page.waitForSelector("body[data-live=open]")
    await S.sync(srv.url, share, items.slice(3))
    await page.waitForFunction((n) => document.querySelectorAll("main > .turn").length === n, turns(items))
    await verdict(page, problems)
    await page.close()
  })
})
