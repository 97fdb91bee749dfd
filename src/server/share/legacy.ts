/**
 * The older Share module protocol (seed document "Share Module"): one key per sync request,
 * shares found by session id and secret. Mapped onto the same storage as ShareNext.
 */
import { Hono } from "hono"
import { LegacyCreateRequest, LegacyRemoveRequest, LegacySyncRequest, isRecord, type SyncItem } from "../../schema/index.ts"
import * as Body from "../http/body.ts"
import type { AppEnv, Deps } from "../context.ts"
import { badRequest, forbidden, gone, notFound } from "../errors.ts"
import * as Audit from "../governance/audit.ts"
import * as Policy from "../governance/creation.ts"
import * as RateLimit from "../governance/ratelimit.ts"
import * as Retention from "../governance/retention.ts"
import * as Secret from "../secret.ts"
import * as Shares from "./share.ts"

/** `session/info/<sid>`, `session/message/<sid>/<mid>`, `session/part/<sid>/<mid>/<pid>`. */
export function legacyItem(key: string, content: unknown): SyncItem {
  const [root, kind, ...ids] = key.split("/")
  const fill = (fields: Record<string, string>) => (isRecord(content) ? { ...fields, ...content } : content)
  if (root === "session" && kind === "info" && ids.length === 1) return { type: "session", data: fill({ id: ids[0] }) }
  if (root === "session" && kind === "message" && ids.length === 2) return { type: "message", data: fill({ sessionID: ids[0], id: ids[1] }) }
  if (root === "session" && kind === "part" && ids.length === 3) return { type: "part", data: fill({ sessionID: ids[0], messageID: ids[1], id: ids[2] }) }
  throw badRequest("invalid_key", "key must be session/info/<sessionID>, session/message/<sessionID>/<messageID> or session/part/<sessionID>/<messageID>/<partID>")
}

async function bySecret(deps: Deps, sessionID: string, secret: string) {
  const shares = await deps.store.shares.bySession(sessionID)
  if (shares.length === 0) throw notFound()
  // Check every candidate so the time taken does not say which one matched.
  const matches = shares.filter((s) => Secret.verify(secret, s.secretHash))
  if (matches.length === 0) throw forbidden()
  return Retention.check(deps, matches[0])
}

export function legacyRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()
  const lenient = { strictType: false }

  app.post("/share_create", async (c) => {
    const body = await Body.json(c, LegacyCreateRequest, lenient)
    const ip = Audit.currentIp()
    await Policy.check(deps, ip)
    RateLimit.take(deps, c, "create", [ip && `ip:${ip}`])
    const { url, secret } = await Shares.create(deps, body.sessionID, { by: { ip, userAgent: c.req.header("user-agent") } })
    return c.json({ url, secret })
  })

  app.post("/share_sync", async (c) => {
    const body = await Body.json(c, LegacySyncRequest, lenient)
    const item = legacyItem(body.key, body.content)
    const share = await bySecret(deps, body.sessionID, body.secret)
    const ip = Audit.currentIp()
    RateLimit.take(deps, c, "sync", [ip && `ip:${ip}`, share.ownerID ? `owner:${share.ownerID}` : undefined])
    return c.json(await Shares.sync(deps, share, [item]))
  })

  app.post("/share_delete", async (c) => {
    const body = await Body.json(c, LegacyRemoveRequest, lenient)
    const share = await bySecret(deps, body.sessionID, body.secret)
    if (!(await Shares.remove(deps, share, "unshared", Shares.actorOf(share.ownerID)))) throw gone()
    return c.json({ ok: true })
  })

  return app
}
