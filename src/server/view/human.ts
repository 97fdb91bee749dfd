/**
 * Human error pages wherever a person can land: a browser (one that asks for HTML) that meets
 * a 404 or 410 anywhere outside the JSON API gets a page with the reason and a way home;
 * programs keep the JSON error body.
 */
import type { Context } from "hono"
import * as Page from "../../viewer/page.ts"
import type { Deps } from "../context.ts"
import type { ApiError } from "../errors.ts"
import { pageHeaders } from "../http/headers.ts"

const wantsHtml = (c: Context) =>
  !c.req.path.startsWith("/api/") && /\btext\/html\b/i.test(c.req.header("accept") ?? "")

const sentence = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? "" : "."}`

/** The page for an unknown route, or undefined when the client is a program. */
export function notFound(c: Context, deps: Deps): Response | undefined {
  if (!wantsHtml(c)) return undefined
  pageHeaders(c, deps.config.noindex)
  return c.html(
    Page.status(404, {
      noindex: deps.config.noindex,
      title: "Page not found",
      message: "There is nothing at this address. Check the link you were given.",
    }),
    404,
  )
}

/** The page for a 404 or 410 a route threw, or undefined. */
export function error(c: Context, deps: Deps, e: ApiError): Response | undefined {
  if ((e.status !== 404 && e.status !== 410) || !wantsHtml(c)) return undefined
  pageHeaders(c, deps.config.noindex)
  const status = e.status
  const title = status === 410 ? "Gone" : "Not found"
  return c.html(Page.status(status, { noindex: deps.config.noindex, title, message: sentence(e.message) }), status)
}
