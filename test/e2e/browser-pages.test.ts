/**
 * Every page a person can land on, in Debian's Chromium at 390 px and at desktop width, light
 * and dark: no horizontal overflow, and axe-core finds no serious or critical violation, with
 * the share pages' rows collapsed and all open. The landing page, 404 and 410, share pages of
 * OpenCode (a generated kitchen sink and the real client's share) and of a Claude Code session,
 * the Changes view, the embed view, and every admin page. Then the keyboard: rows, the menu.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import type { Browser, Page } from "playwright-core"
import * as Axe from "../support/axe.ts"
import * as Browsers from "../support/browser.ts"
import { enterpriseDefaults } from "../../src/server/config.ts"
import * as Claude from "../viewer/claude-session.ts"
import { kitchenSink, long } from "../viewer/fixtures.ts"
import * as S from "../viewer/support.ts"

const skip = Browsers.missing()
const ADMIN_TOKEN = "admin-token-for-the-page-tests"

describe("every page at 390 px and on a desktop, light and dark", { skip }, () => {
  let srv: Awaited<ReturnType<typeof S.server>>
  let browser: Browser
  const pages: [string, string][] = []
  let cookie = ""
  before(async () => {
    srv = await S.server({
      enterprise: enterpriseDefaults({ adminToken: ADMIN_TOKEN }),
      viewer: { idleAfterMs: 120_000, embed: "all", embedOrigins: ["*"] },
    })
    browser = await Browsers.launch()
    const sink = await S.publish(srv.url, kitchenSink())
    const real = await S.publish(srv.url, S.realItems())
    const claude = await S.publish(srv.url, Claude.items() as S.Item[])
    const gone = await S.publish(srv.url, long(2, "ses_zzpagesgone000000000000000"))
    await S.remove(srv.url, gone)
    pages.push(
      ["landing", "/"],
      ["404", "/no/such/page"],
      ["share 404", "/share/s_nothere"],
      ["share 410", `/share/${gone.id}`],
      ["OpenCode kitchen sink", `/share/${sink.id}`],
      ["OpenCode real share", `/share/${real.id}`],
      ["Claude Code", `/share/${claude.id}`],
      ["Changes", `/share/${sink.id}?view=changes`],
      ["Claude Code changes", `/share/${claude.id}?view=changes`],
      ["embed", `/share/${claude.id}/embed`],
      ["docs", "/docs/PROTOCOL.md"],
      ["admin login", "/admin/login"],
      ["admin", "/admin"],
      ["admin share", `/admin/shares/${sink.id}`],
      ["admin audit", "/admin/audit"],
    )
    const r = await fetch(`${srv.url}/admin/login`, {
      method: "POST",
      body: new URLSearchParams({ token: ADMIN_TOKEN }),
      redirect: "manual",
    })
    cookie = (r.headers.get("set-cookie") ?? "").split(";")[0]
  })
  after(async () => {
    await browser?.close()
    await srv?.close()
  })

  async function open(path: string, width: number, scheme: "light" | "dark"): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme, bypassCSP: true })
    if (path.startsWith("/admin") && !path.startsWith("/admin/login")) {
      const [name, value] = cookie.split("=")
      await context.addCookies([{ name, value, url: srv.url }])
    }
    const page = await context.newPage()
    await page.goto(`${srv.url}${path}`)
    await page.waitForLoadState("load")
    return page
  }

  const overflow = (page: Page) =>
    page.evaluate(() => {
      const doc = document.documentElement
      const wide = [...document.querySelectorAll("body *")].filter(
        (e) =>
          e.getBoundingClientRect().right > doc.clientWidth + 1 &&
          getComputedStyle(e).position !== "fixed" &&
          !e.closest("pre, .diff-split, .lines, table.args, .usage table, .md table, .skip, .copy-buffer"),
      )
      return {
        by: doc.scrollWidth - doc.clientWidth,
        what: wide.slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
      }
    })

  /** Opens every row and the menu (the rows' content, diffs and code, is then on screen). */
  const expand = (page: Page) =>
    page.evaluate(() => {
      for (const d of document.querySelectorAll("details")) (d as HTMLDetailsElement).open = true
    })

  for (const width of [390, 1280])
    for (const scheme of ["light", "dark"] as const) {
      it(`has no horizontal overflow and no serious axe violation at ${width} px, ${scheme}`, async () => {
        const problems: string[] = []
        for (const [name, path] of pages) {
          const page = await open(path, width, scheme)
          for (const state of ["as loaded", "all open"]) {
            if (state === "all open") await expand(page)
            const o = await overflow(page)
            if (o.by > 0) problems.push(`${name} (${state}): ${o.by} px wider than the window (${o.what.join(", ")})`)
            for (const v of await Axe.serious(page))
              problems.push(`${name} (${state}): ${v.impact} ${v.id}: ${v.help} at ${v.targets.join(" | ")}`)
          }
          await page.context().close()
        }
        assert.deepEqual(problems, [])
      })
    }

  it("works from the keyboard: a row opens with Enter, the menu opens and closes with Escape", async () => {
    const page = await open(pages.find(([n]) => n === "Claude Code")![1], 1280, "light")
    await page.waitForSelector("body[data-live=open]")
    const row = page.locator(".msg.assistant > details.tool").first()
    await row.locator(":scope > summary").focus()
    await page.keyboard.press("Enter")
    assert.equal(await row.evaluate((d: HTMLDetailsElement) => d.open), true)
    await page.locator(".bar .menu > summary").focus()
    await page.keyboard.press("Enter")
    assert.equal(await page.locator(".bar .menu").evaluate((d: HTMLDetailsElement) => d.open), true)
    await page.keyboard.press("Tab")
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Expand all tools")
    await page.keyboard.press("Enter")
    assert.equal(await page.locator("details.tool:not([open])").count(), 0)
    await page.keyboard.press("Escape")
    assert.equal(await page.locator(".bar .menu").evaluate((d: HTMLDetailsElement) => d.open), false)
    assert.equal(await page.evaluate(() => document.activeElement?.closest(".menu") !== null), true)
    // The skip link is the first stop and lands on the content.
    await page.reload()
    await page.keyboard.press("Tab")
    assert.equal(await page.evaluate(() => document.activeElement?.className), "skip")
    await page.keyboard.press("Enter")
    await page.waitForFunction(() => location.hash === "#main")
    await page.context().close()
  })

  it("expands every row without JavaScript, from the menu's link", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    const path = pages.find(([n]) => n === "OpenCode kitchen sink")![1]
    await page.goto(`${srv.url}${path}`)
    assert.equal(await page.locator("details.tool[open]").count(), 0)
    await page.locator(".bar .menu > summary").click()
    await page.getByRole("link", { name: "Expand all tools" }).click()
    await page.waitForURL(/\?tools=open$/)
    assert.equal(await page.locator("details.tool:not([open])").count(), 0)
    assert.ok((await page.locator("details.tool[open]").count()) > 10)
    await context.close()
  })
})
