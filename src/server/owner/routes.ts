/** The owner API: issue a token, list the owner's shares, delete them without their secrets. */
import { Hono } from "hono"
import { ClaimRequest, OwnerRemoveRequest } from "../../schema/index.ts"
import * as Body from "../http/body.ts"
import * as Analytics from "../governance/analytics.ts"
import type { AppEnv, Deps } from "../context.ts"
import { notFound } from "../errors.ts"
import * as Actors from "../http/actor.ts"
import * as Owners from "./owners.ts"
import * as Share from "../share/index.ts"

export function ownerRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()
  const owner = async (header: string | undefined) =>
    (await Actors.owner(deps, header)) ?? Promise.reject(Owners.unauthorized())

  app.post("/", async (c) => c.json(await Owners.issue(deps), 201))

  app.get("/shares", async (c) => {
    const who = await owner(c.req.header("authorization"))
    return c.json({ shares: await Owners.list(deps, who) })
  })

  app.delete("/shares", async (c) => {
    const who = await owner(c.req.header("authorization"))
    const body = await Body.json(c, OwnerRemoveRequest)
    return c.json({ removed: await Owners.remove(deps, who, "ids" in body ? body.ids : undefined, c.get("ip")) })
  })

  app.delete("/shares/:id", async (c) => {
    const who = await owner(c.req.header("authorization"))
    const id = Share.checkId(c.req.param("id"))
    const removed = await Owners.remove(deps, who, [id], c.get("ip"))
    if (removed.length === 0) throw notFound()
    return c.json({ removed })
  })

  // Analytics (docs/ENTERPRISE.md): views of one of the owner's shares per UTC day, newest first.
  app.get("/shares/:id/views", async (c) => {
    const who = await owner(c.req.header("authorization"))
    const share = await Share.live(deps, c.req.param("id"))
    if (share.ownerID !== who.id) throw notFound()
    return c.json({ id: share.id, days: await Analytics.days(deps, share.id, 90) })
  })

  app.post("/shares/:id/claim", async (c) => {
    const who = await owner(c.req.header("authorization"))
    const id = Share.checkId(c.req.param("id"))
    const body = await Body.json(c, ClaimRequest)
    await Owners.claim(deps, who, id, body.secret)
    return c.json({ ok: true as const })
  })

  return app
}
