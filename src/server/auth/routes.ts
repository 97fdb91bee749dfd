/**
 * Logging in through the OpenID provider: /auth/login?return=<path> starts it, /auth/callback
 * ends it (session cookie, then back to the share). Logging out is POST /auth/logout with the
 * session's CSRF token (GET /auth/logout only shows that form). `agentshare login` starts with
 * POST /auth/cli, opens the link it answers, has the user confirm at /auth/cli/confirm, and
 * redeems its code with POST /auth/token (src/server/auth/cli.ts, accounts.ts).
 */
import { Hono, type Context } from "hono"
import { CliLoginRequest, LoginRequest } from "../../schema/index.ts"
import * as Audit from "../governance/audit.ts"
import * as Accounts from "./accounts.ts"
import * as Cli from "./cli.ts"
import * as Oidc from "./oidc.ts"
import * as Pages from "./pages.ts"
import * as Policy from "./policy.ts"
import * as Session from "./session.ts"
import * as Body from "../http/body.ts"
import type { AppEnv, Deps } from "../context.ts"
import { ApiError, badRequest, ssoNotConfigured } from "../errors.ts"
import { pageHeaders } from "../http/headers.ts"
import * as Log from "../log.ts"

const notConfigured = ssoNotConfigured

/** Bodies here are a code, a challenge or a form's token: 4 KiB is plenty. */
const BODY_MAX = 4096
const small = Body.limit(BODY_MAX)

/** Only a path on this server: never another origin (`//host`, `/\host`) or a scheme. */
export function safeReturn(value: string | undefined): string {
  if (
    !value ||
    value.length > 2048 ||
    !value.startsWith("/") ||
    value.startsWith("//") ||
    value.startsWith("/\\") ||
    /[\u0000-\u001f]/.test(value)
  )
    return "/"
  return value
}

/** A form field, or undefined: a body that is no form (or a broken one) has none. */
async function field(c: Context, name: string): Promise<string | undefined> {
  const v = await c.req.parseBody().then(
    (form) => form[name],
    () => undefined,
  )
  return typeof v === "string" ? v : undefined
}

export function authRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()
  const noindex = deps.config.noindex
  const oidc = () => deps.config.auth.oidc ?? Promise.reject(notConfigured())

  /** A page for people: errors become pages (403 and 400 say why) and their forms may post here. */
  const human = async (c: Context, run: () => Promise<Response>) => {
    pageHeaders(c, noindex, "'self'")
    c.header("cache-control", "no-store")
    try {
      return await run()
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      if (error.status === 503) return c.html(Pages.unavailable(), 503)
      if (error.status === 404 || error.status === 413) throw error
      const status = error.status === 403 ? 403 : 400
      return c.html(Pages.failed(error.message, status), status)
    }
  }

  /** Sends the browser to the provider; the login in progress is a sealed cookie of this browser. */
  const toProvider = async (c: Context, back: string, cli?: Session.CliRun) => {
    const begun = await Oidc.begin(deps, await oidc())
    Session.begin(c, deps, { state: begun.state, nonce: begun.nonce, verifier: begun.verifier, back, cli })
    return c.redirect(begun.url, 302)
  }

  app.get("/login", (c) =>
    human(c, async () => {
      await oidc()
      // The old link carried the CLI's challenge and loopback itself, so anyone could make one
      // for their own CLI and send it to someone else: such links are refused.
      if (c.req.query("cli_redirect") !== undefined) throw Cli.outdated()
      return toProvider(c, safeReturn(c.req.query("return")))
    }),
  )

  app.post("/cli", small, async (c) => {
    await oidc()
    const body = await Body.json(c, CliLoginRequest)
    return c.json(Cli.start(deps, body), 201)
  })

  app.get("/cli", (c) =>
    human(c, async () => {
      await oidc()
      return toProvider(c, "/", Cli.open(deps, c.req.query("flow")))
    }),
  )

  app.get("/callback", (c) =>
    human(c, async () => {
      const o = await oidc()
      const flow = Session.finish(c, deps)
      if (!flow)
        throw badRequest(
          "login_expired",
          "this login was not started here or took too long; open the share again to log in",
        )
      const error = c.req.query("error")
      if (error)
        throw badRequest(
          "login_refused",
          error === "access_denied"
            ? "the login was cancelled at the identity provider"
            : "the identity provider refused the login",
        )
      // openid-client checks the callback against the URL the provider redirected to.
      const current = new URL(c.req.url)
      const public_ = new URL(Oidc.redirectUri(deps))
      current.protocol = public_.protocol
      current.host = public_.host
      const who = await Oidc.finish(deps, o, current, flow)
      const verdict = Policy.check(o, who)
      const viewer = Session.write(c, deps, {
        ...who,
        groups: Policy.kept(o, who.groups),
        expiresAt: deps.now() + deps.config.auth.sessionTtlMs,
      })
      // An administrator need not be a viewer: the admin area checks its own group.
      const admin =
        o.adminGroup !== undefined &&
        who.groups.includes(o.adminGroup) &&
        !flow.cli &&
        (flow.back === "/admin" || flow.back.startsWith("/admin/"))
      const reason = admin ? "admin" : !verdict.ok ? "denied" : flow.cli ? "cli" : "viewer"
      await Audit.record(deps, { action: "login", actor: { kind: "sso", id: who.subject }, detail: { reason } })
      Log.ofRequest(deps.log, c.get("requestId")).info({ cli: Boolean(flow.cli), reason }, "SSO login")
      if (!verdict.ok && !admin)
        return c.html(Pages.denied({ reason: verdict.reason, email: who.email, csrf: Session.csrf(deps, viewer) }), 403)
      if (flow.cli) {
        // No code yet: the user must first see which port it would go to, and say it is theirs.
        Cli.hold(c, deps, flow.cli, who)
        return c.redirect("/auth/cli/confirm", 303)
      }
      return c.redirect(flow.back, 302)
    }),
  )

  app.get("/cli/confirm", (c) =>
    human(c, async () => {
      const held = Cli.held(c, deps)
      if (!held) throw Cli.expired()
      pageHeaders(c, noindex, Cli.formAction(held.cli))
      return c.html(
        Pages.confirm({ port: Cli.port(held.cli), phrase: held.cli.phrase, email: held.email, csrf: held.csrf }),
      )
    }),
  )

  app.post("/cli/confirm", small, (c) =>
    human(c, async () => {
      const held = Cli.confirmed(c, deps, await field(c, "_csrf"))
      Cli.release(c, deps)
      Log.ofRequest(deps.log, c.get("requestId")).info({ port: Cli.port(held.cli) }, "CLI login confirmed")
      return c.redirect(await Cli.issue(deps, held), 303)
    }),
  )

  app.post("/cli/cancel", small, (c) =>
    human(c, async () => {
      Cli.confirmed(c, deps, await field(c, "_csrf"))
      Cli.release(c, deps)
      return c.html(Pages.cancelled())
    }),
  )

  // A GET never logs out (an <img> on any site could): it shows the form that does.
  app.get("/logout", (c) =>
    human(c, async () => {
      const viewer = await Session.read(c, deps)
      return c.html(Pages.logout(viewer && { email: viewer.email, csrf: Session.csrf(deps, viewer) }))
    }),
  )

  app.post("/logout", small, (c) =>
    human(c, async () => {
      const viewer = await Session.read(c, deps)
      // Nothing to end: no cookie is touched, so a cross-site post (which carries no cookie) changes nothing.
      if (!viewer) return c.html(Pages.logout(undefined))
      Session.checkCsrf(deps, viewer, await field(c, "_csrf"))
      await Session.revoke(c, deps, viewer)
      await Audit.record(deps, { action: "logout", actor: { kind: "sso", id: viewer.subject } })
      const back = await field(c, "return")
      return back === undefined ? c.html(Pages.loggedOut()) : c.redirect(safeReturn(back), 303)
    }),
  )

  app.post("/token", small, async (c) => {
    await oidc()
    const body = await Body.json(c, LoginRequest)
    return c.json(
      await Accounts.redeem(deps, {
        code: body.code,
        verifier: body.verifier,
        secret: body.secret,
        bearer: c.req.header("authorization"),
      }),
    )
  })

  return app
}
