/** The share API that OpenCode's ShareNext client speaks (`enterprise.url`). */
import { Hono } from "hono"
import { CreateRequest, KNOWN_TYPES, RemoveRequest, SyncRequest } from "../../schema/index.ts"
import * as Body from "../body.ts"
import type { AppEnv, Deps } from "../context.ts"
import * as Shares from "../shares.ts"

export function shareRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()

  app.post("/", async (c) => {
    const body = await Body.json(c, CreateRequest)
    return c.json(await Shares.create(deps, body.sessionID), 201)
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

  app.get("/:id", async (c) => {
    const share = await Shares.live(deps, c.req.param("id"))
    return c.json({ id: share.id, url: `${deps.origin()}/share/${share.id}`, createdAt: share.createdAt, updatedAt: share.updatedAt, items: share.itemCount })
  })

  return app
}
