/** The whole SSO flow in Debian's Chromium: open an sso share, log in at the real provider,
 * land back on the share with its content, live updates included; a user outside the allowed
 * set gets the 403 page, whose form logs out; `agentshare login` is confirmed on a page that
 * names the CLI's port before its code goes to the loopback (under the page's CSP). */
import assert from "node:assert/strict"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import type { Browser, Page } from "playwright-core"
import * as Config from "../../src/server/config.ts"
import * as Server from "../../src/server/index.ts"
import * as Log from "../../src/server/log.ts"
import * as Browsers from "../support/browser.ts"
import { home, until } from "../support/cli-run.ts"
import * as Oidc from "../support/oidc.ts"
import { freePort } from "../support/server-process.ts"
import { long } from "../viewer/fixtures.ts"
import * as S from "../viewer/support.ts"
import { settings } from "./sso-support.ts"

const skip = Browsers.missing()

/** The provider's development login form, then its consent form when it asks. */
async function logIn(page: Page, user: string) {
  await page.waitForSelector("input[name=login]")
  await page.fill("input[name=login]", user)
  await page.fill("input[name=password]", "any password")
  await page.click("button[type=submit]")
  // Next is the consent form, or already one of our pages (they all open with the skip link).
  await page.locator("input[name=prompt][value=consent], body > a.skip").first().waitFor({ state: "attached" })
  if (await page.locator("input[name=prompt][value=consent]").count()) await page.click("button[type=submit]")
}

describe("SSO login in a browser", { skip }, () => {
  let idp: Oidc.Idp
  let server: Server.Running
  let browser: Browser
  let dir: string
  before(async () => {
    const port = await freePort()
    idp = await Oidc.start([`http://127.0.0.1:${port}/auth/callback`])
    dir = mkdtempSync(join(tmpdir(), "agentshare-sso-browser-"))
    server = await Server.start(
      Config.defaults({
        port,
        host: "127.0.0.1",
        databaseUrl: `sqlite://${join(dir, "db.sqlite")}`,
        auth: settings(idp.issuer, "public"),
      }),
      { log: Log.silent() },
    )
    browser = await Browsers.launch()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
    await idp?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it("sends an anonymous viewer of an sso share through the login and back to the share, live", async () => {
    const root = "ses_zzssobrowser000000000000"
    const share = await S.publish(server.url, long(4, root))
    const set = await fetch(`${server.url}/api/share/${share.id}/access`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ secret: share.secret, access: "sso" }),
    })
    assert.equal(set.status, 200)

    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${server.url}/share/${share.id}?turns=all`)
    assert.equal(new URL(page.url()).origin, idp.issuer, "redirected to the provider")
    await logIn(page, "alice")
    await page.waitForSelector("body[data-live=open]")
    const url = new URL(page.url())
    assert.equal(url.origin + url.pathname + url.search, `${server.url}/share/${share.id}?turns=all`)
    assert.ok(await page.locator("#t-msg_000001a").count(), "the conversation is on the page")

    const session = (await context.cookies(server.url)).find((c) => c.name === "agentshare_session")
    assert.ok(session, "a session cookie is set")
    assert.equal(session.httpOnly, true)
    assert.equal(session.sameSite, "Lax")
    assert.equal(session.secure, false, "not Secure over plain http")
    assert.equal(
      await page.evaluate(() => document.cookie.includes("agentshare_session")),
      false,
      "scripts cannot read it",
    )

    // Live events and fragments carry the cookie too: a sync shows up without a reload.
    await S.sync(server.url, share, long(6, root).slice(-5))
    await page.waitForSelector("#t-msg_000002a")
    await context.close()
  })

  it("shows a user outside the allowed domain the 403 page", async () => {
    const share = await S.publish(server.url, long(2, "ses_zzssobrowserdenied0000000"))
    await fetch(`${server.url}/api/share/${share.id}/access`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ secret: share.secret, access: "sso" }),
    })
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${server.url}/share/${share.id}`)
    await logIn(page, "mallory")
    await page.waitForSelector("h1:text('Access denied')")
    assert.match((await page.locator("main").textContent()) ?? "", /mallory@elsewhere\.example/)
    assert.equal(await page.locator(".turn").count(), 0)
    // Its form logs out (a POST with the session's CSRF token, allowed by the page's CSP).
    await page.click("button:text('Log out')")
    await page.waitForSelector("h1:text('Logged out')")
    await page.goto(`${server.url}/auth/logout`)
    await page.waitForSelector("h1:text('Not logged in')")
    await context.close()
  })

  it("runs agentshare login: the page names the CLI's port and phrase, and Continue hands the code to the CLI", async (t) => {
    const h = home()
    t.after(() => h.dispose())
    const cli = h.start(["login", "--no-browser", "--json"], { env: { AGENTSHARE_URL: server.url } })
    t.after(() => void (cli.child.exitCode === null && cli.child.kill("SIGKILL")))
    const printed = await until(
      "the login URL",
      () => {
        const err = cli.output().stderr
        const url = /Log in at: (\S+)/.exec(err)?.[1]
        const m = /port (\d+), check phrase (\S+)\./.exec(err)
        return url && m ? { url, port: m[1], phrase: m[2] } : undefined
      },
      30_000,
    )
    const context = await browser.newContext()
    const page = await context.newPage()
    const blocked: string[] = []
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) blocked.push(m.text())
    })
    await page.goto(printed.url)
    await logIn(page, "alice")
    await page.waitForSelector("h1:text('Log in the agentshare CLI?')")
    const text = (await page.locator("main").textContent()) ?? ""
    assert.ok(text.includes(`port ${printed.port}`), text)
    assert.ok(text.includes(printed.phrase), text)
    await page.click("button:text('Continue')")
    await page.waitForSelector("text=Logged in. You can close this tab")
    assert.equal(
      new URL(page.url()).origin,
      `http://127.0.0.1:${printed.port}`,
      "the browser went to the CLI's loopback",
    )
    assert.equal(await cli.exited, 0, cli.output().stderr)
    assert.equal((JSON.parse(cli.output().stdout) as { email: string }).email, "alice@corp.example")
    assert.deepEqual(blocked, [])
    await context.close()
  })
})
