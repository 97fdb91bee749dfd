/**
 * The share page's neighbours, in one sub-app: the front door and favicon, the docs, link
 * previews (card, oEmbed) and the embed view. Mounted at `/` by app.ts.
 */
import { Hono } from "hono"
import type { AppEnv, Deps } from "../context.ts"
import { cardRoutes } from "./card.ts"
import { docsRoutes } from "./docs.ts"
import { embedRoutes } from "./embed.ts"
import { landingRoutes } from "./landing.ts"
import { oembedRoutes } from "./oembed.ts"

/** Share paths that need the view guard (src/server/auth), like the page itself. */
export const GUARDED = ["/share/:id/card.png", "/share/:id/embed"]

export function extraRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()
  app.route("/", landingRoutes(deps))
  app.route("/", docsRoutes())
  app.route("/", cardRoutes(deps))
  app.route("/", oembedRoutes(deps))
  app.route("/", embedRoutes(deps))
  return app
}
