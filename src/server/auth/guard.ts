/**
 * The view-access guard, the same rule on every way to read a share: the page, .md, .json,
 * live events, fragments and the data `opencode import` reads. An `sso` share (or any share
 * under VIEW_ACCESS=sso) is shown only to a logged-in viewer who passes the domain and group
 * checks. Anonymous: 302 to the login for a page, 401 JSON elsewhere. Outside the allowed set:
 * 403, a page for a page, JSON elsewhere. Writing (create, sync, delete) is never guarded here:
 * stock OpenCode clients prove those with the share's secret.
 */
import type { Context, MiddlewareHandler } from "hono"
import { ID_PATTERN } from "../../schema/index.ts"
import type { AppEnv, Deps } from "../context.ts"
import { loginRequired, notAllowed } from "../errors.ts"
import { pageHeaders, wantsMarkdown } from "../http/headers.ts"
import * as Pages from "./pages.ts"
import * as Policy from "./policy.ts"
import * as Session from "./session.ts"
import * as Share from "../share/index.ts"

export { loginRequired, notAllowed }

/** `html`: a browser page (redirected to log in); `api`: anything read by a program. */
export type Kind = "html" | "api"

/** The guard for a route whose share id is the `id` parameter (with any .md/.json suffix). */
export function guard(deps: Deps, kind: (c: Context) => Kind): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const oidc = deps.config.auth.oidc
    // No provider: no share can be `sso` (the access route refuses it), so nothing to check.
    if (!oidc) return next()
    const viewer = await Session.read(c, deps)
    const verdict = viewer ? Policy.check(oidc, viewer) : undefined
    if (verdict?.ok) return next()
    if (deps.config.auth.viewAccess !== "sso") {
      const id = (c.req.param("id") ?? "").replace(/\.(md|json)$/, "")
      // The route itself answers 400/404/410 for a bad, unknown or removed share.
      if (!ID_PATTERN.test(id)) return next()
      const found = await deps.store.shares.find(id)
      if (found.state !== "live") return next()
      // An empty twin shows its source's content: the stricter setting of the two applies.
      const source = await Share.source(deps, found.share)
      if (Policy.effective(deps.config.auth, Share.access(found.share, source)) === "public") return next()
    }
    c.header("cache-control", "no-store")
    const k = kind(c)
    if (!viewer || !verdict || verdict.ok) {
      if (k === "api") throw loginRequired()
      return c.redirect(`/auth/login?return=${encodeURIComponent(c.req.path + query(c))}`, 302)
    }
    if (k === "api") throw notAllowed(verdict.reason)
    // The page's one form logs out (to log in with another account).
    pageHeaders(c, deps.config.noindex, "'self'")
    return c.html(Pages.denied({ reason: verdict.reason, email: viewer.email, csrf: Session.csrf(deps, viewer) }), 403)
  }
}

const query = (c: Context) => {
  const q = new URL(c.req.url).search
  return q.length > 1 ? q : ""
}

/** The share page is HTML unless it names .md/.json or the client prefers Markdown. */
export const pageKind = (c: Context): Kind => {
  const id = c.req.param("id") ?? ""
  return id.endsWith(".md") || id.endsWith(".json") || wantsMarkdown(c.req.header("accept")) ? "api" : "html"
}

export const apiKind = (): Kind => "api"
