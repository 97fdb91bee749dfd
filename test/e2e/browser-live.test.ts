/**
 * The share page over time, in Debian's Chromium: a share whose last answer never completed
 * reads "working…" while syncs arrive and as ended once IDLE_AFTER passes without one (the
 * server's clock and the page's both controlled); an open page loses the content when the share
 * is unshared, taken down or expires, and says which.
 */
import assert from "node:assert/strict"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import type { Browser } from "playwright-core"
import * as Config from "../../src/server/config.ts"
import { enterpriseDefaults } from "../../src/server/config.ts"
import * as Server from "../../src/server/index.ts"
import * as Log from "../../src/server/log.ts"
import * as Browsers from "../support/browser.ts"
import { long } from "../viewer/fixtures.ts"
import * as S from "../viewer/support.ts"

const skip = Browsers.missing()
const IDLE = 120_000
const ADMIN_TOKEN = "admin-token-for-the-live-tests"

/** A share like `opencode run --share` leaves: the client exited before its last flush. */
function unfinished(root: string): S.Item[] {
  const items = long(4, root)
  const answer = items.find((i) => i.type === "message" && (i.data as { id: string }).id === "msg_000001b")!.data as {
    time: Record<string, number>
  }
  delete answer.time.completed
  return items
}

describe("the share page over time", { skip }, () => {
  let browser: Browser
  let srv: Server.Running
  let dir: string
  const clock = { t: Date.now() }
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "agentshare-live-"))
    const config = Config.defaults({
      port: 0,
      databaseUrl: `sqlite:${join(dir, "db.sqlite")}`,
      viewer: { idleAfterMs: IDLE, embed: "share", embedOrigins: ["*"] },
      enterprise: enterpriseDefaults({ adminToken: ADMIN_TOKEN }),
    })
    srv = await Server.start(config, { log: Log.silent(), now: () => clock.t })
    browser = await Browsers.launch()
  })
  after(async () => {
    await browser?.close()
    await srv?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it("says working… while syncs arrive, and ended once IDLE_AFTER passes without one", async () => {
    const root = "ses_zzidle000000000000000000000"
    const share = await S.publish(srv.url, unfinished(root))
    const page = await browser.newPage()
    await page.clock.install({ time: clock.t })
    await page.goto(`${srv.url}/share/${share.id}`)
    await page.waitForSelector("body[data-live=open]")
    assert.match((await page.locator("#t-msg_000001a .turn-head").textContent()) ?? "", /working…/)
    assert.match((await page.locator("#top .summary").textContent()) ?? "", /working…/)
    // A sync a minute later: still working, and the quiet period starts again from it.
    clock.t += 60_000
    await page.clock.runFor(60_000)
    await S.sync(srv.url, share, [
      {
        type: "part",
        data: {
          id: "prt_000001z",
          messageID: "msg_000001b",
          sessionID: root,
          type: "text",
          text: "still going",
          time: { start: 1 },
        },
      },
    ])
    await page.waitForSelector("#p-prt_000001z")
    clock.t += 90_000
    await page.clock.runFor(90_000)
    assert.match((await page.locator("#t-msg_000001a .turn-head").textContent()) ?? "", /working…/)
    // Then IDLE_AFTER with no sync: the open page turns to ended on its own.
    clock.t += 31_000
    await page.clock.runFor(31_000)
    await page.waitForFunction(() => !document.querySelector("#t-msg_000001a[data-running]"))
    assert.match((await page.locator("#t-msg_000001a .turn-head").textContent()) ?? "", /stopped updating/)
    assert.match((await page.locator("#top .summary").textContent()) ?? "", /stopped updating at /)
    assert.doesNotMatch((await page.locator("body").textContent()) ?? "", /working…/)
    // A fresh load reads as ended too, without waiting.
    const fresh = await browser.newPage()
    await fresh.goto(`${srv.url}/share/${share.id}`)
    assert.doesNotMatch((await fresh.locator("body").textContent()) ?? "", /working…/)
    assert.match((await fresh.locator("#top .summary").textContent()) ?? "", /stopped updating at /)
    await fresh.close()
    await page.close()
  })

  for (const [how, reason] of [
    ["taken down", /removed by an administrator/],
    ["expires", /has expired/],
  ] as const) {
    it(`replaces an open page's content with the notice when the share is ${how}`, async () => {
      const root = `ses_zzgone${how === "expires" ? "exp" : "tkd"}000000000000000000`
      const share = await S.create(srv.url, root)
      await S.sync(srv.url, share, long(4, root))
      if (how === "expires") {
        const r = await fetch(`${srv.url}/api/share/${share.id}/expiry`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ secret: share.secret, expiresIn: "2s" }),
        })
        assert.equal(r.status, 200, await r.text())
      }
      const page = await browser.newPage()
      await page.goto(`${srv.url}/share/${share.id}`)
      await page.waitForSelector("body[data-live=open]")
      assert.equal(await page.locator(".turn").count(), 2)
      if (how === "taken down") {
        const r = await fetch(`${srv.url}/api/admin/shares/${share.id}`, {
          method: "DELETE",
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        })
        assert.equal(r.status, 200)
      } else {
        clock.t += 2_000
      }
      await page.waitForSelector("body[data-removed='1']", { timeout: 20_000 })
      assert.match((await page.locator("main.removed").textContent()) ?? "", reason)
      assert.equal(await page.locator(".turn").count(), 0)
      assert.doesNotMatch(await page.content(), /Prompt number/)
      await page.close()
    })
  }
})
