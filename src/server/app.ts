/** The Hono application: middleware, routes and the one error handler. */
import { Hono } from "hono"
import { bodyLimit } from "hono/body-limit"
import { requestId } from "hono/request-id"
import { routePath } from "hono/route"
import type { AppEnv, Deps } from "./context.ts"
import { ApiError, tooLarge } from "./errors.ts"
import * as Metrics from "./metrics.ts"
import { assetRoutes } from "./routes/assets.ts"
import { legacyRoutes } from "./routes/legacy.ts"
import { ownerRoutes } from "./routes/owner.ts"
import { liveRoutes } from "./routes/live.ts"
import { pageRoutes } from "./routes/page.ts"
import { shareRoutes } from "./routes/share.ts"

export function create(deps: Deps) {
  const app = new Hono<AppEnv>()
  const metrics = (deps.metrics ??= Metrics.create({ viewers: () => deps.bus.size(), pool: () => deps.store.pool?.() }))

  app.use(requestId({ headerName: "x-request-id" }))
  app.use(async (c, next) => {
    const start = performance.now()
    const log = deps.log.child({ reqId: c.get("requestId") })
    c.set("log", log)
    await next()
    const ms = performance.now() - start
    // Paths hold share ids, never secrets (those travel in bodies): safe to log.
    log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(ms * 10) / 10 }, "request")
    // The matched route pattern, not the path: one series per route, whatever the ids.
    metrics.request(c.req.method, routeLabel(routePath(c, -1)), c.res.status, ms / 1000)
  })

  const limit = bodyLimit({ maxSize: deps.config.bodyLimit, onError: () => { throw tooLarge("the request body", deps.config.bodyLimit) } })
  app.use("/api/*", limit)
  app.use("/share_*", limit)

  // Liveness: the process answers. Readiness: the database answers and its schema is in place
  // (migrations run before the server listens, so a query on the share table proves both).
  app.get("/healthz", (c) => c.json({ ok: true }))
  app.get("/readyz", async (c) => {
    if (deps.closing?.aborted) return c.json({ ok: false, reason: "shutting down" }, 503)
    try {
      await deps.store.find("s_readyz")
      return c.json({ ok: true })
    } catch (error) {
      deps.log.warn({ err: (error as Error).message }, "readiness check failed")
      return c.json({ ok: false, reason: "database unavailable" }, 503)
    }
  })
  app.get("/metrics", async (c) => c.text(await metrics.registry.metrics(), 200, { "content-type": metrics.registry.contentType }))

  app.route("/api/owner", ownerRoutes(deps))
  const shares = shareRoutes(deps)
  app.route("/api/share", shares)
  // OpenCode clients logged into a console org use the plural paths.
  app.route("/api/shares", shares)
  app.route("/", legacyRoutes(deps))
  app.route("/", assetRoutes())
  app.route("/", liveRoutes(deps))
  app.route("/", pageRoutes(deps))

  app.notFound((c) => c.json({ error: { code: "not_found", message: `no route for ${c.req.method} ${c.req.path}` } }, 404))

  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(error.body(), error.status)
    const log = c.get("log") ?? deps.log
    log.error({ err: error, method: c.req.method, path: c.req.path }, "unhandled error")
    return c.json({ error: { code: "internal", message: "internal error; the request id is in the x-request-id header" } }, 500)
  })

  return app
}

const routeLabel = (route: string) => (!route || route === "/*" ? "unmatched" : route)
