/**
 * Logging in through the OpenID provider: /auth/login?return=<path> starts it, /auth/callback
 * ends it (session cookie, then back to the share), /auth/logout ends the session. With
 * cli_redirect, cli_state and cli_challenge, /auth/login is `agentshare login`'s loopback flow,
 * and POST /auth/token redeems the code it gets (src/server/auth/accounts.ts).
 */
import { Hono, type Context } from "hono"
import { bodyLimit } from "hono/body-limit"
import { LoginRequest } from "../../schema/index.ts"
import * as Audit from "../audit.ts"
import * as Accounts from "../auth/accounts.ts"
import * as Oidc from "../auth/oidc.ts"
import * as Pages from "../auth/pages.ts"
import * as Policy from "../auth/policy.ts"
import * as Session from "../auth/session.ts"
import * as Body from "../body.ts"
import type { AppEnv, Deps } from "../context.ts"
import { ApiError, badRequest, tooLarge } from "../errors.ts"
import { pageHeaders } from "./page.ts"

const notConfigured = () => new ApiError(404, "sso_not_configured", "this server has no SSO login (OIDC_ISSUER is not set)")

/** Only a path on this server: never another origin (`//host`, `/\host`) or a scheme. */
export function safeReturn(value: string | undefined): string {
  if (!value || value.length > 2048 || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || /[\u0000-\u001f]/.test(value)) return "/"
  return value
}

export function authRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()
  const noindex = deps.config.noindex
  const oidc = () => deps.config.auth.oidc ?? Promise.reject(notConfigured())

  const human = async (c: Context, run: () => Promise<Response>) => {
    pageHeaders(c, noindex)
    c.header("cache-control", "no-store")
    try {
      return await run()
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      if (error.status === 503) return c.html(Pages.unavailable(), 503)
      if (error.status === 404) throw error
      return c.html(Pages.failed(error.message), 400)
    }
  }

  app.get("/login", (c) => human(c, async () => {
    const o = await oidc()
    const back = safeReturn(c.req.query("return"))
    const cliRedirect = c.req.query("cli_redirect")
    let cli: Session.Flow["cli"]
    if (cliRedirect !== undefined) {
      const redirect = Accounts.loopback(cliRedirect)
      const state = c.req.query("cli_state") ?? ""
      const challenge = c.req.query("cli_challenge") ?? ""
      if (!redirect) throw badRequest("invalid_redirect", "cli_redirect must be http://127.0.0.1:<port>/… (a loopback address with a port)")
      if (!/^[A-Za-z0-9_-]{16,128}$/.test(state) || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) throw badRequest("invalid_request", "cli_state (16-128 URL-safe characters) and cli_challenge (an S256 PKCE challenge) are required")
      cli = { redirect: redirect.href, state, challenge }
    }
    const begun = await Oidc.begin(deps, o)
    Session.begin(c, deps, { state: begun.state, nonce: begun.nonce, verifier: begun.verifier, back, cli })
    return c.redirect(begun.url, 302)
  }))

  app.get("/callback", (c) => human(c, async () => {
    const o = await oidc()
    const flow = Session.finish(c, deps)
    if (!flow) throw badRequest("login_expired", "this login was not started here or took too long; open the share again to log in")
    const error = c.req.query("error")
    if (error) throw badRequest("login_refused", error === "access_denied" ? "the login was cancelled at the identity provider" : "the identity provider refused the login")
    // openid-client checks the callback against the URL the provider redirected to.
    const current = new URL(c.req.url)
    const public_ = new URL(Oidc.redirectUri(deps))
    current.protocol = public_.protocol
    current.host = public_.host
    const who = await Oidc.finish(deps, o, current, flow)
    const verdict = Policy.check(o, who)
    Session.write(c, deps, { ...who, groups: Policy.kept(o, who.groups), expiresAt: deps.now() + deps.config.auth.sessionTtlMs })
    // An administrator need not be a viewer: the admin area checks its own group.
    const admin = o.adminGroup !== undefined && who.groups.includes(o.adminGroup) && !flow.cli && (flow.back === "/admin" || flow.back.startsWith("/admin/"))
    const reason = admin ? "admin" : !verdict.ok ? "denied" : flow.cli ? "cli" : "viewer"
    await Audit.record(deps, { action: "login", actor: { kind: "sso", id: who.subject }, detail: { reason } })
    c.get("log").info({ cli: Boolean(flow.cli), reason }, "SSO login")
    if (!verdict.ok && !admin) return c.html(Pages.denied({ reason: verdict.reason, email: who.email }), 403)
    if (flow.cli) {
      const code = await Accounts.code(deps, who, flow.cli.challenge)
      const to = new URL(flow.cli.redirect)
      to.searchParams.set("code", code)
      to.searchParams.set("state", flow.cli.state)
      return c.redirect(to.href, 302)
    }
    return c.redirect(flow.back, 302)
  }))

  const logout = async (c: Context) => {
    const viewer = Session.read(c, deps)
    if (viewer) await Audit.record(deps, { action: "logout", actor: { kind: "sso", id: viewer.subject } })
    Session.clear(c, deps)
    pageHeaders(c, noindex)
    c.header("cache-control", "no-store")
    const back = c.req.query("return")
    return back ? c.redirect(safeReturn(back), 302) : c.html(Pages.loggedOut())
  }
  app.get("/logout", logout)
  app.post("/logout", logout)

  app.post("/token", bodyLimit({ maxSize: 4096, onError: () => { throw tooLarge("the request body", 4096) } }), async (c) => {
    await oidc()
    const body = await Body.json(c, LoginRequest)
    return c.json(await Accounts.redeem(deps, { code: body.code, verifier: body.verifier, bearer: c.req.header("authorization") }))
  })

  return app
}
