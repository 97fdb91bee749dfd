/** The viewer's stylesheet and script: content-hashed names, cached for a year. */
import { Hono } from "hono"
import * as Assets from "../../viewer/assets.ts"
import type { AppEnv } from "../context.ts"

export function assetRoutes() {
  const app = new Hono<AppEnv>()
  app.get("/assets/:name", (c) => {
    const asset = Assets.all.get(c.req.param("name"))
    if (!asset) return c.text("not found", 404)
    c.header("content-type", asset.type)
    c.header("cache-control", "public, max-age=31536000, immutable")
    c.header("x-content-type-options", "nosniff")
    return c.body(asset.body)
  })
  return app
}
