/** The share API that OpenCode's ShareNext client speaks (`enterprise.url`). */
import { Hono } from "hono"
import { CreateRequest, KNOWN_TYPES, RemoveRequest, SyncRequest, TakedownRequest } from "../../schema/index.ts"
import * as Body from "../body.ts"
import type { AppEnv, Deps } from "../context.ts"
import * as Owners from "../owners.ts"
import { forbidden } from "../errors.ts"
import * as Shares from "../shares.ts"
import * as Takedown from "../takedown.ts"

export function shareRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()

  app.post("/", async (c) => {
    const body = await Body.json(c, CreateRequest)
    // Stock clients send no token; a console-org client sends its console token with x-org-id,
    // which is not ours to check. Any other bearer must be a valid owner token.
    const owner = c.req.header("x-org-id") ? undefined : await Owners.fromHeader(deps, c.req.header("authorization"))
    return c.json(await Shares.create(deps, body.sessionID, owner?.id ?? null), 201)
  })

  app.post("/:id/sync", async (c) => {
    const id = Shares.checkId(c.req.param("id"))
    const body = await Body.json(c, SyncRequest)
    const share = await Shares.authorized(deps, id, body.secret)
    return c.json(await Shares.sync(deps, share, body.data))
  })

  app.delete("/:id", async (c) => {
    const id = Shares.checkId(c.req.param("id"))
    const body = await Body.json(c, RemoveRequest)
    const share = await Shares.authorized(deps, id, body.secret)
    await Shares.remove(deps, share)
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
    if (body.secret !== undefined) share = await Shares.authorized(deps, id, body.secret)
    else {
      const owner = await Owners.fromHeader(deps, c.req.header("authorization"))
      if (!owner) throw Owners.unauthorized()
      share = await Shares.live(deps, id)
      if (share.ownerID !== owner.id) throw forbidden()
    }
    return c.json(await Takedown.apply(deps, share, body))
  })

  app.get("/:id", async (c) => {
    const share = await Shares.live(deps, c.req.param("id"))
    // `redactions`: secrets redacted on upload in what this share shows (its group's source).
    const source = await Shares.source(deps, share)
    return c.json({ id: share.id, url: `${deps.origin()}/share/${share.id}`, createdAt: share.createdAt, updatedAt: share.updatedAt, items: share.itemCount, redactions: source.redactions })
  })

  return app
}
