/**
 * The share API that OpenCode's ShareNext client speaks (`enterprise.url`), under /api/share and
 * /api/shares, with agentshare's extensions (redact, expiry, access). Every write acts on the share
 * its URL names, and every owner action asks the one Actor rule (http/actor.ts).
 */
import { Hono, type Context } from "hono"
import {
  AccessRequest,
  CreateRequest,
  ExpiryRequest,
  KNOWN_TYPES,
  RemoveRequest,
  SyncRequest,
  TakedownRequest,
  type AccessResponse,
  type CreateResponse,
  type DataResponse,
  type ExpiryResponse,
  type ShareInfo,
} from "../../schema/index.ts"
import * as Policy from "../auth/policy.ts"
import type { AppEnv, Deps } from "../context.ts"
import { gone, ssoUnavailable } from "../errors.ts"
import * as Audit from "../governance/audit.ts"
import * as Creation from "../governance/creation.ts"
import * as RateLimit from "../governance/ratelimit.ts"
import * as Actors from "../http/actor.ts"
import * as Body from "../http/body.ts"
import * as Share from "./index.ts"
import * as Takedown from "./takedown.ts"
import * as Log from "../log.ts"

/** Who is asking to change `share`: its secret from the body, or the owner's bearer token. */
const actorOn = (deps: Deps, c: Context<AppEnv>, share: Share.View["share"], secret: string | undefined) =>
  Actors.onShare(deps, share, { secret, authorization: c.req.header("authorization"), ip: c.get("ip") })

export function shareRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()

  // Abuse limits by address come before the body is read or the database asked.
  app.post("/", RateLimit.byAddress(deps, "create"), async (c) => {
    const ip = c.get("ip")
    // Creation policy (docs/ENTERPRISE.md).
    await Creation.check(deps, ip)
    const body = await Body.json(c, CreateRequest)
    // Stock clients send no token; a console-org client sends its console token with x-org-id,
    // which is not ours to check. Any other bearer must be a valid owner token.
    const owner = c.req.header("x-org-id") ? undefined : await Actors.owner(deps, c.req.header("authorization"))
    if (owner) RateLimit.take(deps, c, "create", [`owner:${owner.id}`])
    if (body.access === "sso" && !deps.config.auth.oidc) throw ssoUnavailable()
    const by = { ip, userAgent: c.req.header("user-agent") }
    const created = await Share.create(deps, body.sessionID, {
      by,
      ownerID: owner?.id ?? null,
      expiresIn: body.expiresIn,
      access: body.access,
    })
    return c.json(created satisfies CreateResponse, 201)
  })

  app.post("/:id/sync", RateLimit.byAddress(deps, "sync"), async (c) => {
    const id = Share.checkId(c.req.param("id"))
    const body = await Body.json(c, SyncRequest)
    const share = await Share.authorized(deps, id, body.secret)
    if (share.ownerID) RateLimit.take(deps, c, "sync", [`owner:${share.ownerID}`])
    return c.json(await Share.sync(deps, share, body.data, Actors.bySecret(share, c.get("ip"))))
  })

  app.delete("/:id", async (c) => {
    const id = Share.checkId(c.req.param("id"))
    const body = await Body.json(c, RemoveRequest)
    const share = await Share.live(deps, id)
    const actor = await actorOn(deps, c, share, body.secret)
    if (!(await Share.remove(deps, share, "unshared", actor))) throw gone()
    return c.json({ ok: true })
  })

  // What `opencode import` reads: a JSON array of the root session's items of the five known
  // types, in the order the stock server sends them.
  app.get("/:id/data", async (c) => {
    const view = await Share.read(deps, c.req.param("id"))
    const known = new Set<string>(KNOWN_TYPES)
    const items = view.items
      .filter((i) => i.sessionID === view.source.sessionID && known.has(i.type))
      .map((i) => ({ type: i.type, data: i.data }))
    return c.json(items satisfies DataResponse)
  })

  // Owner takedown of what slipped through redaction (docs/SECURITY.md).
  app.post("/:id/redact", async (c) => {
    const id = Share.checkId(c.req.param("id"))
    const body = await Body.json(c, TakedownRequest)
    const share = await Share.live(deps, id)
    const actor = await actorOn(deps, c, share, body.secret)
    const result = await Takedown.apply(deps, share, body)
    await Audit.record(deps, {
      action: "redacted",
      shareID: share.id,
      actor,
      detail: { items: result.items, replaced: result.replaced },
    })
    return c.json(result)
  })

  // Retention: sets the share's expiry (never past SHARE_MAX_TTL after creation; null asks for
  // none where there is no maximum).
  app.post("/:id/expiry", async (c) => {
    const id = Share.checkId(c.req.param("id"))
    const body = await Body.json(c, ExpiryRequest)
    const share = await Share.live(deps, id)
    const actor = await actorOn(deps, c, share, body.secret)
    return c.json({
      id: share.id,
      expiresAt: await Share.Expiry.set(deps, share, body.expiresIn, actor),
    } satisfies ExpiryResponse)
  })

  // The owner makes a share `sso` (or `public` again).
  app.post("/:id/access", async (c) => {
    const id = Share.checkId(c.req.param("id"))
    const body = await Body.json(c, AccessRequest)
    const share = await Share.live(deps, id)
    const actor = await actorOn(deps, c, share, body.secret)
    if (body.access === "sso" && !deps.config.auth.oidc) throw ssoUnavailable()
    if (!(await deps.store.shares.setAccess(share.id, body.access))) throw gone()
    await Audit.record(deps, {
      action: "policy_changed",
      shareID: share.id,
      actor,
      detail: { setting: "access", value: body.access },
    })
    Log.ofRequest(deps.log, c.get("requestId")).info({ shareID: share.id, access: body.access }, "share access set")
    return c.json({
      id: share.id,
      access: body.access,
      effective: Policy.effective(deps.config.auth, body.access),
    } satisfies AccessResponse)
  })

  app.get("/:id", async (c) => {
    const share = await Share.live(deps, c.req.param("id"))
    // `redactions`: secrets redacted on upload in what this share shows (its twin's, when empty).
    const source = await Share.source(deps, share)
    return c.json({
      id: share.id,
      url: `${deps.origin()}/share/${share.id}`,
      createdAt: share.createdAt,
      updatedAt: share.updatedAt,
      expiresAt: share.expiresAt,
      items: share.itemCount,
      redactions: source.redactions,
    } satisfies ShareInfo)
  })

  return app
}
