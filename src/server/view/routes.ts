/**
 * Public share pages: /share/:id (HTML, or Markdown when asked for it), /share/:id.md,
 * /share/:id.json and /share/:id/fragment (server-rendered turns for the live script), plus
 * the short /s/:id. Unknown shares are 404 and removed ones 410, each with a human page.
 */
import { Hono, type Context } from "hono"
import { stripModel } from "../../schema/index.ts"
import { compress } from "hono/compress"
import * as Page from "../../viewer/page.ts"
import type { AppEnv, Deps } from "../context.ts"
import * as Analytics from "../governance/analytics.ts"
import { ApiError, gone } from "../errors.ts"
import { pageHeaders, wantsMarkdown } from "../http/headers.ts"
import { ask, find } from "./transcripts.ts"
import * as PageInput from "../view/page-input.ts"

type Format = "html" | "md" | "json"

/** `/share/abc.md` names a format; share ids never contain a dot. */
function split(raw: string, accept: string | undefined): { id: string; format: Format } {
  if (raw.endsWith(".md")) return { id: raw.slice(0, -3), format: "md" }
  if (raw.endsWith(".json")) return { id: raw.slice(0, -5), format: "json" }
  return { id: raw, format: wantsMarkdown(accept) ? "md" : "html" }
}

function failure(c: Context, error: unknown, noindex: boolean, format: Format) {
  if (error instanceof ApiError && error.code === "render_unavailable") {
    c.header("cache-control", "no-store")
    c.header("retry-after", "1")
    if (format === "json") return c.json(error.body(), 503)
    if (format === "md")
      return c.text(`# Try again\n\n${error.message}.\n`, 503, { "content-type": "text/markdown; charset=utf-8" })
    return c.html(Page.status(503, { noindex }), 503)
  }
  if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 410 && error.status !== 400))
    throw error
  const code = error.status === 410 ? 410 : 404
  c.header("cache-control", "no-store")
  if (format === "json")
    return c.json(error.status === 400 ? new ApiError("not_found", "no such share").body() : error.body(), code)
  if (format === "md")
    return c.text(
      code === 410
        ? "# Share removed\n\nThis share was removed or has expired.\n"
        : "# Share not found\n\nThere is no share at this address.\n",
      code,
      { "content-type": "text/markdown; charset=utf-8" },
    )
  // A reason other than the owner's (an administrator's takedown, expiry) is said in words.
  const message =
    code === 410 && error.message !== gone().message
      ? `${error.message[0]?.toUpperCase()}${error.message.slice(1)}.`
      : undefined
  return c.html(Page.status(code, { noindex, message }), code)
}

export function pageRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()
  const noindex = deps.config.noindex
  const zip = compress()

  app.get("/s/:id", (c) => c.redirect(`/share/${encodeURIComponent(c.req.param("id"))}`, 301))

  app.get("/share/:id/fragment", zip, async (c) => {
    pageHeaders(c, noindex)
    try {
      const view = await find(deps, c.req.param("id"))
      const { output } = await ask(deps, view, "fragment", {
        ids: (c.req.queries("turn") ?? []).slice(0, 500),
        from: c.req.query("from"),
        to: c.req.query("to"),
        redactions: view.source.redactions,
        liveness: PageInput.liveness(deps, view.source),
        base: `/share/${encodeURIComponent(view.share.id)}`,
      })
      c.header("cache-control", "no-store")
      return c.html(output)
    } catch (error) {
      return failure(c, error, noindex, "html")
    }
  })

  app.on(["GET", "HEAD"], "/share/:id", zip, async (c) => {
    const { id, format } = split(c.req.param("id"), c.req.header("accept"))
    pageHeaders(c, noindex)
    c.header("vary", "accept")
    try {
      const view = await find(deps, id)
      // Page views (any format) count; assets, fragments and live events do not.
      if (c.req.method === "GET") await Analytics.count(deps, c, view.share.id)
      c.header("cache-control", "no-store")
      const base = `/share/${encodeURIComponent(view.share.id)}`
      c.header(
        "link",
        `<${base}.md>; rel="alternate"; type="text/markdown", <${base}.json>; rel="alternate"; type="application/json"`,
      )
      if (format === "json") {
        // The full data is the point of this format: its cost is the share's size.
        const rows = await deps.store.shares.items(view.source)
        const items = rows.map((r) => ({
          type: r.type,
          sessionID: r.sessionID,
          data: r.type === "model" && Array.isArray(r.data) ? r.data.map(stripModel) : r.data,
        }))
        return c.json({ id: view.share.id, sessionID: view.source.sessionID, seq: view.source.seq, items })
      }
      if (format === "md") {
        // Twins of a double create show one transcript under different links.
        const { output } = await ask(deps, view, "markdown", { url: `${deps.origin()}${base}` })
        return c.text(output, 200, { "content-type": "text/markdown; charset=utf-8" })
      }
      const { output } = await ask(deps, view, "page", {
        id: view.share.id,
        noindex,
        turns: c.req.query("turns"),
        at: c.req.query("at"),
        redactions: view.source.redactions,
        ...PageInput.extra(deps, c, view.source),
      })
      return c.html(output)
    } catch (error) {
      return failure(c, error, noindex, format)
    }
  })

  return app
}
