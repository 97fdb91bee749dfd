/**
 * `agentshare login` started by someone else (docs/SECURITY.md, "A login link with someone
 * else's challenge"): an attacker who sends a victim a login link carrying the attacker's PKCE
 * challenge and loopback redirect gets no code without the victim's confirmation, on a page
 * that names the port; the confirmation is a CSRF-checked POST; the code is bound to the CLI
 * run that started the flow. In process, with the real OpenID provider.
 */
import assert from "node:assert/strict"
import { createHash, randomBytes } from "node:crypto"
import { DatabaseSync } from "node:sqlite"
import { after, before, describe, it } from "node:test"
import { testApp, type TestApp } from "../support/app.ts"
import * as Oidc from "../support/oidc.ts"
import { cookies, settings } from "./sso-support.ts"

const CALLBACK = "http://share.test/auth/callback"
const PORT = 53124
const REDIRECT = `http://127.0.0.1:${PORT}/callback`

/** One `agentshare login` run's own values: only its verifier and run secret prove it. */
function run() {
  const verifier = randomBytes(32).toString("base64url")
  return {
    verifier,
    challenge: createHash("sha256").update(verifier).digest("base64url"),
    state: randomBytes(24).toString("base64url"),
  }
}

const jar = (res: Response, into = new Map<string, string>()) => {
  for (const [k, v] of cookies(res)) {
    if (v === "") into.delete(k)
    else into.set(k, v)
  }
  return into
}
const header = (j: Map<string, string>) => [...j].map(([k, v]) => `${k}=${v}`).join("; ")
const form = (fields: Record<string, string>, cookie: string) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded", cookie },
  body: new URLSearchParams(fields).toString(),
})

describe("agentshare login: a link someone else started", () => {
  let idp: Oidc.Idp
  let t: TestApp
  before(async () => {
    idp = await Oidc.start([CALLBACK])
    t = await testApp({ auth: settings(idp.issuer, "public") })
  })
  after(async () => {
    await t.close()
    await idp.close()
  })

  /** Login codes issued and not yet redeemed, read from the database file itself. */
  const codes = () => {
    const db = new DatabaseSync(t.dbPath, { readOnly: true })
    try {
      return Number((db.prepare("select count(*) as n from login_code").get() as { n: number }).n)
    } finally {
      db.close()
    }
  }
  const redeem = (body: unknown) =>
    t.app.request("/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    })
  /** What the CLI does first: POST /auth/cli, answered with the link to open and the run's secret. */
  async function start(r = run(), redirect = REDIRECT) {
    const res = await t.send("POST", "/auth/cli", { redirect, state: r.state, challenge: r.challenge })
    assert.equal(res.status, 201, await res.clone().text())
    return {
      ...r,
      ...((await res.json()) as { url: string; secret: string; port: number; phrase: string; expiresAt: number }),
    }
  }
  /** The victim's browser: opens `link`, logs in at the provider as `user`, and answers where the callback sent it, with its cookies. */
  async function open(link: string, user: string) {
    const u = new URL(link)
    const first = await t.app.request(u.pathname + u.search)
    assert.equal(first.status, 302, await first.clone().text())
    const cookie = jar(first)
    const to = await Oidc.login(first.headers.get("location")!, user)
    const res = await t.app.request(to.pathname + to.search, { headers: { cookie: header(cookie) } })
    jar(res, cookie)
    return { res, cookie }
  }
  /** Follows the callback to the confirmation page. */
  async function confirmation(link: string, user = "alice") {
    const { res, cookie } = await open(link, user)
    assert.equal(res.status, 303, await res.clone().text())
    assert.equal(res.headers.get("location"), "/auth/cli/confirm")
    const page = await t.app.request("/auth/cli/confirm", { headers: { cookie: header(cookie) } })
    const html = await page.text()
    return { page, html, cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "" }
  }

  it("no longer honours the old link that carried the challenge and loopback itself: no code, no token", async () => {
    // The attack as it worked: the attacker's own challenge and loopback in a link the victim opens.
    const attacker = run()
    const q = new URLSearchParams({
      cli_redirect: REDIRECT,
      cli_state: attacker.state,
      cli_challenge: attacker.challenge,
    })
    const res = await t.app.request(`/auth/login?${q}`)
    if (res.status === 302) {
      // A server that still starts this flow must not hand the victim's code to the loopback.
      const to = await Oidc.login(res.headers.get("location")!, "alice")
      const back = await t.app.request(to.pathname + to.search, { headers: { cookie: header(jar(res)) } })
      const location = back.headers.get("location") ?? ""
      assert.ok(!location.startsWith("http://127.0.0.1"), `the victim's browser was sent to ${location}`)
      return
    }
    assert.equal(res.status, 400)
    assert.match(await res.text(), /older agentshare/)
  })

  it("asks the victim to confirm on a page that names the port and the phrase, and issues no code before", async () => {
    const attacker = await start()
    assert.equal(attacker.port, PORT)
    assert.match(attacker.phrase, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/)
    assert.ok(
      !attacker.url.includes(attacker.challenge) && !attacker.url.includes(attacker.secret),
      "the link carries neither the challenge nor the secret in the clear",
    )
    const { page, html, csrf } = await confirmation(attacker.url)
    assert.equal(page.status, 200)
    assert.match(html, new RegExp(`port ${PORT}`))
    assert.ok(html.includes(attacker.phrase), "the page shows the check phrase")
    assert.match(html, /Continue only if you just ran <code>agentshare login<\/code>/)
    assert.match(html, /alice@corp\.example/)
    assert.match(html, /<form method="post" action="\/auth\/cli\/confirm">/)
    assert.match(html, /<form method="post" action="\/auth\/cli\/cancel">/)
    assert.ok(csrf, "the form carries a CSRF token")
    // The form may post to this server and its redirect go to that loopback port, nowhere else.
    assert.match(
      page.headers.get("content-security-policy") ?? "",
      new RegExp(`form-action 'self' http://127\\.0\\.0\\.1:${PORT}(;|$)`),
    )
    assert.equal(page.headers.get("cache-control"), "no-store")
    assert.equal(codes(), 0)
  })

  it("refuses a confirmation without the CSRF token, with another one, or from another browser, and issues no code", async () => {
    const attacker = await start()
    const { cookie, csrf } = await confirmation(attacker.url)
    const other = await confirmation((await start()).url)
    for (const [what, fields, c] of [
      ["no token", {}, header(cookie)],
      ["a wrong token", { _csrf: "x".repeat(43) }, header(cookie)],
      ["another confirmation's token", { _csrf: other.csrf }, header(cookie)],
      ["no cookie (a cross-site post)", { _csrf: csrf }, ""],
    ] as const) {
      const res = await t.app.request("/auth/cli/confirm", form(fields, c))
      assert.ok(res.status === 403 || res.status === 400, `${what}: ${res.status}`)
      assert.equal(res.headers.get("location"), null, what)
    }
    // The real confirmation still works after those: the user was not locked out.
    const ok = await t.app.request("/auth/cli/confirm", form({ _csrf: csrf }, header(cookie)))
    assert.equal(ok.status, 303)
    assert.match(ok.headers.get("location") ?? "", new RegExp(`^http://127\\.0\\.0\\.1:${PORT}/callback\\?`))
  })

  it("cancels: no code, and the confirmation cannot be posted afterwards", async () => {
    const attacker = await start()
    const { cookie, csrf } = await confirmation(attacker.url)
    const cancelled = await t.app.request("/auth/cli/cancel", form({ _csrf: csrf }, header(cookie)))
    assert.equal(cancelled.status, 200)
    assert.match(await cancelled.text(), /No login code was issued/)
    jar(cancelled, cookie)
    const late = await t.app.request("/auth/cli/confirm", form({ _csrf: csrf }, header(cookie)))
    assert.equal(late.headers.get("location"), null)
    assert.equal(late.status, 400)
  })

  it("binds the code to the run: the verifier alone, or with another run's secret, is refused", async () => {
    const mine = await start()
    const theirs = await start()
    const issue = async () => {
      const { cookie, csrf } = await confirmation(mine.url)
      const res = await t.app.request("/auth/cli/confirm", form({ _csrf: csrf }, header(cookie)))
      assert.equal(res.status, 303)
      const to = new URL(res.headers.get("location")!)
      assert.equal(to.searchParams.get("state"), mine.state)
      return to.searchParams.get("code")!
    }
    assert.equal((await redeem({ code: await issue(), verifier: mine.verifier })).status, 400, "no run secret")
    assert.equal(
      (await redeem({ code: await issue(), verifier: mine.verifier, secret: theirs.secret })).status,
      400,
      "another run's secret",
    )
    const ok = await redeem({ code: await issue(), verifier: mine.verifier, secret: mine.secret })
    assert.equal(ok.status, 200)
    assert.equal(((await ok.json()) as { email: string }).email, "alice@corp.example")
  })

  it("refuses a start whose redirect is not a loopback address with a port, or whose challenge is not S256", async () => {
    const r = run()
    for (const redirect of [
      "https://evil.example/callback",
      "http://127.0.0.1/callback",
      "http://evil.example:8080/callback",
      "http://user@127.0.0.1:9/x",
    ]) {
      const res = await t.send("POST", "/auth/cli", { redirect, state: r.state, challenge: r.challenge })
      assert.equal(res.status, 400, redirect)
    }
    assert.equal(
      (await t.send("POST", "/auth/cli", { redirect: REDIRECT, state: r.state, challenge: "short" })).status,
      400,
    )
    assert.equal((await t.app.request("/auth/cli?flow=forged")).status, 400, "a link the server did not seal")
  })

  it("answers a confirmation page nobody is holding with a page that says so", async () => {
    const res = await t.app.request("/auth/cli/confirm")
    assert.equal(res.status, 400)
    assert.match(await res.text(), /run <code>agentshare login<\/code> again|run agentshare login again/)
  })
})
