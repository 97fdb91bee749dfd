import assert from "node:assert/strict"
import { connect } from "node:net"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"
import * as Log from "../../src/server/log.ts"
import * as Server from "../../src/server/index.ts"
import { share, testApp } from "../support/app.ts"
import { backends } from "../support/backends.ts"
import { Stream } from "../viewer/sse.ts"

const METRICS_TOKEN = "metrics-token-for-tests-0123"
const metricsOn = { metrics: { token: METRICS_TOKEN, port: undefined, host: "127.0.0.1" } }
const scrape = (t: Awaited<ReturnType<typeof testApp>>) =>
  t.app.request("/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })

describe("operations endpoints", () => {
  it("answers /healthz, /readyz and Prometheus /metrics", async () => {
    const t = await testApp(metricsOn)
    try {
      assert.deepEqual(await (await t.app.request("/healthz")).json(), { ok: true })
      assert.deepEqual(await (await t.app.request("/readyz")).json(), { ok: true })
      const s = await share(t, "ses_metrics")
      const session = { type: "session", data: { id: "ses_metrics", title: "m", time: { updated: 2 } } }
      await t.send("POST", `/api/share/${s.id}/sync`, {
        secret: s.secret,
        data: [session, { type: "message", data: { id: "msg_1", sessionID: "ses_metrics", role: "user" } }],
      })
      await t.send("POST", `/api/share/${s.id}/sync`, {
        secret: s.secret,
        data: [{ ...session, data: { ...session.data, time: { updated: 1 } } }],
      })
      await t.send("GET", `/api/share/${s.id}/data`)
      const res = await scrape(t)
      assert.equal(res.status, 200)
      assert.match(res.headers.get("content-type") ?? "", /text\/plain/)
      const text = await res.text()
      assert.match(text, /agentshare_http_requests_total\{method="POST",route="\/api\/share",status="201"\} 1/)
      assert.match(
        text,
        /agentshare_http_requests_total\{method="GET",route="\/api\/share\/:id\/data",status="200"\} 1/,
      )
      assert.match(text, /agentshare_http_request_duration_seconds_bucket/)
      assert.match(text, /agentshare_live_viewers 0/)
      assert.match(text, /agentshare_syncs_total 2/)
      assert.match(text, /agentshare_items_total\{outcome="stored"\} 2/)
      assert.match(text, /agentshare_items_total\{outcome="stale"\} 1/)
      assert.ok(!text.includes(s.id), "metrics are labelled by route, never by share id")
    } finally {
      await t.close()
    }
  })

  it("reports the PostgreSQL pool", {
    skip: !backends.some((b) => b.name === "postgres") && "no PostgreSQL here",
  }, async () => {
    const t = await testApp(
      metricsOn,
      Date.now,
      backends.find((b) => b.name === "postgres"),
    )
    try {
      await share(t, "ses_pool")
      const text = await (await scrape(t)).text()
      assert.match(text, /agentshare_db_pool_connections\{state="total"\} [1-9]/)
      assert.match(text, /agentshare_db_pool_connections\{state="waiting"\} 0/)
    } finally {
      await t.close()
    }
  })

  it("turns /readyz to 503 when the database is gone", async () => {
    const t = await testApp()
    await t.deps.store.close()
    const res = await t.app.request("/readyz")
    assert.equal(res.status, 503)
    assert.deepEqual(await res.json(), { ok: false, reason: "database unavailable" })
  })
})

describe("graceful shutdown", () => {
  it("finishes an in-flight sync, refuses new connections, then closes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "agentshare-shutdown-"))
    const running = await Server.start(
      Config.defaults({ port: 0, databaseUrl: `sqlite://${join(dir, "s.db")}`, shutdownTimeoutMs: 10_000 }),
      { log: Log.silent() },
    )
    try {
      const created = (await (
        await fetch(`${running.url}/api/share`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ sessionID: "ses_shut" }),
        })
      ).json()) as { id: string; secret: string }
      const body = JSON.stringify({
        secret: created.secret,
        data: [{ type: "session", data: { id: "ses_shut", title: "in flight" } }],
      })
      // Send the headers and half the body, start the shutdown, then send the rest.
      const socket = connect(running.port, "127.0.0.1")
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()))
      let response = ""
      socket.on("data", (d) => (response += d.toString()))
      const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()))
      socket.write(
        `POST /api/share/${created.id}/sync HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body.slice(0, 20)}`,
      )
      await new Promise((r) => setTimeout(r, 100))
      const closed = running.close()
      assert.equal(running.deps.closing?.aborted, true)
      await assert.rejects(fetch(`${running.url}/healthz`), "no new connections during shutdown")
      socket.write(body.slice(20))
      await ended
      await closed
      assert.match(response, /^HTTP\/1\.1 200/)
      assert.match(response, /"accepted":1/)
    } finally {
      await running.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("tells live viewers to reconnect elsewhere and does not wait for their streams", async () => {
    const dir = mkdtempSync(join(tmpdir(), "agentshare-shutdown-"))
    // A long timeout: if shutdown waited for open streams, this test would hang on it.
    const running = await Server.start(
      Config.defaults({ port: 0, databaseUrl: `sqlite://${join(dir, "s.db")}`, shutdownTimeoutMs: 600_000 }),
      { log: Log.silent() },
    )
    try {
      const created = (await (
        await fetch(`${running.url}/api/share`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ sessionID: "ses_live" }),
        })
      ).json()) as { id: string }
      const viewers = await Promise.all([1, 2, 3].map(() => Stream.open(`${running.url}/share/${created.id}/events`)))
      for (const v of viewers) assert.ok(await v.next("ready"))
      const closed = running.close()
      for (const v of viewers) {
        const e = await v.next("reconnect")
        assert.ok(e, "each viewer is told to reconnect")
        assert.equal(await v.ended(), true)
      }
      await closed
      assert.equal(running.deps.bus.size(), 0, "no subscription is left behind")
    } finally {
      await running.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
