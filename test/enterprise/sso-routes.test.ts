import assert from "node:assert/strict"
import { createHash, randomBytes } from "node:crypto"
import { after, before, describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"
import { share, testApp, type TestApp } from "../support/app.ts"
import * as Oidc from "../support/oidc.ts"
import { callback, cookies, session, settings } from "./sso-support.ts"

const CALLBACK = "http://share.test/auth/callback"
const TITLE = "Quarterly secret roadmap"

type Viewer = "anonymous" | "alice" | "carol" | "mallory"
const VIEWERS: Viewer[] = ["anonymous", "alice", "carol", "mallory"]
const ROUTES = ["page", "md", "json", "events", "fragment", "data"] as const

const path = (route: (typeof ROUTES)[number], id: string) =>
  ({
    page: `/share/${id}`,
    md: `/share/${id}.md`,
    json: `/share/${id}.json`,
    events: `/share/${id}/events`,
    fragment: `/share/${id}/fragment`,
    data: `/api/share/${id}/data`,
  })[route]

/** What a viewer gets: 200 when the share is public (after the server's policy) or the viewer passes. */
function expected(effective: "public" | "sso", viewer: Viewer, route: (typeof ROUTES)[number]): number {
  if (effective === "public" || viewer === "alice") return 200
  if (viewer === "anonymous") return route === "page" ? 302 : 401
  return 403
}

describe("SSO-only viewing: every route × server policy × share setting × viewer", () => {
  let idp: Oidc.Idp
  before(async () => {
    idp = await Oidc.start([CALLBACK])
  })
  after(() => idp.close())

  for (const server of ["public", "sso"] as const) {
    describe(`VIEW_ACCESS=${server}`, () => {
      let t: TestApp
      const jar: Partial<Record<Viewer, string>> = {}
      const shares: Record<string, { id: string; secret: string }> = {}
      before(async () => {
        t = await testApp({ auth: settings(idp.issuer, server) })
        for (const v of ["alice", "carol", "mallory"] as const) jar[v] = await session(t, v)
        for (const access of ["public", "sso"] as const) {
          const s = await share(t, `ses_${access}`)
          await t.send("POST", `/api/share/${s.id}/sync`, {
            secret: s.secret,
            data: [
              { type: "session", data: { id: `ses_${access}`, title: TITLE } },
              { type: "message", data: { id: "msg_1", sessionID: `ses_${access}`, role: "user" } },
              {
                type: "part",
                data: { id: "prt_1", sessionID: `ses_${access}`, messageID: "msg_1", type: "text", text: "hello" },
              },
            ],
          })
          const set = await t.send("POST", `/api/share/${s.id}/access`, { secret: s.secret, access })
          assert.equal(set.status, 200)
          assert.deepEqual(await set.json(), { id: s.id, access, effective: server === "sso" ? "sso" : access })
          shares[access] = s
        }
      })
      after(() => t.close())

      for (const access of ["public", "sso"] as const) {
        const effective = server === "sso" ? "sso" : access
        for (const viewer of VIEWERS) {
          it(`share ${access}, ${viewer}: ${ROUTES.map((r) => `${r} ${expected(effective, viewer, r)}`).join(", ")}`, async () => {
            const id = shares[access].id
            for (const route of ROUTES) {
              const res = await t.app.request(path(route, id), { headers: jar[viewer] ? { cookie: jar[viewer]! } : {} })
              const want = expected(effective, viewer, route)
              assert.equal(res.status, want, `${route} for ${viewer}`)
              if (want === 200) {
                if (route === "events") assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/)
                if (route === "page" || route === "md" || route === "json")
                  assert.ok((await res.text()).includes(TITLE), route)
                if (!res.bodyUsed) await res.body?.cancel()
                continue
              }
              const body = await res.text()
              assert.ok(!body.includes(TITLE), `${route} for ${viewer} leaks the share`)
              assert.equal(res.headers.get("cache-control"), "no-store")
              if (want === 302)
                assert.equal(res.headers.get("location"), `/auth/login?return=${encodeURIComponent(`/share/${id}`)}`)
              if (want === 401) assert.equal(JSON.parse(body).error.code, "login_required")
              if (want === 403 && route === "page") {
                assert.match(body, /Access denied/)
                assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'none'/)
              }
              if (want === 403 && route !== "page") assert.equal(JSON.parse(body).error.code, "not_allowed")
            }
          })
        }
      }

      it("keeps stock clients' create, sync and delete working on an sso share", async () => {
        const s = await share(t, "ses_writer")
        assert.equal(
          (await t.send("POST", `/api/share/${s.id}/access`, { secret: s.secret, access: "sso" })).status,
          200,
        )
        const sync = await t.send("POST", `/api/share/${s.id}/sync`, {
          secret: s.secret,
          data: [{ type: "session", data: { id: "ses_writer", title: "w" } }],
        })
        assert.equal(sync.status, 200)
        assert.equal((await t.send("DELETE", `/api/share/${s.id}`, { secret: s.secret })).status, 200)
      })

      it("creates a share SSO-only from the start when the create asks for access sso", async () => {
        const res = await t.send("POST", "/api/share", { sessionID: "ses_born_sso", access: "sso" })
        assert.equal(res.status, 201)
        const s = (await res.json()) as { id: string; secret: string; access: string }
        assert.equal(s.access, "sso")
        assert.equal(
          (
            await t.send("POST", `/api/share/${s.id}/sync`, {
              secret: s.secret,
              data: [{ type: "session", data: { id: "ses_born_sso", title: TITLE } }],
            })
          ).status,
          200,
        )
        const page = await t.app.request(`/share/${s.id}`)
        assert.equal(page.status, 302)
        assert.equal((await t.app.request(`/api/share/${s.id}/data`)).status, 401)
        const alice = await t.app.request(`/share/${s.id}`, { headers: { cookie: jar.alice! } })
        assert.equal(alice.status, 200)
        assert.ok((await alice.text()).includes(TITLE))
        // Without `access` the answer has no access field, as stock clients expect.
        const plain = (await (await t.send("POST", "/api/share", { sessionID: "ses_plain" })).json()) as Record<
          string,
          unknown
        >
        assert.deepEqual(Object.keys(plain).sort(), ["id", "secret", "url"])
        assert.equal((await t.send("POST", "/api/share", { sessionID: "ses_x", access: "friends" })).status, 400)
      })

      it("asks for Markdown with Accept as an API: 401, not a redirect", async () => {
        const res = await t.app.request(`/share/${shares.sso.id}`, { headers: { accept: "text/markdown" } })
        assert.equal(res.status, 401)
      })
    })
  }

  it("refuses a create asking for access sso on a server without SSO, creating nothing", async (t) => {
    const plain = await testApp()
    t.after(() => plain.close())
    const res = await plain.send("POST", "/api/share", { sessionID: "ses_nosso", access: "sso" })
    assert.equal(res.status, 400)
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "sso_unavailable")
    assert.deepEqual(await plain.deps.store.shares.bySession("ses_nosso"), [])
  })

  describe("the login itself", () => {
    let t: TestApp
    before(async () => {
      t = await testApp({ auth: settings(idp.issuer, "sso") })
    })
    after(() => t.close())

    it("sets an HttpOnly, SameSite=Lax session cookie (not Secure over http) and returns to the share", async () => {
      const res = await callback(t, "alice", "/share/abc?turns=all")
      assert.equal(res.status, 302)
      assert.equal(res.headers.get("location"), "/share/abc?turns=all")
      const line = res.headers.getSetCookie().find((l) => l.startsWith("agentshare_session="))!
      assert.match(line, /HttpOnly/)
      assert.match(line, /SameSite=Lax/)
      assert.match(line, /Path=\//)
      assert.doesNotMatch(line, /Secure/)
      assert.ok(!line.includes("alice"), "the cookie is sealed")
    })

    it("marks the cookie Secure with the __Host- prefix when PUBLIC_URL is https", async () => {
      const https = await testApp({ publicUrl: "https://share.test", auth: settings(idp.issuer, "sso") })
      try {
        const start = await https.app.request("/auth/login?return=/")
        const line = start.headers.getSetCookie().find((l) => l.startsWith("__Secure-agentshare_login="))
        assert.ok(line, "the login cookie is __Secure-")
        assert.match(line, /Secure/)
        assert.match(line, /HttpOnly/)
        assert.match(line, /SameSite=Lax/)
      } finally {
        await https.close()
      }
    })

    it("sends a denied user to a 403 page that says why", async () => {
      const res = await callback(t, "mallory")
      assert.equal(res.status, 403)
      assert.match(await res.text(), /not in an allowed email domain/)
      const group = await callback(t, "carol")
      assert.equal(group.status, 403)
      assert.match(await group.text(), /not in the group engineering/)
    })

    it("does not trust an address the provider has not verified", async () => {
      assert.equal((await callback(t, "unverified")).status, 403)
    })

    it("refuses a callback without the login cookie (state cannot be checked)", async () => {
      const start = await t.app.request("/auth/login?return=/")
      const to = await Oidc.login(start.headers.get("location")!, "alice")
      const res = await t.app.request(to.pathname + to.search)
      assert.equal(res.status, 400)
      assert.equal(cookies(res).get("agentshare_session"), undefined)
    })

    it("refuses a callback whose state was changed", async () => {
      const start = await t.app.request("/auth/login?return=/")
      const flow = [...cookies(start)].map(([k, v]) => `${k}=${v}`).join("; ")
      const to = await Oidc.login(start.headers.get("location")!, "alice")
      to.searchParams.set("state", "forged-state-value")
      const res = await t.app.request(to.pathname + to.search, { headers: { cookie: flow } })
      assert.equal(res.status, 400)
      assert.equal(cookies(res).get("agentshare_session"), undefined)
    })

    it("ignores a forged or altered session cookie", async () => {
      const real = (await session(t, "alice")).split("=")[1]
      const flipped = real.slice(0, -2) + (real.at(-2) === "A" ? "B" : "A") + real.at(-1)
      for (const value of ["forged", flipped]) {
        const res = await t.app.request("/share/s_anything.json", {
          headers: { cookie: `agentshare_session=${value}` },
        })
        assert.equal(res.status, 401)
      }
    })

    it("returns only to paths on this server", async () => {
      for (const back of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
        const res = await callback(t, "alice", back)
        assert.equal(res.headers.get("location"), "/")
      }
    })

    /** Logs out as the logout page's form does: a POST with the session's CSRF token. */
    const logout = async (cookie: string) => {
      const csrf =
        /name="_csrf" value="([^"]+)"/.exec(
          await (await t.app.request("/auth/logout", { headers: { cookie } })).text(),
        )?.[1] ?? ""
      return t.app.request("/auth/logout", {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: csrf }).toString(),
      })
    }

    it("records logins and logouts in the audit log, without the email or any token", async () => {
      const cookie = await session(t, "alice")
      await callback(t, "mallory")
      await logout(cookie)
      const rows = await t.deps.store.audit.query({ limit: 100 })
      const logins = rows.filter((r) => r.action === "login")
      assert.ok(
        logins.some(
          (r) => r.actorKind === "sso" && r.actorID === `${idp.issuer} alice` && r.detail?.reason === "viewer",
        ),
      )
      assert.ok(logins.some((r) => r.actorID === `${idp.issuer} mallory` && r.detail?.reason === "denied"))
      assert.ok(rows.some((r) => r.action === "logout" && r.actorID === `${idp.issuer} alice`))
      const text = JSON.stringify(rows)
      assert.ok(!text.includes("@corp.example") && !text.includes("@elsewhere.example"), "no email in the audit log")
      assert.ok(!text.includes(cookie.split("=")[1]), "no cookie in the audit log")
    })

    it("logs out: the cookie is cleared and the share asks for a login again", async () => {
      const cookie = await session(t, "alice")
      const out = await logout(cookie)
      assert.equal(out.status, 200)
      assert.match(out.headers.getSetCookie().join("\n"), /agentshare_session=;.*Max-Age=0/)
      assert.equal((await t.app.request("/share/s_anything.json", { headers: { cookie } })).status, 401)
    })
  })

  describe("the CLI's one-time login code", () => {
    let t: TestApp
    before(async () => {
      t = await testApp({ auth: settings(idp.issuer, "public") })
    })
    after(() => t.close())

    const verifier = randomBytes(32).toString("base64url")
    const challenge = createHash("sha256").update(verifier).digest("base64url")
    const state = randomBytes(24).toString("base64url")
    /** The secret of the latest run started (POST /auth/cli answers it to the CLI only). */
    let secret = ""

    /**
     * `agentshare login` and its browser: starts the run, logs in at the provider, confirms on the
     * page that names the port, and answers where the server then sends the browser (the loopback).
     */
    async function loopback(user: string, redirect = "http://127.0.0.1:9/callback"): Promise<Response> {
      const begun = await t.send("POST", "/auth/cli", { redirect, state, challenge })
      if (begun.status !== 201) return begun
      const run = (await begun.json()) as { url: string; secret: string }
      secret = run.secret
      const link = new URL(run.url)
      const start = await t.app.request(link.pathname + link.search)
      const flow = [...cookies(start)].map(([k, v]) => `${k}=${v}`).join("; ")
      const to = await Oidc.login(start.headers.get("location")!, user)
      const back = await t.app.request(to.pathname + to.search, { headers: { cookie: flow } })
      if (back.status !== 303) return back
      const held = [...cookies(back)]
        .filter(([k]) => k === "agentshare_cli")
        .map(([k, v]) => `${k}=${v}`)
        .join("; ")
      const page = await (await t.app.request("/auth/cli/confirm", { headers: { cookie: held } })).text()
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? ""
      return t.app.request("/auth/cli/confirm", {
        method: "POST",
        headers: { cookie: held, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: csrf }).toString(),
      })
    }
    const redeem = (body: Record<string, unknown>, token?: string) =>
      t.app.request("/auth/token", {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ secret, ...body }),
      })

    it("redirects to the loopback with a code and the CLI's state; the code works once, with the verifier only", async () => {
      const res = await loopback("alice")
      assert.equal(res.status, 303)
      const to = new URL(res.headers.get("location")!)
      assert.equal(to.origin + to.pathname, "http://127.0.0.1:9/callback")
      assert.equal(to.searchParams.get("state"), state)
      const code = to.searchParams.get("code")!
      assert.equal(
        (await redeem({ code, verifier: randomBytes(32).toString("base64url") })).status,
        400,
        "a wrong verifier is refused",
      )
      // The refused attempt used the code up: a stolen code cannot be retried with guesses.
      assert.equal((await redeem({ code, verifier })).status, 400)

      const again = new URL((await loopback("alice")).headers.get("location")!).searchParams.get("code")!
      const ok = await redeem({ code: again, verifier })
      assert.equal(ok.status, 200)
      const body = (await ok.json()) as { ownerID: string; token: string; email: string }
      assert.equal(body.email, "alice@corp.example")
      assert.match(body.token, /^agsh_/)
      assert.equal((await redeem({ code: again, verifier })).status, 400, "a code is taken once")
      const list = await t.app.request("/api/owner/shares", { headers: { authorization: `Bearer ${body.token}` } })
      assert.equal(list.status, 200)
    })

    it("refuses a redirect that is not a loopback address with a port", async () => {
      for (const redirect of [
        "https://evil.example/callback",
        "http://127.0.0.1/callback",
        "http://evil.example:8080/callback",
      ]) {
        const res = await loopback("alice", redirect)
        assert.equal(res.status, 400, redirect)
      }
    })

    it("refuses an unknown bearer token before taking the code", async () => {
      const code = new URL((await loopback("alice")).headers.get("location")!).searchParams.get("code")!
      assert.equal((await redeem({ code, verifier }, "agsh_unknown")).status, 401)
      assert.equal((await redeem({ code, verifier })).status, 200)
    })

    it("gives a denied user no code", async () => {
      const res = await loopback("mallory")
      assert.equal(res.status, 403)
      assert.equal(res.headers.get("location"), null)
    })
  })

  describe("config", () => {
    it("refuses VIEW_ACCESS=sso without a provider, listing what is missing", () => {
      const r = Config.parse({ VIEW_ACCESS: "sso" })
      assert.equal(r.ok, false)
      assert.ok(!r.ok && r.problems.some((p) => p.startsWith("OIDC_ISSUER")))
      assert.ok(!r.ok && r.problems.some((p) => p.startsWith("OIDC_CLIENT_ID")))
    })

    it("refuses a plain-http issuer that is not on this machine, and a short SESSION_SECRET", () => {
      const r = Config.parse({
        VIEW_ACCESS: "sso",
        OIDC_ISSUER: "http://idp.example",
        OIDC_CLIENT_ID: "x",
        SESSION_SECRET: "short",
      })
      assert.equal(r.ok, false)
      assert.ok(!r.ok && r.problems.some((p) => p.startsWith("OIDC_ISSUER")))
      assert.ok(!r.ok && r.problems.some((p) => p.startsWith("SESSION_SECRET")))
      assert.ok(!r.ok && !r.problems.join(" ").includes("short"), "the secret is not echoed")
    })

    it("parses a full SSO configuration", () => {
      const r = Config.parse({
        VIEW_ACCESS: "sso",
        OIDC_ISSUER: "https://idp.example/",
        OIDC_CLIENT_ID: "x",
        OIDC_ALLOWED_DOMAINS: "Corp.example, @other.example",
        OIDC_REQUIRED_GROUP: "eng",
      })
      assert.ok(r.ok)
      assert.deepEqual(r.config.auth.oidc?.allowedDomains, ["corp.example", "other.example"])
      assert.equal(r.config.auth.oidc?.issuer, "https://idp.example")
    })

    it("answers 503 with a page, not a 500, when the provider cannot be reached", async () => {
      const t = await testApp({ auth: settings("http://127.0.0.1:1", "sso") })
      try {
        const res = await t.app.request("/auth/login?return=/")
        assert.equal(res.status, 503)
        assert.match(await res.text(), /could not be reached/)
        assert.equal((await t.app.request("/share/s_x.json")).status, 401, "the guard itself needs no provider")
      } finally {
        await t.close()
      }
    })

    it("refuses to make a share sso on a server without a provider", async () => {
      const t = await testApp()
      try {
        const s = await share(t)
        const res = await t.send("POST", `/api/share/${s.id}/access`, { secret: s.secret, access: "sso" })
        assert.equal(res.status, 400)
        assert.equal((await res.json()).error.code, "sso_unavailable")
        const wrong = await t.send("POST", `/api/share/${s.id}/access`, { secret: "nope", access: "public" })
        assert.equal(wrong.status, 403)
      } finally {
        await t.close()
      }
    })
  })
})
