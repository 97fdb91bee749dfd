/** `POST /api/share/:id/access`: the owner makes a share `sso` (or `public` again). */
import { Hono } from "hono"
import { AccessRequest } from "../../schema/index.ts"
import * as Audit from "../governance/audit.ts"
import * as Policy from "../auth/policy.ts"
import * as Body from "../http/body.ts"
import type { AppEnv, Deps } from "../context.ts"
import { forbidden, gone, ssoUnavailable } from "../errors.ts"
import * as Owners from "../owner/owners.ts"
import * as Shares from "./share.ts"

export function accessRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()

  // The share's secret proves it, as for sync; or the owner's token as a bearer, as for redact.
  app.post("/:id/access", async (c) => {
    const id = Shares.checkId(c.req.param("id"))
    const body = await Body.json(c, AccessRequest)
    let share
    const owned = body.secret === undefined
    if (body.secret !== undefined) share = await Shares.authorized(deps, id, body.secret)
    else {
      const owner = await Owners.fromHeader(deps, c.req.header("authorization"))
      if (!owner) throw Owners.unauthorized()
      share = await Shares.live(deps, id)
      if (share.ownerID !== owner.id) throw forbidden()
    }
    if (body.access === "sso" && !deps.config.auth.oidc) throw ssoUnavailable()
    if (!(await deps.store.shares.setAccess(share.id, body.access))) throw gone()
    await Audit.record(deps, { action: "policy_changed", shareID: share.id, actor: owned ? { kind: "owner", id: share.ownerID } : { kind: "client" }, detail: { setting: "access", value: body.access } })
    c.get("log").info({ shareID: share.id, access: body.access }, "share access set")
    return c.json({ id: share.id, access: body.access, effective: Policy.effective(deps.config.auth, body.access) })
  })

  return app
}
