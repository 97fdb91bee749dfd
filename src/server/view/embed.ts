/**
 * The embed view (`GET /share/:id/embed`): the conversation compact, for an iframe on another
 * site, served only when the share may be framed (EMBED=all, or EMBED=share and its owner
 * turned it on) and only for public shares; its CSP's frame-ancestors is EMBED_ORIGINS. The
 * owner turns it on or off with `POST /api/share/:id/embed {secret | bearer owner token, embed}`.
 */
import { Hono } from "hono"
import { EmbedRequest } from "../../schema/index.ts"
import type { AppEnv, Deps } from "../context.ts"
import { embedUnavailable, notFound } from "../errors.ts"
import * as Audit from "../governance/audit.ts"
import * as Actors from "../http/actor.ts"
import * as Body from "../http/body.ts"
import { CSP } from "../http/headers.ts"
import * as Share from "../share/index.ts"
import { embeddable, publicShare, setEmbed } from "./access.ts"
import { extra } from "./page-input.ts"
import { ask } from "./transcripts.ts"

/** The page's own CSP, with the sites allowed to frame it. */
export const embedCsp = (deps: Deps) =>
  CSP.replace("frame-ancestors 'none'", `frame-ancestors ${deps.config.viewer.embedOrigins.join(" ")}`)

export function embedRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()

  app.get("/share/:id/embed", async (c) => {
    const view = await publicShare(deps, c.req.param("id"))
    if (!(await embeddable(deps, view.share.id))) throw notFound("embed of this share (its owner has not allowed it)")
    c.header("content-security-policy", embedCsp(deps))
    c.header("x-content-type-options", "nosniff")
    c.header("referrer-policy", "no-referrer")
    c.header("cache-control", "no-store")
    if (deps.config.noindex) c.header("x-robots-tag", "noindex, nofollow")
    const input = extra(deps, c, view.source)
    const { output } = await ask(deps, view, "embed", {
      id: view.share.id,
      noindex: deps.config.noindex,
      redactions: view.source.redactions,
      liveness: input.liveness,
      origin: input.origin,
    })
    return c.html(output)
  })

  // The one Actor rule: the share's secret, or the owner's token as a bearer.
  app.post("/api/share/:id/embed", async (c) => {
    const id = Share.checkId(c.req.param("id"))
    const body = await Body.json(c, EmbedRequest)
    const share = await Share.live(deps, id)
    const actor = await Actors.onShare(deps, share, {
      secret: body.secret,
      authorization: c.req.header("authorization"),
      ip: c.get("ip"),
    })
    if (body.embed && deps.config.viewer.embed === "off") throw embedUnavailable()
    await setEmbed(deps, share.id, body.embed)
    await Audit.record(deps, {
      action: "policy_changed",
      shareID: share.id,
      actor,
      detail: { setting: "embed", value: body.embed ? "on" : "off" },
    })
    return c.json({
      id: share.id,
      embed: body.embed,
      embeddable: await embeddable(deps, share.id),
      url: `${deps.origin()}/share/${share.id}/embed`,
    })
  })

  return app
}
