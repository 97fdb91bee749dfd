/** Abuse limits: creates and syncs per client IP and per owner, 429 with Retry-After. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"
import { bearer, call, clock, create, enterpriseApp, sync } from "./support.ts"

const body = { body: { sessionID: "ses_rl" } }

describe("rate limits", () => {
  it("answers 429 with Retry-After once an IP passes RATE_LIMIT_CREATE, and again after the window", async (t) => {
    const now = clock()
    const app = await enterpriseApp({ rateLimitCreate: { limit: 3, windowMs: 60_000 } }, now)
    t.after(() => app.close())
    for (let i = 0; i < 3; i++)
      assert.equal((await call(app, "POST", "/api/share", { ...body, ip: "203.0.113.5" })).status, 201)
    now.advance(15_000)
    const limited = await call(app, "POST", "/api/share", { ...body, ip: "203.0.113.5" })
    assert.equal(limited.status, 429)
    assert.equal(limited.headers.get("retry-after"), "45")
    const err = (await limited.json()) as { error: { code: string; message: string } }
    assert.equal(err.error.code, "rate_limited")
    assert.match(err.error.message, /at most 3 per 60 seconds/)
    // The legacy create shares the limit; another address has its own.
    assert.equal((await call(app, "POST", "/share_create", { ...body, ip: "203.0.113.5" })).status, 429)
    assert.equal((await call(app, "POST", "/api/share", { ...body, ip: "203.0.113.6" })).status, 201)
    now.advance(45_000)
    assert.equal((await call(app, "POST", "/api/share", { ...body, ip: "203.0.113.5" })).status, 201)
  })

  it("limits per owner token across addresses", async (t) => {
    const now = clock()
    const app = await enterpriseApp({ rateLimitCreate: { limit: 2, windowMs: 60_000 } }, now)
    t.after(() => app.close())
    const owner = (await (await call(app, "POST", "/api/owner")).json()) as { token: string }
    assert.equal(
      (await call(app, "POST", "/api/share", { ...body, ip: "10.0.0.1", headers: bearer(owner.token) })).status,
      201,
    )
    assert.equal(
      (await call(app, "POST", "/api/share", { ...body, ip: "10.0.0.2", headers: bearer(owner.token) })).status,
      201,
    )
    assert.equal(
      (await call(app, "POST", "/api/share", { ...body, ip: "10.0.0.3", headers: bearer(owner.token) })).status,
      429,
    )
    assert.equal(
      (await call(app, "POST", "/api/share", { ...body, ip: "10.0.0.3" })).status,
      201,
      "the address itself is not over its limit",
    )
  })

  it("limits syncs per IP with RATE_LIMIT_SYNC; a refused sync stores nothing", async (t) => {
    const now = clock()
    const app = await enterpriseApp({ rateLimitSync: { limit: 2, windowMs: 1000 } }, now)
    t.after(() => app.close())
    const s = await create(app)
    assert.equal((await sync(app, s, "one", { ip: "203.0.113.5" })).status, 200)
    assert.equal((await sync(app, s, "two", { ip: "203.0.113.5" })).status, 200)
    const limited = await sync(app, s, "three", { ip: "203.0.113.5" })
    assert.equal(limited.status, 429)
    assert.equal(limited.headers.get("retry-after"), "1")
    const data = (await (await call(app, "GET", `/api/share/${s.id}/data`)).json()) as {
      type: string
      data: { text?: string }
    }[]
    assert.equal(data.find((i) => i.type === "part")?.data.text, "two")
    now.advance(1000)
    assert.equal((await sync(app, s, "three", { ip: "203.0.113.5" })).status, 200)
  })

  it("counts the client behind trusted proxies, not the proxy", async (t) => {
    const now = clock()
    const app = await enterpriseApp(
      { rateLimitCreate: { limit: 1, windowMs: 60_000 }, trustedProxies: ["127.0.0.1"] },
      now,
    )
    t.after(() => app.close())
    const via = (client: string) =>
      call(app, "POST", "/api/share", { ...body, ip: "127.0.0.1", headers: { "x-forwarded-for": client } })
    assert.equal((await via("198.51.100.1")).status, 201)
    assert.equal((await via("198.51.100.2")).status, 201, "two clients behind one proxy are two addresses")
    assert.equal((await via("198.51.100.1")).status, 429)
    // Without trusting the proxy, a forged header changes nothing: the peer is the client.
    const direct = await enterpriseApp({ rateLimitCreate: { limit: 1, windowMs: 60_000 } }, now)
    t.after(() => direct.close())
    assert.equal(
      (
        await call(direct, "POST", "/api/share", {
          ...body,
          ip: "203.0.113.8",
          headers: { "x-forwarded-for": "1.1.1.1" },
        })
      ).status,
      201,
    )
    assert.equal(
      (
        await call(direct, "POST", "/api/share", {
          ...body,
          ip: "203.0.113.8",
          headers: { "x-forwarded-for": "2.2.2.2" },
        })
      ).status,
      429,
    )
  })

  it("parses rates and off from the environment", () => {
    const r = Config.parse({ RATE_LIMIT_CREATE: "5/s", RATE_LIMIT_SYNC: "off" })
    assert.ok(r.ok)
    if (r.ok) {
      assert.deepEqual(r.config.enterprise.rateLimitCreate, { limit: 5, windowMs: 1000 })
      assert.equal(r.config.enterprise.rateLimitSync, null)
    }
    const d = Config.parse({})
    assert.ok(
      d.ok && d.config.enterprise.rateLimitCreate?.limit === 60 && d.config.enterprise.rateLimitSync?.limit === 6000,
    )
    const bad = Config.parse({ RATE_LIMIT_CREATE: "lots" })
    assert.deepEqual(bad.ok ? [] : bad.problems, ['RATE_LIMIT_CREATE: "lots" is not a rate such as 20/min, 5/s or off'])
  })
})
