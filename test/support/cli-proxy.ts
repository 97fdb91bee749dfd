/**
 * A fault-injecting HTTP proxy in front of a real agentshare server: it records every request
 * body, how many were in flight at once, and can answer the next requests itself with a given
 * status (and headers) instead of forwarding them, to exercise a client's retry rules.
 */
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"

export type Seen = { method: string; path: string; body: string; status: number }

export type Proxy = {
  url: string
  seen: Seen[]
  /** Highest number of requests that were in flight at the same time. */
  maxInFlight(): number
  /** The next `count` requests whose path includes `match` get `status` and `headers`, unforwarded. */
  fail(count: number, status: number, headers?: Record<string, string>, match?: string): void
  /** Holds the next request with this method and exact path until `release` is called;
   * `arrived` resolves once it is being held. */
  hold(method: string, path: string): { arrived: Promise<void>; release(): void }
  close(): Promise<void>
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => resolve(Buffer.concat(chunks)))
    req.on("error", reject)
  })
}

export async function start(target: string): Promise<Proxy> {
  const seen: Seen[] = []
  const faults: { count: number; status: number; headers: Record<string, string>; match: string }[] = []
  const holds: { method: string; path: string; arrived: () => void; released: Promise<void> }[] = []
  let inFlight = 0
  let max = 0
  const server = createServer(async (req, res) => {
    inFlight += 1
    max = Math.max(max, inFlight)
    try {
      const body = await read(req)
      const path = req.url ?? "/"
      const held = holds.findIndex((h) => h.method === req.method && h.path === path)
      if (held >= 0) {
        const [h] = holds.splice(held, 1)
        h!.arrived()
        await h!.released
      }
      const fault = faults.find((f) => f.count > 0 && path.includes(f.match))
      if (fault) {
        fault.count -= 1
        seen.push({ method: req.method ?? "GET", path, body: body.toString("utf8"), status: fault.status })
        res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers })
        res.end(JSON.stringify({ error: { code: "injected", message: `injected ${fault.status}` } }))
        return
      }
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === "string" && k !== "host" && k !== "connection") headers[k] = v
      let upstream: Response
      try {
        upstream = await fetch(target + path, {
          method: req.method,
          headers,
          body: body.length > 0 ? new Uint8Array(body) : undefined,
        })
      } catch {
        // The server behind us is down: look like it to the client (a dropped connection).
        seen.push({ method: req.method ?? "GET", path, body: body.toString("utf8"), status: 0 })
        res.destroy()
        return
      }
      const text = Buffer.from(await upstream.arrayBuffer())
      seen.push({ method: req.method ?? "GET", path, body: body.toString("utf8"), status: upstream.status })
      const out: Record<string, string> = {}
      upstream.headers.forEach((v, k) => {
        if (k !== "content-encoding" && k !== "content-length" && k !== "transfer-encoding") out[k] = v
      })
      res.writeHead(upstream.status, out)
      res.end(text)
    } finally {
      inFlight -= 1
    }
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    maxInFlight: () => max,
    fail: (count, status, headers = {}, match = "") => void faults.push({ count, status, headers, match }),
    hold(method, path) {
      let arrived!: () => void
      let release!: () => void
      const a = new Promise<void>((r) => (arrived = r))
      holds.push({ method, path, arrived, released: new Promise<void>((r) => (release = r)) })
      return { arrived: a, release }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
