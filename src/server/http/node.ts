/**
 * Limits that live below the routes, on the Node server itself: a cap on open connections
 * (MAX_CONNECTIONS; one more is answered 503 with Retry-After before any parsing), a deadline
 * on reading a request body (REQUEST_TIMEOUT, to the millisecond, where Node checks only every
 * few seconds), and the metrics listener of METRICS_PORT.
 */
import { createServer, type Server } from "node:http"
import type { Deps } from "../context.ts"
import { body } from "../errors.ts"

const BUSY_BODY = body("server_busy", "the server holds as many connections as it may; retry shortly")
const BUSY = `HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 5\r\ncontent-length: ${Buffer.byteLength(BUSY_BODY)}\r\nconnection: close\r\n\r\n${BUSY_BODY}`

/** Past `max` open connections, a new one is answered 503 and closed. */
export function connections(server: Server, max: number): void {
  let open = 0
  // Node drops connections past maxConnections without a word; ours answer first, so the
  // hard limit sits a little above.
  server.maxConnections = max + 256
  server.on("connection", (socket) => {
    open += 1
    socket.once("close", () => {
      open -= 1
    })
    if (open > max) socket.end(BUSY)
  })
}

/** A request whose body is not all there `ms` after its headers gets 408 and its connection cut. */
export function bodyDeadline(server: Server, ms: number): void {
  server.prependListener("request", (req, res) => {
    // Without Content-Length or Transfer-Encoding a request has no body (RFC 9112, 6.3): nothing
    // to wait for, and no timer and listeners held for as long as a live stream stays open.
    if (req.complete || (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined))
      return
    const timer = setTimeout(() => {
      if (req.complete) return
      if (!res.headersSent) {
        res.writeHead(408, { "content-type": "application/json", connection: "close" })
        res.end(body("request_timeout", `the request body did not arrive within ${Math.round(ms / 1000)} seconds`))
      }
      // Destroyed with an error, not only its socket: the handler reading the body hears it and
      // ends (app.ts writes nothing more), where a bare socket close left its read pending.
      req.destroy(new Error("the request body did not arrive in time"))
    }, ms)
    timer.unref()
    const done = () => clearTimeout(timer)
    req.once("end", done)
    req.once("close", done)
    res.once("finish", done)
  })
}

/** Serves only GET /metrics, without a token, on `host:port` (keep it on loopback). */
export function metricsListener(deps: Deps, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const registry = deps.metrics?.registry
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics" || !registry) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n")
      return
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
      () => res.writeHead(500, { "content-type": "text/plain" }).end("metrics unavailable\n"),
    )
  })
  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, host, () => resolve(server))
  })
}
