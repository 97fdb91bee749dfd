/**
 * The admin area opened through SSO (OIDC_ADMIN_GROUP) with a real OpenID provider: a member of
 * the admin group gets the pages as themselves (audited under their subject), with CSRF on every
 * form; a logged-in user outside the group and an anonymous visitor do not; the JSON API stays
 * token-only.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"
import { enterpriseDefaults } from "../../src/server/config.ts"
import { testApp, type TestApp } from "../support/app.ts"
import * as Oidc from "../support/oidc.ts"
import { callback, cookies, settings } from "./sso-support.ts"
import { ADMIN_TOKEN, bearer, call, create, sync } from "./support.ts"

const CALLBACK = "http://share.test/auth/callback"
const form = (fields: Record<string, string>, cookie: string) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { "content-type": "application/x-www-form-urlencoded", cookie },
})

/** Logs `user` in through the provider with `/admin` as the return path; the session cookie and where the callback sent them. */
async function adminLogin(
  t: TestApp,
  user: string,
): Promise<{ cookie: string; status: number; location: string | null }> {
  const res = await callback(t, user, "/admin")
  const value = cookies(res).get("agentshare_session")
  assert.ok(value, `a session cookie for ${user}`)
  return { cookie: `agentshare_session=${value}`, status: res.status, location: res.headers.get("location") }
}

describe("admin area through SSO (OIDC_ADMIN_GROUP)", () => {
  let idp: Oidc.Idp
  before(async () => {
    idp = await Oidc.start([CALLBACK])
  })
  after(() => idp.close())

  const app = (adminToken?: string) =>
    testApp({
      auth: settings(idp.issuer, "public", { adminGroup: "share-admins" }),
      enterprise: enterpriseDefaults({ rateLimitCreate: null, rateLimitSync: null, adminToken }),
    })

  it("lets a member of the admin group in as themselves, even outside the viewers' group", async (t) => {
    const a = await app()
    t.after(() => a.close())
    const share = await create(a)
    assert.equal((await sync(a, share, "hello")).status, 200)

    // The login page offers SSO only: there is no token to type.
    const loginPage = await (await call(a, "GET", "/admin/login")).text()
    assert.match(loginPage, /href="\/auth\/login\?return=%2Fadmin"/)
    assert.doesNotMatch(loginPage, /name="token"/)

    // dana is not in "engineering" (OIDC_REQUIRED_GROUP): no share viewing, but back to /admin.
    const dana = await adminLogin(a, "dana")
    assert.equal(dana.status, 302)
    assert.equal(dana.location, "/admin")
    const page = await call(a, "GET", "/admin", { headers: { cookie: dana.cookie } })
    assert.equal(page.status, 200)
    const html = await page.text()
    assert.ok(html.includes(share.id), "the share list")
    assert.match(html, /<span class="who muted">dana@corp\.example<\/span>/, "the nav names who is logged in")
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
    assert.ok(csrf)

    // Forms need the CSRF token of this session.
    const forged = await call(
      a,
      "POST",
      `/admin/shares/${share.id}/takedown`,
      form({ _csrf: "x".repeat(43) }, dana.cookie),
    )
    assert.equal(forged.status, 403)
    const down = await call(a, "POST", `/admin/shares/${share.id}/takedown`, form({ _csrf: csrf }, dana.cookie))
    assert.equal(down.status, 303)
    assert.equal((await call(a, "GET", `/share/${share.id}`)).status, 410)

    // The audit log names the SSO subject, not "token".
    const entries = await a.deps.store.audit.query({ shareID: share.id, action: "taken_down", limit: 10 })
    assert.deepEqual(
      entries.map((e) => [e.actorKind, e.actorID]),
      [["admin", `${idp.issuer} dana`]],
    )

    // Log out ends the SSO session that let dana in, on the server: the cookie opens nothing after.
    const out = await call(a, "POST", "/admin/logout", form({ _csrf: csrf }, dana.cookie))
    assert.equal(out.status, 303)
    assert.equal(out.headers.get("location"), "/admin/login")
    assert.equal((await call(a, "GET", "/admin", { headers: { cookie: dana.cookie } })).status, 303)
  })

  it("keeps out a logged-in user outside the admin group, and anonymous visitors", async (t) => {
    const a = await app()
    t.after(() => a.close())
    const alice = await adminLogin(a, "alice")
    // alice may view shares, so her login ends like a viewer's; the admin area is still closed to her.
    const page = await call(a, "GET", "/admin", { headers: { cookie: alice.cookie } })
    assert.equal(page.status, 303)
    assert.equal(page.headers.get("location"), "/admin/login")
    const login = await (await call(a, "GET", "/admin/login", { headers: { cookie: alice.cookie } })).text()
    assert.match(login, /alice@corp\.example is not in the admin group share-admins/)
    const post = await call(a, "POST", "/admin/purge", form({ _csrf: "x".repeat(43) }, alice.cookie))
    assert.equal(post.status, 401)
    assert.equal((await call(a, "GET", "/admin")).status, 303)
    // mallory is outside the allowed domain: denied as a viewer, and no admin.
    const mallory = await adminLogin(a, "mallory")
    assert.equal(mallory.status, 403)
    assert.equal((await call(a, "GET", "/admin", { headers: { cookie: mallory.cookie } })).status, 303)
  })

  it("leaves the JSON API to the token", async (t) => {
    const a = await app()
    t.after(() => a.close())
    const dana = await adminLogin(a, "dana")
    const res = await call(a, "GET", "/api/admin/shares", { headers: { cookie: dana.cookie } })
    assert.equal(res.status, 404)
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /ADMIN_TOKEN/)

    const both = await app(ADMIN_TOKEN)
    t.after(() => both.close())
    assert.equal((await call(both, "GET", "/api/admin/shares", { headers: bearer(ADMIN_TOKEN) })).status, 200)
    const login = await (await call(both, "GET", "/admin/login")).text()
    assert.match(login, /Log in with SSO/)
    assert.match(login, /name="token"/)
    const danaToo = await adminLogin(both, "dana")
    assert.equal((await call(both, "GET", "/admin", { headers: { cookie: danaToo.cookie } })).status, 200)
  })

  it("is configured by OIDC_ADMIN_GROUP, which needs a provider", () => {
    const base = { DATABASE_URL: "sqlite:///tmp/x.db" }
    const bad = Config.parse({ ...base, OIDC_ADMIN_GROUP: "share-admins" })
    assert.equal(bad.ok, false)
    assert.ok(!bad.ok && bad.problems.some((p) => /OIDC_ADMIN_GROUP: has no effect without OIDC_ISSUER/.test(p)))
    const good = Config.parse({
      ...base,
      OIDC_ISSUER: "https://idp.example",
      OIDC_CLIENT_ID: "c",
      OIDC_ADMIN_GROUP: "share-admins",
    })
    assert.ok(good.ok && good.config.auth.oidc?.adminGroup === "share-admins")
  })
})
