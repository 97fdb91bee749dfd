/**
 * The older Share module protocol (seed document "Share Module"): one key per sync request,
 * shares found by session id and secret. Mapped onto the same storage as ShareNext.
 */
import { Hono } from "hono"
import {
  LegacyCreateRequest,
  LegacyRemoveRequest,
  LegacySyncRequest,
  isRecord,
  type SyncItem,
} from "../../schema/index.ts"
import * as Body from "../http/body.ts"
import type { AppEnv, Deps } from "../context.ts"
import { badRequest, forbidden, gone, notFound } from "../errors.ts"
import * as Creation from "../governance/creation.ts"
import * as RateLimit from "../governance/ratelimit.ts"
import * as Actors from "../http/actor.ts"
import * as Secret from "../secret.ts"
import * as Share from "./index.ts"

/** `session/info/<sid>`, `session/message/<sid>/<mid>`, `session/part/<sid>/<mid>/<pid>`. */
export function legacyItem(key: string, content: unknown): SyncItem {
  const [root, kind, ...ids] = key.split("/")
  const fill = (fields: Record<string, string>) => (isRecord(content) ? { ...fields, ...content } : content)
  if (root === "session" && kind === "info" && ids.length === 1) return { type: "session", data: fill({ id: ids[0] }) }
  if (root === "session" && kind === "message" && ids.length === 2)
    return { type: "message", data: fill({ sessionID: ids[0], id: ids[1] }) }
  if (root === "session" && kind === "part" && ids.length === 3)
    return { type: "part", data: fill({ sessionID: ids[0], messageID: ids[1], id: ids[2] }) }
  throw badRequest(
    "invalid_key",
    "key must be session/info/<sessionID>, session/message/<sessionID>/<messageID> or session/part/<sessionID>/<messageID>/<partID>",
  )
}

async function bySecret(deps: Deps, sessionID: string, secret: string) {
  const shares = await deps.store.shares.bySession(sessionID)
  if (shares.length === 0) throw notFound()
  // Check every candidate so the time taken does not say which one matched.
  const matches = shares.filter((s) => Secret.verify(secret, s.secretHash))
  if (matches.length === 0) throw forbidden()
  return Share.Expiry.check(deps, matches[0] as (typeof matches)[number])
}

export function legacyRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()
  const lenient = { strictType: false }

  app.post("/share_create", RateLimit.byAddress(deps, "create"), async (c) => {
    const ip = c.get("ip")
    await Creation.check(deps, ip)
    const body = await Body.json(c, LegacyCreateRequest, lenient)
    const { url, secret } = await Share.create(deps, body.sessionID, {
      by: { ip, userAgent: c.req.header("user-agent") },
    })
    return c.json({ url, secret })
  })

  app.post("/share_sync", RateLimit.byAddress(deps, "sync"), async (c) => {
    const body = await Body.json(c, LegacySyncRequest, lenient)
    const item = legacyItem(body.key, body.content)
    const share = await bySecret(deps, body.sessionID, body.secret)
    if (share.ownerID) RateLimit.take(deps, c, "sync", [`owner:${share.ownerID}`])
    return c.json(await Share.sync(deps, share, [item], Actors.bySecret(share, c.get("ip"))))
  })

  app.post("/share_delete", async (c) => {
    const body = await Body.json(c, LegacyRemoveRequest, lenient)
    const share = await bySecret(deps, body.sessionID, body.secret)
    if (!(await Share.remove(deps, share, "unshared", Actors.bySecret(share, c.get("ip"))))) throw gone()
    return c.json({ ok: true })
  })

  return app
}
