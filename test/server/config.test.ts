import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"
import { describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"

describe("config", () => {
  it("has sensible defaults", () => {
    const r = Config.parse({})
    assert.ok(r.ok)
    assert.equal(r.config.host, "127.0.0.1")
    assert.equal(r.config.port, 8080)
    assert.equal(r.config.databaseUrl, "sqlite:./data/agentshare.db")
    assert.equal(Config.publicOrigin(r.config, 8080), "http://127.0.0.1:8080")
  })

  it("parses sizes and origins", () => {
    const r = Config.parse({
      BODY_LIMIT: "2MiB",
      SHARE_LIMIT: "1gb",
      PUBLIC_URL: "https://share.example.com/",
      PORT: "0",
    })
    assert.ok(r.ok)
    assert.equal(r.config.bodyLimit, 2 * 1024 * 1024)
    assert.equal(r.config.shareLimit, 1024 ** 3)
    assert.equal(r.config.publicUrl, "https://share.example.com")
    assert.equal(r.config.port, 0)
  })

  it("reads the secret scanner's workers and time budget", () => {
    const r = Config.parse({ SCAN_WORKERS: "3", SCAN_BUDGET: "2.5" })
    assert.ok(r.ok)
    assert.equal(r.config.scanWorkers, 3)
    assert.equal(r.config.scanBudgetMs, 2500)
    const d = Config.parse({})
    assert.ok(d.ok && d.config.scanWorkers >= 1 && d.config.scanWorkers <= 4 && d.config.scanBudgetMs === 10_000)
    const bad = Config.parse({ SCAN_WORKERS: "0", SCAN_BUDGET: "soon" })
    assert.ok(!bad.ok)
    assert.match(bad.problems.join("\n"), /SCAN_WORKERS[\s\S]*SCAN_BUDGET/)
  })

  it("lists every problem at once", () => {
    const r = Config.parse({
      PORT: "http",
      PUBLIC_URL: "https://x.example/prefix",
      DATABASE_URL: "mysql://x",
      LOG_LEVEL: "loud",
      BODY_LIMIT: "lots",
    })
    assert.ok(!r.ok)
    const text = r.problems.join("\n")
    for (const name of ["PORT", "PUBLIC_URL", "DATABASE_URL", "LOG_LEVEL", "BODY_LIMIT"])
      assert.match(text, new RegExp(name))
    assert.match(text, /origin without a path/)
  })

  it("reports SSO and retention problems together", () => {
    const r = Config.parse({ VIEW_ACCESS: "sso", SHARE_TTL: "30d", SHARE_MAX_TTL: "7d" })
    assert.ok(!r.ok)
    const text = r.problems.join("\n")
    assert.match(text, /OIDC_ISSUER/)
    assert.match(text, /SHARE_TTL/)
  })

  it("makes `agentshare serve` print the problems and exit 1", () => {
    const r = spawnSync(process.execPath, ["src/cli/main.ts", "serve"], {
      env: { ...process.env, PORT: "-5", DATABASE_URL: "ftp://x" },
      encoding: "utf8",
      timeout: 30_000,
    })
    assert.equal(r.status, 1)
    assert.match(r.stderr, /invalid configuration/)
    assert.match(r.stderr, /PORT/)
    assert.match(r.stderr, /DATABASE_URL/)
  })
})
