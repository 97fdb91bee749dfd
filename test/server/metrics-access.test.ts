/** /metrics is not public: a bearer token on the public port, or a port of its own on loopback. */
import assert from "node:assert/strict"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"
import * as Log from "../../src/server/log.ts"
import * as Server from "../../src/server/index.ts"
import { testApp } from "../support/app.ts"

const TOKEN = "metrics-token-for-tests-0123"

describe("metrics access", () => {
  it("does not serve /metrics on the public port by default", async (t) => {
    const app = await testApp()
    t.after(() => app.close())
    const res = await app.app.request("/metrics")
    assert.equal(res.status, 404)
    assert.doesNotMatch(await res.text(), /agentshare_/)
  })

  it("serves /metrics on the public port only with METRICS_TOKEN as a bearer", async (t) => {
    const app = await testApp({ metrics: { token: TOKEN, port: undefined, host: "127.0.0.1" } })
    t.after(() => app.close())
    assert.equal((await app.app.request("/metrics")).status, 401)
    assert.equal(
      (await app.app.request("/metrics", { headers: { authorization: "Bearer wrong-token-wrong-token" } })).status,
      401,
    )
    const ok = await app.app.request("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } })
    assert.equal(ok.status, 200)
    assert.match(await ok.text(), /agentshare_http_requests_total/)
  })

  it("serves /metrics without a token on METRICS_PORT, bound to loopback, and not on the public port", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "agentshare-metrics-"))
    const config = Config.defaults({
      port: 0,
      host: "127.0.0.1",
      databaseUrl: `sqlite://${join(dir, "m.db")}`,
      metrics: { token: undefined, port: 0, host: "127.0.0.1" },
    })
    const s = await Server.start(config, { log: Log.silent() })
    t.after(async () => {
      await s.close()
      rmSync(dir, { recursive: true, force: true })
    })
    assert.ok(s.metricsUrl?.startsWith("http://127.0.0.1:"))
    const scraped = await fetch(`${s.metricsUrl}/metrics`)
    assert.equal(scraped.status, 200)
    assert.match(await scraped.text(), /agentshare_process_/)
    assert.equal((await fetch(`${s.metricsUrl}/api/share`)).status, 404, "the metrics port serves nothing else")
    assert.equal((await fetch(`${s.url}/metrics`)).status, 404)
  })

  it("validates METRICS_TOKEN and METRICS_PORT", () => {
    const r = Config.parse({ METRICS_TOKEN: "short", METRICS_PORT: "99999" })
    assert.equal(r.ok, false)
    if (!r.ok) {
      assert.ok(r.problems.some((p) => p.startsWith("METRICS_TOKEN")))
      assert.ok(r.problems.some((p) => p.startsWith("METRICS_PORT")))
    }
  })
})
