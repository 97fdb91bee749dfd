/**
 * Logging out ends the session on the server, and only a CSRF-checked POST does it: the SSO
 * viewer's session, the admin token's session and an SSO admin's session. A cookie copied
 * before logging out is refused after it, by every instance on the same database. With the
 * real OpenID provider, in process; the instances test runs on PostgreSQL.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { enterpriseDefaults } from "../../src/server/config.ts"
import * as Store from "../../src/store/index.ts"
import { share, testApp, type TestApp } from "../support/app.ts"
import type { Backend } from "../support/backends.ts"
import * as Oidc from "../support/oidc.ts"
import * as Postgres from "../support/postgres.ts"
import { callback, cookies, session, settings } from "./sso-support.ts"
import { ADMIN_TOKEN, call } from "./support.ts"

const CALLBACK = "http://share.test/auth/callback"
const form = (fields: Record<string, string>, cookie: string) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded", cookie },
  body: new URLSearchParams(fields).toString(),
})
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
const clears = (res: Response, name: string) =>
  res.headers.getSetCookie().some((l) => l.startsWith(`${name}=;`) || (l.startsWith(`${name}=`) && /Max-Age=0/.test(l)))

/** An SSO share and a check that `cookie` can (200) or cannot (302 to the login) read it. */
async function ssoShare(t: TestApp) {
  const s = await share(t, "ses_logout")
  assert.equal((await t.send("POST", `/api/share/${s.id}/access`, { secret: s.secret, access: "sso" })).status, 200)
  return async (cookie: string) => (await t.app.request(`/share/${s.id}`, { headers: { cookie } })).status
}

async function adminLogin(t: TestApp): Promise<{ cookie: string; csrf: string }> {
  const res = await call(t, "POST", "/admin/login", {
    body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  })
  assert.equal(res.status, 303)
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] as string
  const csrf = csrfOf(await (await call(t, "GET", "/admin", { headers: { cookie } })).text())
  assert.ok(csrf)
  return { cookie, csrf }
}

describe("logging out", () => {
  let idp: Oidc.Idp
  before(async () => {
    idp = await Oidc.start([CALLBACK])
  })
  after(() => idp.close())

  describe("an SSO viewer", () => {
    let t: TestApp
    let status: (cookie: string) => Promise<number>
    before(async () => {
      t = await testApp({ auth: settings(idp.issuer, "public") })
      status = await ssoShare(t)
    })
    after(() => t.close())

    it("GET /auth/logout does not log out: it shows a page with the POST form", async () => {
      const cookie = await session(t, "alice")
      const res = await t.app.request("/auth/logout", { headers: { cookie } })
      assert.equal(res.status, 200)
      assert.ok(!clears(res, "agentshare_session"), "no cookie is cleared")
      const html = await res.text()
      assert.match(html, /<form method="post" action="\/auth\/logout">/)
      assert.ok(csrfOf(html), "the form carries a CSRF token")
      assert.match(res.headers.get("content-security-policy") ?? "", /form-action 'self'/)
      assert.equal(await status(cookie), 200, "still logged in")
      // An <img src="/auth/logout"> on another site therefore logs nobody out.
    })

    it("refuses a POST without the CSRF token, or with a wrong one, and stays logged in", async () => {
      const cookie = await session(t, "alice")
      const other = csrfOf(
        await (await t.app.request("/auth/logout", { headers: { cookie: await session(t, "alice") } })).text(),
      )!
      for (const fields of [{}, { _csrf: "x".repeat(43) }, { _csrf: other }] as Record<string, string>[]) {
        const res = await t.app.request("/auth/logout", form(fields, cookie))
        assert.equal(res.status, 403, JSON.stringify(fields))
        assert.ok(!clears(res, "agentshare_session"))
      }
      assert.equal(await status(cookie), 200)
    })

    it("a POST with the CSRF token ends the session on the server: the copied cookie is refused after", async () => {
      const cookie = await session(t, "alice")
      assert.equal(await status(cookie), 200)
      const csrf = csrfOf(await (await t.app.request("/auth/logout", { headers: { cookie } })).text())!
      const out = await t.app.request("/auth/logout", form({ _csrf: csrf }, cookie))
      assert.equal(out.status, 200)
      assert.ok(clears(out, "agentshare_session"), "the cookie is cleared")
      assert.match(await out.text(), /logged out/i)
      // The same cookie, replayed: the server refuses it.
      assert.equal(await status(cookie), 302)
      assert.equal((await t.app.request("/auth/logout", { headers: { cookie } })).status, 200)
      assert.doesNotMatch(await (await t.app.request("/auth/logout", { headers: { cookie } })).text(), /name="_csrf"/)
      // Another session of the same user is not touched.
      assert.equal(await status(await session(t, "alice")), 200)
    })

    it("returns to a path on this server after logging out when the form says where", async () => {
      const cookie = await session(t, "alice")
      const csrf = csrfOf(await (await t.app.request("/auth/logout", { headers: { cookie } })).text())!
      const out = await t.app.request("/auth/logout", form({ _csrf: csrf, return: "//evil.example/" }, cookie))
      assert.equal(out.status, 303)
      assert.equal(out.headers.get("location"), "/")
    })

    it("puts a logout form, not a link, on the access-denied page", async () => {
      const carol = await callback(t, "carol")
      assert.equal(carol.status, 403)
      const html = await carol.text()
      assert.doesNotMatch(html, /href="\/auth\/logout"/)
      assert.match(html, /<form method="post" action="\/auth\/logout">/)
      assert.ok(csrfOf(html))
      assert.match(carol.headers.get("content-security-policy") ?? "", /form-action 'self'/)
    })
  })

  describe("the admin area", () => {
    it("refuses the admin token's session cookie captured before logging out", async (t) => {
      const a = await testApp({
        enterprise: enterpriseDefaults({ rateLimitCreate: null, rateLimitSync: null, adminToken: ADMIN_TOKEN }),
      })
      t.after(() => a.close())
      const { cookie, csrf } = await adminLogin(a)
      const captured = cookie
      assert.equal((await call(a, "POST", "/admin/logout", form({ _csrf: csrf }, cookie))).status, 303)
      const replay = await call(a, "GET", "/admin", { headers: { cookie: captured } })
      assert.equal(replay.status, 303)
      assert.equal(replay.headers.get("location"), "/admin/login")
      assert.equal((await call(a, "POST", "/admin/purge", form({ _csrf: csrf }, captured))).status, 401)
      // A new login works.
      assert.equal((await call(a, "GET", "/admin", { headers: { cookie: (await adminLogin(a)).cookie } })).status, 200)
    })

    it("ends an SSO admin's session itself: the captured cookie opens neither the admin area nor an SSO share", async (t) => {
      const a = await testApp({
        auth: settings(idp.issuer, "public", { adminGroup: "share-admins", requiredGroup: undefined }),
        enterprise: enterpriseDefaults({ rateLimitCreate: null, rateLimitSync: null }),
      })
      t.after(() => a.close())
      const status = await ssoShare(a)
      const res = await callback(a, "dana", "/admin")
      const cookie = `agentshare_session=${cookies(res).get("agentshare_session")}`
      assert.equal(await status(cookie), 200)
      const csrf = csrfOf(await (await call(a, "GET", "/admin", { headers: { cookie } })).text())!
      const out = await call(a, "POST", "/admin/logout", form({ _csrf: csrf }, cookie))
      assert.equal(out.status, 303)
      assert.equal(out.headers.get("location"), "/admin/login")
      assert.ok(clears(out, "agentshare_session"))
      assert.equal((await call(a, "GET", "/admin", { headers: { cookie } })).status, 303)
      assert.equal(await status(cookie), 302)
    })
  })

  const pg = Postgres.available()
  it("holds across instances on one PostgreSQL database", { skip: pg.ok ? false : pg.reason }, async (t) => {
    const db = await Postgres.freshDatabase()
    const stores: Store.Store[] = []
    const shared: Backend = {
      name: "postgres",
      async open() {
        const store = await Store.open(db.url)
        stores.push(store)
        return { store, url: db.url, cleanup: () => store.close() }
      },
    }
    const config = {
      auth: settings(idp.issuer, "public"),
      enterprise: enterpriseDefaults({ rateLimitCreate: null, rateLimitSync: null, adminToken: ADMIN_TOKEN }),
    }
    const one = await testApp(config, Date.now, shared)
    const two = await testApp(config, Date.now, shared)
    t.after(async () => {
      await one.close()
      await two.close()
      await db.drop()
    })
    const status = await ssoShare(one)
    const id = (await two.deps.store.shares.bySession("ses_logout"))[0]!.id
    const onTwo = async (cookie: string) => (await two.app.request(`/share/${id}`, { headers: { cookie } })).status
    const viewer = await session(one, "alice")
    const admin = await adminLogin(one)
    assert.equal(await status(viewer), 200)
    assert.equal(await onTwo(viewer), 200, "the other instance accepts the session")
    assert.equal((await call(two, "GET", "/admin", { headers: { cookie: admin.cookie } })).status, 200)

    const csrf = csrfOf(await (await one.app.request("/auth/logout", { headers: { cookie: viewer } })).text())!
    assert.equal((await one.app.request("/auth/logout", form({ _csrf: csrf }, viewer))).status, 200)
    assert.equal((await call(one, "POST", "/admin/logout", form({ _csrf: admin.csrf }, admin.cookie))).status, 303)

    assert.equal(await onTwo(viewer), 302, "the other instance refuses the viewer's cookie")
    assert.equal(
      (await call(two, "GET", "/admin", { headers: { cookie: admin.cookie } })).status,
      303,
      "and the admin's",
    )
  })
})
