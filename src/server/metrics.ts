/**
 * Prometheus metrics (prom-client), one registry per server: requests and latencies by route,
 * syncs and items stored, open live viewers, fan-out lag, and the database pool where there is
 * one. Served at GET /metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client"

export type Metrics = ReturnType<typeof create>

export function create(sources: {
  viewers: () => number
  pool?: () => { total: number; idle: number; waiting: number } | undefined
}) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: "agentshare_process_" })
  const requests = new Counter({
    name: "agentshare_http_requests_total",
    help: "HTTP requests by method, route and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  })
  const latency = new Histogram({
    name: "agentshare_http_request_duration_seconds",
    help: "HTTP request latency by method and route",
    labelNames: ["method", "route"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  const syncs = new Counter({ name: "agentshare_syncs_total", help: "Accepted sync requests", registers: [registry] })
  const items = new Counter({
    name: "agentshare_items_total",
    help: "Items stored by accepted syncs",
    labelNames: ["outcome"],
    registers: [registry],
  })
  const lag = new Histogram({
    name: "agentshare_fanout_lag_seconds",
    help: "Time from a sync being stored to its event reaching this instance's viewers",
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  new Gauge({
    name: "agentshare_live_viewers",
    help: "Open live (SSE) subscriptions on this instance",
    registers: [registry],
    collect() {
      this.set(sources.viewers())
    },
  })
  const pool = new Gauge({
    name: "agentshare_db_pool_connections",
    help: "Database pool connections by state (PostgreSQL only)",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const p = sources.pool?.()
      if (!p) return
      pool.set({ state: "total" }, p.total)
      pool.set({ state: "idle" }, p.idle)
      pool.set({ state: "waiting" }, p.waiting)
    },
  })
  return {
    registry,
    request(method: string, route: string, status: number, seconds: number) {
      requests.inc({ method, route, status: String(status) })
      latency.observe({ method, route }, seconds)
    },
    sync(accepted: number, stale: number) {
      syncs.inc()
      items.inc({ outcome: "stored" }, accepted)
      if (stale) items.inc({ outcome: "stale" }, stale)
    },
    fanout(seconds: number) {
      lag.observe(Math.max(0, seconds))
    },
  }
}
