/** Public share pages at /share/:id (and the short /s/:id), with honest status codes. */
import { randomBytes } from "node:crypto"
import { Hono, type Context } from "hono"
import * as Page from "../../viewer/page.ts"
import type { AppEnv, Deps } from "../context.ts"
import { ApiError } from "../errors.ts"
import * as Shares from "../shares.ts"

/** Headers every HTML page gets: nothing but our own nonce'd style runs or loads. */
export function pageHeaders(c: Context, nonce: string, noindex: boolean) {
  c.header("content-security-policy", `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`)
  c.header("x-content-type-options", "nosniff")
  c.header("referrer-policy", "no-referrer")
  c.header("x-frame-options", "DENY")
  if (noindex) c.header("x-robots-tag", "noindex, nofollow")
}

export function pageRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()

  app.get("/s/:id", (c) => c.redirect(`/share/${encodeURIComponent(c.req.param("id"))}`, 301))

  app.get("/share/:id", async (c) => {
    const nonce = randomBytes(16).toString("base64")
    const noindex = deps.config.noindex
    pageHeaders(c, nonce, noindex)
    try {
      const view = await Shares.read(deps, c.req.param("id"))
      c.header("cache-control", "no-store")
      return c.html(Page.share({ id: view.share.id, rootSessionID: view.source.sessionID, items: view.items, noindex, nonce }))
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 410 || error.status === 400)) {
        const code = error.status === 410 ? 410 : 404
        return c.html(Page.status(code, { noindex, nonce }), code)
      }
      throw error
    }
  })

  return app
}
