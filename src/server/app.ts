/** The Hono application: middleware, routes and the one error handler. */
import { Hono } from "hono"
import { bodyLimit } from "hono/body-limit"
import { requestId } from "hono/request-id"
import type { AppEnv, Deps } from "./context.ts"
import { ApiError, tooLarge } from "./errors.ts"
import { legacyRoutes } from "./routes/legacy.ts"
import { pageRoutes } from "./routes/page.ts"
import { shareRoutes } from "./routes/share.ts"

export function create(deps: Deps) {
  const app = new Hono<AppEnv>()

  app.use(requestId({ headerName: "x-request-id" }))
  app.use(async (c, next) => {
    const start = performance.now()
    const log = deps.log.child({ reqId: c.get("requestId") })
    c.set("log", log)
    await next()
    // Paths hold share ids, never secrets (those travel in bodies): safe to log.
    log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - start) * 10) / 10 }, "request")
  })

  const limit = bodyLimit({ maxSize: deps.config.bodyLimit, onError: () => { throw tooLarge("the request body", deps.config.bodyLimit) } })
  app.use("/api/*", limit)
  app.use("/share_*", limit)

  app.get("/healthz", (c) => c.json({ ok: true }))

  const shares = shareRoutes(deps)
  app.route("/api/share", shares)
  // OpenCode clients logged into a console org use the plural paths.
  app.route("/api/shares", shares)
  app.route("/", legacyRoutes(deps))
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
