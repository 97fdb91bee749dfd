/** The admin area through HTTP: token and session, CSRF, list and search, take down, purge,
 * kill switch, storage, audit; and one look at the pages in Chromium. */
import assert from "node:assert/strict"
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"
import { enterpriseDefaults } from "../../src/server/config.ts"
import * as Server from "../../src/server/index.ts"
import * as Log from "../../src/server/log.ts"
import { backends } from "../support/backends.ts"
import * as Browser from "../support/browser.ts"
import { ADMIN_TOKEN, bearer, call, clock, create, enterpriseApp, sync } from "./support.ts"
import type { TestApp } from "../support/app.ts"

const form = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { "content-type": "application/x-www-form-urlencoded" },
})

/** Logs in through the form; answers the session cookie and the CSRF token of its pages. */
async function login(app: TestApp): Promise<{ cookie: string; csrf: string }> {
  const res = await call(app, "POST", "/admin/login", form({ token: ADMIN_TOKEN }))
  assert.equal(res.status, 303)
  const set = res.headers.get("set-cookie") ?? ""
  assert.match(set, /HttpOnly/)
  assert.match(set, /SameSite=Strict/)
  assert.match(set, /Path=\/admin/)
  const cookie = set.split(";")[0] as string
  const page = await (await call(app, "GET", "/admin", { headers: { cookie } })).text()
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1]
  assert.ok(csrf, "pages carry a CSRF token")
  return { cookie, csrf }
}

describe("admin area", () => {
  it("is off (404) without ADMIN_TOKEN", async (t) => {
    const app = await enterpriseApp({})
    t.after(() => app.close())
    for (const path of ["/admin", "/admin/login", "/api/admin/shares"]) {
      const res = await call(app, "GET", path, { headers: bearer(ADMIN_TOKEN) })
      assert.equal(res.status, 404, path)
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "admin_disabled")
    }
  })

  it("needs the token: 401 JSON for the API, the login form for pages", async (t) => {
    const app = await enterpriseApp({ adminToken: ADMIN_TOKEN })
    t.after(() => app.close())
    for (const headers of [{}, bearer("wrong-token-wrong-token"), { authorization: ADMIN_TOKEN }]) {
      const res = await call(app, "GET", "/api/admin/shares", { headers })
      assert.equal(res.status, 401)
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "unauthorized")
    }
    const page = await call(app, "GET", "/admin")
    assert.equal(page.status, 303)
    assert.equal(page.headers.get("location"), "/admin/login")
    const wrong = await call(app, "POST", "/admin/login", form({ token: "not-the-admin-token" }))
    assert.equal(wrong.status, 401)
    assert.match(await wrong.text(), /not the admin token/)
    assert.equal(wrong.headers.get("set-cookie"), null)
    // A forged cookie is no session.
    assert.equal(
      (await call(app, "GET", "/admin", { headers: { cookie: `agentshare_admin=99999999999999.${"A".repeat(43)}` } }))
        .status,
      303,
    )
  })

  for (const backend of backends)
    it(`lists and searches shares with title, owner, size, views, times and expiry (${backend.name})`, async (t) => {
      const now = clock()
      const app = await enterpriseApp({ adminToken: ADMIN_TOKEN, shareMaxTtlMs: 30 * 86_400_000 }, now, backend)
      t.after(() => app.close())
      const owner = (await (await call(app, "POST", "/api/owner")).json()) as { ownerID: string; token: string }
      const a = await create(app, { headers: bearer(owner.token), sessionID: "ses_ent" })
      await sync(app, a, "hello")
      const b = await create(app, { sessionID: "ses_other" })
      await call(app, "GET", `/share/${a.id}`)
      const all = (await (await call(app, "GET", "/api/admin/shares", { headers: bearer(ADMIN_TOKEN) })).json()) as {
        total: number
        shares: Record<string, unknown>[]
      }
      assert.equal(all.total, 2)
      const row = all.shares.find((s) => s.id === a.id)
      assert.equal(row?.title, "Enterprise title")
      assert.equal(row?.ownerID, owner.ownerID)
      assert.equal(row?.views, 1)
      assert.equal(row?.expiresAt, now() + 30 * 86_400_000)
      assert.ok((row?.bytes as number) > 0)
      const byTitle = (await (
        await call(app, "GET", "/api/admin/shares?q=enterprise%20TITLE", { headers: bearer(ADMIN_TOKEN) })
      ).json()) as { shares: { id: string }[] }
      assert.deepEqual(
        byTitle.shares.map((s) => s.id),
        [a.id],
      )
      const byOwner = (await (
        await call(app, "GET", `/api/admin/shares?owner=${owner.ownerID}`, { headers: bearer(ADMIN_TOKEN) })
      ).json()) as { shares: { id: string }[] }
      assert.deepEqual(
        byOwner.shares.map((s) => s.id),
        [a.id],
      )
      const byId = (await (
        await call(app, "GET", `/api/admin/shares?q=${b.id}`, { headers: bearer(ADMIN_TOKEN) })
      ).json()) as { shares: { id: string }[] }
      assert.deepEqual(
        byId.shares.map((s) => s.id),
        [b.id],
      )
      // LIKE wildcards are searched for literally.
      assert.equal(
        (
          (await (await call(app, "GET", "/api/admin/shares?q=%25", { headers: bearer(ADMIN_TOKEN) })).json()) as {
            total: number
          }
        ).total,
        0,
      )
      const { cookie } = await login(app)
      const html = await (await call(app, "GET", "/admin?q=enterprise", { headers: { cookie } })).text()
      assert.match(html, /Enterprise title/)
      assert.ok(!html.includes(b.id))
      const storage = (await (
        await call(app, "GET", "/api/admin/storage", { headers: bearer(ADMIN_TOKEN) })
      ).json()) as { shares: number; bytes: number }
      assert.equal(storage.shares, 2)
      assert.equal(storage.bytes, row?.bytes)
    })

  it("takes a share down: its data goes and its page says an administrator removed it", async (t) => {
    const app = await enterpriseApp({ adminToken: ADMIN_TOKEN })
    t.after(() => app.close())
    const s = await create(app)
    await sync(app, s, "hello")
    const { cookie, csrf } = await login(app)
    const detail = await call(app, "GET", `/admin/shares/${s.id}`, { headers: { cookie } })
    assert.equal(detail.status, 200)
    assert.match(detail.headers.get("content-security-policy") ?? "", /form-action 'self'/)
    assert.match(detail.headers.get("content-security-policy") ?? "", /default-src 'none'/)
    assert.ok(!(await detail.text()).includes("<script"), "admin pages run no script")
    // Without the CSRF token (or with another session's) nothing happens.
    const forged = await call(app, "POST", `/admin/shares/${s.id}/takedown`, {
      ...form({}),
      headers: { ...form({}).headers, cookie },
    })
    assert.equal(forged.status, 403)
    assert.equal(((await forged.json()) as { error: { code: string } }).error.code, "csrf")
    const noSession = await call(app, "POST", `/admin/shares/${s.id}/takedown`, form({ _csrf: csrf }))
    assert.equal(noSession.status, 401)
    assert.equal((await app.deps.store.shares.find(s.id)).state, "live")
    const done = await call(app, "POST", `/admin/shares/${s.id}/takedown`, {
      ...form({ _csrf: csrf }),
      headers: { ...form({}).headers, cookie },
    })
    assert.equal(done.status, 303)
    const found = await app.deps.store.shares.find(s.id)
    assert.deepEqual(found.state === "gone" && found.reason, "taken_down")
    const page = await call(app, "GET", `/share/${s.id}`)
    assert.equal(page.status, 410)
    assert.match(await page.text(), /This share was removed by an administrator\./)
    const api = await call(app, "GET", `/api/share/${s.id}/data`)
    assert.deepEqual(await api.json(), {
      error: { code: "gone", message: "this share was removed by an administrator" },
    })
    assert.equal((await sync(app, s, "again")).status, 410)
    assert.equal((await call(app, "DELETE", `/api/admin/shares/${s.id}`, { headers: bearer(ADMIN_TOKEN) })).status, 410)
    assert.equal(
      (await call(app, "DELETE", "/api/admin/shares/s_nothere", { headers: bearer(ADMIN_TOKEN) })).status,
      404,
    )
  })

  it("toggles the kill switch and purges expired shares from the pages", async (t) => {
    const now = clock()
    const app = await enterpriseApp({ adminToken: ADMIN_TOKEN }, now)
    t.after(() => app.close())
    const s = await create(app, { expiresIn: "1h" })
    const { cookie, csrf } = await login(app)
    const post = (path: string, fields: Record<string, string>) =>
      call(app, "POST", path, { ...form(fields), headers: { ...form(fields).headers, cookie } })
    // The kill switch asks first: without the ticked confirmation it stays off and says why.
    const unconfirmed = await post("/admin/policy", { _csrf: csrf, killSwitch: "on" })
    assert.equal(unconfirmed.status, 303)
    assert.match(unconfirmed.headers.get("location") ?? "", /^\/admin\?error=/)
    assert.equal((await call(app, "POST", "/api/share", { body: { sessionID: "ses_y" } })).status, 201)
    const dashboard = await (
      await call(app, "GET", unconfirmed.headers.get("location")!, { headers: { cookie } })
    ).text()
    assert.match(dashboard, /<p class="notice error" role="alert">The kill switch is still off/)
    assert.match(dashboard, /<input type="checkbox" name="confirm" value="yes" required>/)
    assert.equal((await post("/admin/policy", { _csrf: csrf, killSwitch: "on", confirm: "yes" })).status, 303)
    assert.equal((await call(app, "POST", "/api/share", { body: { sessionID: "ses_x" } })).status, 403)
    assert.match(await (await call(app, "GET", "/admin", { headers: { cookie } })).text(), /Turn the kill switch off/)
    assert.equal((await post("/admin/policy", { _csrf: csrf, killSwitch: "off" })).status, 303)
    assert.equal((await call(app, "POST", "/api/share", { body: { sessionID: "ses_x" } })).status, 201)
    assert.equal((await post("/admin/policy", { _csrf: csrf, killSwitch: "maybe" })).status, 400)
    now.advance(2 * 3_600_000)
    const purged = await post("/admin/purge", { _csrf: csrf })
    assert.equal(purged.status, 303)
    assert.match(decodeURIComponent(purged.headers.get("location") ?? ""), /1 expired share\(s\) deleted/)
    const found = await app.deps.store.shares.find(s.id)
    assert.deepEqual(found.state === "gone" && found.reason, "expired")
    const audit = await (await call(app, "GET", "/admin/audit?action=policy_changed", { headers: { cookie } })).text()
    assert.equal(audit.match(/kill_switch/g)?.length, 2)
    const jsonl = await call(app, "GET", "/admin/audit.jsonl?action=purged", { headers: { cookie } })
    assert.equal(jsonl.status, 200)
    assert.equal((await jsonl.text()).trim().split("\n").length, 1)
    // Logging out ends the session.
    assert.equal((await post("/admin/logout", { _csrf: csrf })).status, 303)
  })

  it("renders the admin pages in Chromium under their CSP", { skip: Browser.missing() }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "agentshare-admin-"))
    const server = await Server.start(
      Config.defaults({
        port: 0,
        host: "127.0.0.1",
        databaseUrl: `sqlite://${join(dir, "s.db")}`,
        enterprise: enterpriseDefaults({ adminToken: ADMIN_TOKEN, shareMaxTtlMs: 7 * 86_400_000 }),
      }),
      { log: Log.silent() },
    )
    const browser = await Browser.launch()
    t.after(async () => {
      await browser.close()
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    })
    for (const [sessionID, title] of [
      ["ses_one", "Fix the login redirect"],
      ["ses_two", "Migrate billing to v2"],
    ]) {
      const s = (await (
        await fetch(`${server.url}/api/share`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ sessionID }),
        })
      ).json()) as { id: string; secret: string }
      await fetch(`${server.url}/api/share/${s.id}/sync`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          secret: s.secret,
          data: [{ type: "session", data: { id: sessionID, title, time: { created: 1, updated: 2 } } }],
        }),
      })
      await fetch(`${server.url}/share/${s.id}`)
    }
    const page = await browser.newPage()
    const violations: string[] = []
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
    })
    await page.goto(`${server.url}/admin`)
    await page.waitForSelector("input#token")
    await page.fill("input#token", ADMIN_TOKEN)
    await page.click("button[type=submit]")
    await page.waitForSelector("#policy")
    const bg = await page.evaluate(() => getComputedStyle(document.querySelector(".panel") as Element).borderTopStyle)
    assert.equal(bg, "solid", "the admin stylesheet loaded")
    mkdirSync("/tmp/agentshare-shots", { recursive: true })
    await page.screenshot({ path: "/tmp/agentshare-shots/admin-dashboard.png", fullPage: true })
    // Turning the kill switch on asks first: the browser refuses the form until it is ticked.
    await page.click("summary:has-text('Turn the kill switch on')")
    await page.click("button.danger:has-text('Turn the kill switch on')")
    assert.equal(
      await page.locator("input[name=confirm]").evaluate((i: HTMLInputElement) => i.validity.valueMissing),
      true,
    )
    assert.equal(await page.isVisible("text=Turn the kill switch off"), false)
    await page.check("input[name=confirm]")
    await page.click("button.danger:has-text('Turn the kill switch on')")
    await page.waitForSelector("text=Turn the kill switch off")
    await page.click("text=Audit log")
    await page.waitForSelector("h1:has-text('Audit log')")
    await page.screenshot({ path: "/tmp/agentshare-shots/admin-audit.png", fullPage: true })
    assert.deepEqual(violations, [])
  })
})
