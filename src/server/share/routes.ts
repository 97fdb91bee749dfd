/** The share API that OpenCode's ShareNext client speaks (`enterprise.url`). */
import { Hono } from "hono"
import { CreateRequest, ExpiryRequest, KNOWN_TYPES, RemoveRequest, SyncRequest, TakedownRequest } from "../../schema/index.ts"
import * as Body from "../http/body.ts"
import type { AppEnv, Deps } from "../context.ts"
import * as Audit from "../governance/audit.ts"
import * as Owners from "../owner/owners.ts"
import * as Policy from "../governance/creation.ts"
import * as RateLimit from "../governance/ratelimit.ts"
import * as Retention from "../governance/retention.ts"
import { forbidden, gone, ssoUnavailable } from "../errors.ts"
import * as Shares from "./share.ts"
import * as Takedown from "./takedown.ts"

export function shareRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()

  app.post("/", async (c) => {
    const body = await Body.json(c, CreateRequest)
    // Stock clients send no token; a console-org client sends its console token with x-org-id,
    // which is not ours to check. Any other bearer must be a valid owner token.
    const owner = c.req.header("x-org-id") ? undefined : await Owners.fromHeader(deps, c.req.header("authorization"))
    // Creation policy, then abuse limits (docs/ENTERPRISE.md).
    const ip = Audit.currentIp()
    await Policy.check(deps, ip)
    RateLimit.take(deps, c, "create", [ip && `ip:${ip}`, owner && `owner:${owner.id}`])
    if (body.access === "sso" && !deps.config.auth.oidc) throw ssoUnavailable()
    const by = { ip, userAgent: c.req.header("user-agent") }
    const created = await Shares.create(deps, body.sessionID, { by, ownerID: owner?.id ?? null, expiresIn: body.expiresIn, access: body.access })
    return c.json(created, 201)
  })

  app.post("/:id/sync", async (c) => {
    const id = Shares.checkId(c.req.param("id"))
    const body = await Body.json(c, SyncRequest)
    const share = await Shares.authorized(deps, id, body.secret)
    const ip = Audit.currentIp()
    RateLimit.take(deps, c, "sync", [ip && `ip:${ip}`, share.ownerID ? `owner:${share.ownerID}` : undefined])
    return c.json(await Shares.sync(deps, share, body.data))
  })

  app.delete("/:id", async (c) => {
    const id = Shares.checkId(c.req.param("id"))
    const body = await Body.json(c, RemoveRequest)
    const share = await Shares.authorized(deps, id, body.secret)
    if (!(await Shares.remove(deps, share, "unshared", Shares.actorOf(share.ownerID)))) throw gone()
    return c.json({ ok: true })
  })

  // What `opencode import` reads: a JSON array of the root session's items of the five known
  // types, in the order the stock server sends them.
  app.get("/:id/data", async (c) => {
    const view = await Shares.read(deps, c.req.param("id"))
    const known = new Set<string>(KNOWN_TYPES)
    const items = view.items
      .filter((i) => i.sessionID === view.source.sessionID && known.has(i.type))
      .map((i) => ({ type: i.type, data: i.data }))
    return c.json(items)
  })

  // Owner takedown of what slipped through redaction (docs/SECURITY.md): the share's secret in
  // the body, or the owner's token as a bearer.
  app.post("/:id/redact", async (c) => {
    const id = Shares.checkId(c.req.param("id"))
    const body = await Body.json(c, TakedownRequest)
    let share
    let owner
    if (body.secret !== undefined) share = await Shares.authorized(deps, id, body.secret)
    else {
      owner = await Owners.fromHeader(deps, c.req.header("authorization"))
      if (!owner) throw Owners.unauthorized()
      share = await Shares.live(deps, id)
      if (share.ownerID !== owner.id) throw forbidden()
    }
    const result = await Takedown.apply(deps, share, body)
    const by = owner?.id ?? share.ownerID
    await Audit.record(deps, { action: "redacted", shareID: share.id, actor: by ? { kind: "owner", id: by } : { kind: "client" }, detail: { items: result.items, replaced: result.replaced } })
    return c.json(result)
  })

  // Retention: the share's secret, or its owner's token as a bearer, sets its expiry (never past
  // SHARE_MAX_TTL after creation; null asks for none where there is no maximum).
  app.post("/:id/expiry", async (c) => {
    const id = Shares.checkId(c.req.param("id"))
    const body = await Body.json(c, ExpiryRequest)
    let share
    let actor: Audit.Actor
    if (body.secret !== undefined) {
      share = await Shares.authorized(deps, id, body.secret)
      actor = share.ownerID ? { kind: "owner", id: share.ownerID } : { kind: "client" }
    } else {
      const owner = await Owners.fromHeader(deps, c.req.header("authorization"))
      if (!owner) throw Owners.unauthorized()
      share = await Shares.live(deps, id)
      if (share.ownerID !== owner.id) throw forbidden()
      actor = { kind: "owner", id: owner.id }
    }
    return c.json({ id: share.id, expiresAt: await Retention.set(deps, share, body.expiresIn, actor) })
  })

  app.get("/:id", async (c) => {
    const share = await Shares.live(deps, c.req.param("id"))
    // `redactions`: secrets redacted on upload in what this share shows (its group's source).
    const source = await Shares.source(deps, share)
    return c.json({ id: share.id, url: `${deps.origin()}/share/${share.id}`, createdAt: share.createdAt, updatedAt: share.updatedAt, expiresAt: share.expiresAt, items: share.itemCount, redactions: source.redactions })
  })

  return app
}
