/**
 * `GET /api/oembed?url=<share link>&format=json[&maxwidth=&maxheight=]` (oEmbed 1.0, found
 * from the share page's `<link rel="alternate" type="application/json+oembed">`): a `rich`
 * answer with an iframe of the embed view when the share may be framed (EMBED, the owner's
 * switch), else a `link` answer; both name the card as thumbnail. Only links of this server,
 * only public shares; anything else is 404, `format=xml` 501.
 */
import { Hono } from "hono"
import { ID_PATTERN, OEMBED_MAX, type OEmbed } from "../../schema/index.ts"
import { escape } from "../../viewer/escape.ts"
import * as Card from "../../viewer/card.ts"
import type { AppEnv, Deps } from "../context.ts"
import { ApiError, notFound } from "../errors.ts"
import { embeddable, publicShare } from "./access.ts"
import { ask } from "./transcripts.ts"

/** The share id of a link to this server (`/share/<id>` or `/s/<id>`, any query or anchor). */
export function shareOf(deps: Deps, raw: string | undefined): string | undefined {
  if (!raw || raw.length > 2048) return undefined
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    return undefined
  }
  if (u.origin !== new URL(deps.origin()).origin) return undefined
  const m = /^\/(?:share|s)\/([^/]+?)(?:\/embed)?\/?$/.exec(u.pathname)
  return m && ID_PATTERN.test(m[1]) ? m[1] : undefined
}

const size = (v: string | undefined, fallback: number, max: number) => {
  const n = Number(v)
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : Math.min(fallback, max)
}

export function oembedRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()
  app.get("/api/oembed", async (c) => {
    const format = c.req.query("format") ?? "json"
    if (format !== "json") throw new ApiError("format_not_implemented", "only format=json is served")
    const id = shareOf(deps, c.req.query("url"))
    if (!id) throw notFound("share at that url")
    const view = await publicShare(deps, id)
    const origin = deps.origin()
    const base = `${origin}/share/${encodeURIComponent(view.share.id)}`
    const { seq, output: title } = await ask(deps, view, "title", null)
    const width = size(c.req.query("maxwidth"), 720, OEMBED_MAX.width)
    const height = size(c.req.query("maxheight"), 560, OEMBED_MAX.height)
    const body: OEmbed = {
      version: "1.0",
      type: "link",
      title,
      provider_name: "agentshare",
      provider_url: `${origin}/`,
      thumbnail_url: `${base}/card.png?v=${seq}`,
      thumbnail_width: Card.WIDTH,
      thumbnail_height: Card.HEIGHT,
      cache_age: 300,
    }
    if (await embeddable(deps, view.share.id)) {
      Object.assign(body, {
        type: "rich",
        width,
        height,
        html: `<iframe src="${escape(`${base}/embed`)}" width="${width}" height="${height}" title="${escape(title)}" loading="lazy" style="border:1px solid #d1d9e0;border-radius:8px;max-width:100%" referrerpolicy="no-referrer" sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"></iframe>`,
      })
    }
    c.header("access-control-allow-origin", "*")
    c.header("cache-control", "public, max-age=300")
    return c.json(body)
  })
  return app
}
