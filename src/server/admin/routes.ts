/**
 * The admin area (ADMIN_TOKEN, OIDC_ADMIN_GROUP): server-rendered pages under /admin (the token's
 * login form sets a session cookie, or an SSO login in the admin group; every POST carries a
 * CSRF token) and the same actions as JSON under /api/admin (the token as a bearer). List and
 * search shares, open one, take it down, purge expired shares, toggle the creation kill switch,
 * see storage used, read and export the audit log.
 */
import { Hono, type Context } from "hono"
import { PolicyRequest } from "../../schema/index.ts"
import type { AuditFilter } from "../../store/index.ts"
import * as Auth from "./auth.ts"
import * as Pages from "./pages.ts"
import * as Analytics from "../governance/analytics.ts"
import * as Audit from "../governance/audit.ts"
import * as Body from "../http/body.ts"
import type { AppEnv, Deps } from "../context.ts"
import { badRequest, gone, notFound } from "../errors.ts"
import * as Policy from "../governance/creation.ts"
import * as RateLimit from "../governance/ratelimit.ts"
import * as Retention from "../governance/retention.ts"
import { adminHeaders } from "../http/headers.ts"
import * as Share from "../share/index.ts"
import type { Actor } from "../http/actor.ts"

/** The admin token acting, from the request's address. */
const token = (ip: string | undefined): Actor => ({ kind: "admin", id: "token", ip })
const PAGE = 50
const EXPORT_MAX = 100_000

/** A time bound: epoch ms, an ISO time, or a day (`2026-11-22`; as `to`, the whole day is included). */
function bound(name: string, value: string | undefined, end: boolean): number | undefined {
  if (!value) return undefined
  if (/^\d{1,15}$/.test(value)) return Number(value)
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value)
  if (Number.isNaN(ms))
    throw badRequest("invalid_query", `${name}: "${value}" is not a date, an ISO time or epoch milliseconds`)
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && end ? ms + 86_400_000 : ms
}

export function auditFilter(c: Context, limit: number): AuditFilter {
  const q = (k: string) => c.req.query(k)?.trim() || undefined
  const action = q("action")
  if (action && !(Audit.ACTIONS as readonly string[]).includes(action))
    throw badRequest("invalid_query", `action: one of ${Audit.ACTIONS.join(", ")}`)
  const actor = q("actor")
  if (actor && !(Audit.ACTOR_KINDS as readonly string[]).includes(actor))
    throw badRequest("invalid_query", `actor: one of ${Audit.ACTOR_KINDS.join(", ")}`)
  const after = q("after")
  if (after !== undefined && !/^\d{1,15}$/.test(after)) throw badRequest("invalid_query", "after: an audit entry id")
  const n = q("limit")
  if (n !== undefined && !/^\d{1,6}$/.test(n)) throw badRequest("invalid_query", "limit: a number")
  return {
    action,
    shareID: q("share"),
    actorKind: actor,
    actorID: q("actorId"),
    from: bound("from", q("from"), false),
    to: bound("to", q("to"), true),
    after: after === undefined ? undefined : Number(after),
    limit: Math.min(Math.max(1, n === undefined ? limit : Number(n)), limit),
  }
}

async function jsonl(deps: Deps, c: Context) {
  const filter = auditFilter(c, EXPORT_MAX)
  const lines: string[] = []
  let after = filter.after
  while (lines.length < filter.limit) {
    const rows = await Audit.query(deps, { ...filter, after, limit: Math.min(1000, filter.limit - lines.length) })
    for (const r of rows) lines.push(Audit.line(r))
    if (rows.length < 1000) break
    after = rows[rows.length - 1]?.id
  }
  c.header("content-disposition", 'attachment; filename="agentshare-audit.jsonl"')
  c.header("cache-control", "no-store")
  return c.body(lines.map((l) => `${l}\n`).join(""), 200, { "content-type": "application/jsonl; charset=utf-8" })
}

async function takedown(deps: Deps, id: string, actor: Actor) {
  const found = await deps.store.shares.find(Share.checkId(id))
  if (found.state === "missing") throw notFound()
  if (found.state === "gone") throw gone(found.reason)
  if (!(await Share.remove(deps, found.share, "taken_down", actor))) throw gone()
}

/** The purge job, run now; each share it deletes is audited as expired, the run as purged. */
async function purge(deps: Deps, actor: Actor) {
  const r = await Retention.sweep(deps)
  await Audit.record(deps, { action: "purged", actor, detail: { shares: r.expired } })
  return r
}

async function policy(deps: Deps) {
  return {
    createAccess: deps.config.enterprise.createAccess,
    killSwitch: await Policy.killed(deps),
    effective: await Policy.access(deps),
  }
}

async function search(deps: Deps, c: Context) {
  const offset = Math.max(0, Number(c.req.query("offset")) || 0)
  const limit = Math.min(Math.max(1, Number(c.req.query("limit")) || PAGE), 500)
  const q = c.req.query("q")?.trim().slice(0, 200) || undefined
  const ownerID = c.req.query("owner")?.trim() || undefined
  await Analytics.flush(deps)
  return { ...(await deps.store.shares.search({ q, ownerID, limit, offset })), offset, limit, q: q ?? "" }
}

async function detail(deps: Deps, id: string) {
  await Analytics.flush(deps)
  const found = await deps.store.shares.search({ q: Share.checkId(id), limit: 50, offset: 0 })
  const share = found.shares.find((s) => s.id === id)
  if (!share) {
    const lookup = await deps.store.shares.find(id)
    throw lookup.state === "gone" ? gone(lookup.reason) : notFound()
  }
  return {
    share,
    views: await Analytics.days(deps, id, 60),
    audit: await Audit.query(deps, { shareID: id, limit: 200 }),
  }
}

export function adminApiRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()
  app.use(async (c, next) => {
    Auth.bearer(deps, c)
    await next()
  })
  app.get("/shares", async (c) => c.json(await search(deps, c)))
  app.get("/shares/:id", async (c) => c.json(await detail(deps, c.req.param("id"))))
  app.delete("/shares/:id", async (c) => {
    await takedown(deps, c.req.param("id"), token(c.get("ip")))
    return c.json({ ok: true as const })
  })
  app.post("/purge", async (c) => c.json(await purge(deps, token(c.get("ip")))))
  app.get("/policy", async (c) => c.json(await policy(deps)))
  app.put("/policy", async (c) => {
    const body = await Body.json(c, PolicyRequest)
    await Policy.kill(deps, body.killSwitch, token(c.get("ip")))
    return c.json(await policy(deps))
  })
  app.get("/storage", async (c) => c.json(await deps.store.shares.usage()))
  app.get("/audit", (c) => jsonl(deps, c))
  return app
}

/** The admin pages know their session: the middleware below resolves it once per request. */
type AdminEnv = { Variables: AppEnv["Variables"] & { admin: Auth.Session } }

export function adminPageRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>()
  const viewAccess = () => (deps.config as { auth?: { viewAccess?: string } }).auth?.viewAccess ?? "public"

  app.get("/assets/:name", (c) => {
    if (`/admin/assets/${c.req.param("name")}` !== Pages.style.path) throw notFound("asset")
    return c.body(Pages.style.body, 200, {
      "content-type": "text/css; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
    })
  })

  /** How this server lets admins in, and what the SSO session (if any) says about this user. */
  const ways = async (c: Context<AdminEnv> | Context<AppEnv>, message?: string) => {
    const user = await Auth.ssoUser(deps, c)
    const refused =
      user && !user.admin ? `${user.email ?? "This account"} is not in the admin group ${Auth.group(deps)}.` : undefined
    return Pages.login({
      token: Auth.token(deps) !== undefined,
      sso: Auth.group(deps) !== undefined,
      message: message ?? refused,
    })
  }

  app.get("/login", async (c) => {
    Auth.ensure(deps)
    adminHeaders(c)
    return c.html(await ways(c))
  })

  app.post("/login", async (c) => {
    Auth.ensure(deps)
    adminHeaders(c)
    const ip = c.get("ip")
    // Guessing the token is throttled like creating shares.
    RateLimit.take(deps, c, "create", [ip && `admin-login:${ip}`])
    const form = await c.req.parseBody()
    if (typeof form.token !== "string" || !Auth.isToken(deps, form.token))
      return c.html(await ways(c, "That is not the admin token."), 401)
    Auth.login(deps, c)
    await Audit.record(deps, { action: "login", actor: token(c.get("ip")) })
    return c.redirect("/admin", 303)
  })

  // Every other page needs a session; every POST its CSRF token.
  app.use(async (c, next) => {
    const session = await Auth.session(deps, c)
    if (!session) {
      if (c.req.method === "GET") return c.redirect("/admin/login", 303)
      throw Auth.unauthorized()
    }
    if (c.req.method === "POST") {
      const form = await c.req.parseBody()
      Auth.checkCsrf(deps, session, form._csrf)
    }
    c.set("admin", session)
    adminHeaders(c)
    await next()
  })
  const signed = (c: Context<AdminEnv>): Pages.Signed => ({
    csrf: Auth.csrf(deps, c.get("admin")),
    who: c.get("admin").who,
  })
  const actor = (c: Context<AdminEnv>): Actor => ({ ...c.get("admin").actor, ip: c.get("ip") })

  app.post("/logout", async (c) => {
    const s = c.get("admin")
    // Ends the session on the server: the token session's id, or the SSO session that let an SSO admin in.
    await s.end(c)
    await Audit.record(deps, { action: "logout", actor: { ...s.actor, ip: c.get("ip") } })
    return c.redirect("/admin/login", 303)
  })

  app.get("/", async (c) => {
    const found = await search(deps, c)
    const p = await policy(deps)
    return c.html(
      Pages.dashboard({
        signed: signed(c),
        usage: await deps.store.shares.usage(),
        createAccess: p.createAccess,
        killSwitch: p.killSwitch,
        effective: p.effective,
        viewAccess: viewAccess(),
        notice: c.req.query("notice")?.slice(0, 200),
        error: c.req.query("error")?.slice(0, 200),
        ...found,
      }),
    )
  })

  app.get("/shares/:id", async (c) => {
    const d = await detail(deps, c.req.param("id"))
    return c.html(Pages.share(d.share, d.views, d.audit, signed(c), viewAccess()))
  })

  app.post("/shares/:id/takedown", async (c) => {
    await takedown(deps, c.req.param("id"), actor(c))
    return c.redirect(`/admin?notice=${encodeURIComponent(`Share ${c.req.param("id")} was taken down.`)}`, 303)
  })

  app.post("/policy", async (c) => {
    const form = await c.req.parseBody()
    if (form.killSwitch !== "on" && form.killSwitch !== "off") throw badRequest("invalid_body", "killSwitch: on or off")
    if (form.killSwitch === "on" && form.confirm !== "yes")
      return c.redirect(
        `/admin?error=${encodeURIComponent("The kill switch is still off: tick the confirmation to turn it on.")}#policy`,
        303,
      )
    await Policy.kill(deps, form.killSwitch === "on", actor(c))
    return c.redirect(`/admin?notice=${encodeURIComponent(`The kill switch is ${form.killSwitch}.`)}`, 303)
  })

  app.post("/purge", async (c) => {
    const r = await purge(deps, actor(c))
    return c.redirect(`/admin?notice=${encodeURIComponent(`Purge: ${r.expired} expired share(s) deleted.`)}`, 303)
  })

  app.get("/audit", async (c) => {
    const filter = auditFilter(c, PAGE)
    const rows = await Audit.query(deps, filter)
    const q = {
      action: c.req.query("action") ?? "",
      share: c.req.query("share") ?? "",
      actor: c.req.query("actor") ?? "",
      actorId: c.req.query("actorId") ?? "",
      from: c.req.query("from") ?? "",
      to: c.req.query("to") ?? "",
    }
    const last = rows[rows.length - 1]
    const more =
      rows.length === filter.limit && last
        ? new URLSearchParams({
            ...Object.fromEntries(Object.entries(q).filter(([, v]) => v)),
            after: String(last.id),
          }).toString()
        : undefined
    return c.html(Pages.audit(rows, q, signed(c), more))
  })

  app.get("/audit.jsonl", (c) => jsonl(deps, c))

  return app
}
