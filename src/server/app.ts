/** The Hono application: middleware, routes and the one error handler. */
import { ServerResponse } from "node:http"
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response"
import { type Context, Hono } from "hono"
import { requestId } from "hono/request-id"
import { routePath } from "hono/route"
import type { AppEnv, Deps } from "./context.ts"
import * as Address from "./http/address.ts"
import * as Body from "./http/body.ts"
import { ApiError, notFound, unauthorized } from "./errors.ts"
import * as Secret from "./secret.ts"
import { Guard } from "./auth/index.ts"
import { adminApiRoutes, adminPageRoutes } from "./admin/routes.ts"
import { assetRoutes } from "./view/assets.ts"
import { authRoutes } from "./auth/routes.ts"
import { legacyRoutes } from "./share/legacy.ts"
import { ownerRoutes } from "./owner/routes.ts"
import { liveRoutes } from "./view/events.ts"
import { pageRoutes } from "./view/routes.ts"
import { shareRoutes } from "./share/routes.ts"
import { extraRoutes, GUARDED } from "./view/extras.ts"
import * as Human from "./view/human.ts"
import * as Log from "./log.ts"

export function create(deps: Deps) {
  const app = new Hono<AppEnv>()
  const metrics = deps.metrics

  app.use(requestId({ headerName: "x-request-id" }))
  app.use(async (c, next) => {
    const start = performance.now()
    await next()
    const ms = performance.now() - start
    // Paths hold share ids, never secrets (those travel in bodies): safe to log.
    if (deps.log.isLevelEnabled("info"))
      deps.log.info(
        {
          reqId: c.get("requestId"),
          method: c.req.method,
          path: c.req.path,
          status: answered(c) ?? c.res.status,
          ms: Math.round(ms * 10) / 10,
        },
        "request",
      )
    // The matched route pattern, not the path: one series per route, whatever the ids.
    metrics.request(c.req.method, routeLabel(routePath(c, -1)), answered(c) ?? c.res.status, ms / 1000)
  })

  const limit = Body.limit(deps.config.bodyLimit)
  app.use("/api/*", limit)
  app.use("/share_*", limit)
  app.use("/admin/*", limit)
  // The client address (TRUSTED_PROXIES applied) for audit entries, policy and rate limits.
  app.use(Address.middleware(deps.networks.trusted))

  // Liveness: the process answers. Readiness: the database answers and its schema is in place
  // (migrations run before the server listens, so a query on the share table proves both).
  app.get("/healthz", (c) => c.json({ ok: true }))
  app.get("/readyz", async (c) => {
    if (deps.closing.aborted) return c.json({ ok: false, reason: "shutting down" }, 503)
    try {
      await deps.store.shares.find("s_readyz")
      return c.json({ ok: true })
    } catch (error) {
      deps.log.warn({ err: (error as Error).message }, "readiness check failed")
      return c.json({ ok: false, reason: "database unavailable" }, 503)
    }
  })
  // Metrics are not for the public: only with METRICS_TOKEN as a bearer here, or on METRICS_PORT.
  app.get("/metrics", async (c) => {
    const token = deps.config.metrics.token
    if (token === undefined) throw notFound("metrics on this port (set METRICS_TOKEN, or read them on METRICS_PORT)")
    const sent = /^Bearer\s+(\S{1,512})\s*$/i.exec(c.req.header("authorization") ?? "")?.[1] ?? ""
    if (!Secret.same(sent, token)) {
      c.header("www-authenticate", 'Bearer realm="metrics"')
      throw unauthorized("metrics")
    }
    return c.text(await metrics.registry.metrics(), 200, { "content-type": metrics.registry.contentType })
  })

  // Who may view a share (src/server/auth): one rule on every route that reads one. Registered
  // before the routes, so it runs first.
  const viewPage = Guard.guard(deps, Guard.pageKind)
  const viewApi = Guard.guard(deps, Guard.apiKind)
  app.use("/share/:id", viewPage)
  for (const path of ["/share/:id/events", "/share/:id/fragment", "/api/share/:id/data", "/api/shares/:id/data"])
    app.use(path, viewApi)
  for (const path of GUARDED) app.use(path, viewApi)
  app.route("/auth", authRoutes(deps))

  app.route("/api/owner", ownerRoutes(deps))
  // The admin area (docs/ENTERPRISE.md): 404 unless ADMIN_TOKEN is set.
  app.route("/api/admin", adminApiRoutes(deps))
  app.route("/admin", adminPageRoutes(deps))
  const shares = shareRoutes(deps)
  app.route("/api/share", shares)
  // OpenCode clients logged into a console org use the plural paths.
  app.route("/api/shares", shares)
  app.route("/", legacyRoutes(deps))
  app.route("/", assetRoutes())
  app.route("/", liveRoutes(deps))
  app.route("/", pageRoutes(deps))
  app.route("/", extraRoutes(deps))

  app.notFound(
    (c) =>
      Human.notFound(c, deps) ??
      c.json(new ApiError("not_found", `no route for ${c.req.method} ${c.req.path}`).body(), 404),
  )

  app.onError((error, c) => {
    // Node answered already (the body deadline's 408, http/node.ts), and the handler only failed
    // because the request was cut: nothing more may be written.
    if (answered(c) !== undefined) return RESPONSE_ALREADY_SENT
    if (error instanceof ApiError) return Human.error(c, deps, error) ?? c.json(error.body(), error.status)
    Log.ofRequest(deps.log, c.get("requestId")).error(
      { err: error, method: c.req.method, path: c.req.path },
      "unhandled error",
    )
    return c.json(new ApiError("internal", "internal error; the request id is in the x-request-id header").body(), 500)
  })

  return app
}

/**
 * The status Node already sent for this request, if it did before the app answered: a live
 * stream's 200 (view/events.ts), the body deadline's 408 (http/node.ts). Else the app's answer,
 * written after it returns, is the status.
 */
function answered(c: Context): number | undefined {
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing
  return outgoing instanceof ServerResponse && outgoing.headersSent ? outgoing.statusCode : undefined
}

const routeLabel = (route: string) => (!route || route === "/*" ? "unmatched" : route)
