/** Creation policy: CREATE_ACCESS open/network/disabled, trusted proxies, the admin kill switch. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"
import * as Share from "../../src/server/share/index.ts"
import { testApp } from "../support/app.ts"
import { ADMIN_TOKEN, bearer, call, create, enterpriseApp, sync } from "./support.ts"

const createBody = { body: { sessionID: "ses_pol" } }

describe("creation policy", () => {
  it("lets anyone create under open, with no credentials", async (t) => {
    const app = await enterpriseApp({ createAccess: "open" })
    t.after(() => app.close())
    const res = await call(app, "POST", "/api/share", { ...createBody, ip: "203.0.113.9" })
    assert.equal(res.status, 201)
  })

  it("refuses every create under disabled with a clear 403, and existing shares keep working", async (t) => {
    const app = await enterpriseApp({ createAccess: "disabled" })
    t.after(() => app.close())
    for (const [path, body] of [
      ["/api/share", { sessionID: "ses_x" }],
      ["/api/shares", { sessionID: "ses_x" }],
      ["/share_create", { sessionID: "ses_x" }],
    ] as const) {
      const res = await call(app, "POST", path, { body, ip: "10.0.0.1" })
      assert.equal(res.status, 403, path)
      assert.deepEqual(await res.json(), {
        error: {
          code: "creation_disabled",
          message: "creating shares is disabled on this server; existing shares keep working",
        },
      })
    }
    // A share made before creation was disabled.
    const share = await Share.create(app.deps, "ses_before")
    assert.equal((await sync(app, share, "hello", { sessionID: "ses_before" })).status, 200)
    assert.equal((await call(app, "GET", `/share/${share.id}`)).status, 200)
  })

  it("keeps syncing, viewing and unsharing existing shares while creation is disabled", async (t) => {
    const app = await enterpriseApp({ createAccess: "open", adminToken: ADMIN_TOKEN })
    t.after(() => app.close())
    const share = await create(app)
    const off = await call(app, "PUT", "/api/admin/policy", {
      body: { killSwitch: true },
      headers: bearer(ADMIN_TOKEN),
    })
    assert.equal(off.status, 200)
    assert.equal((await call(app, "POST", "/api/share", createBody)).status, 403)
    assert.equal((await sync(app, share, "still syncing")).status, 200)
    assert.equal((await call(app, "GET", `/share/${share.id}`)).status, 200)
    assert.equal((await call(app, "GET", `/api/share/${share.id}/data`)).status, 200)
    assert.equal((await call(app, "DELETE", `/api/share/${share.id}`, { body: { secret: share.secret } })).status, 200)
  })

  it("allows creates only from CREATE_NETWORKS under network, IPv4 and IPv6", async (t) => {
    const app = await enterpriseApp({
      createAccess: "network",
      createNetworks: ["10.0.0.0/8", "fd00::/8", "192.0.2.7"],
    })
    t.after(() => app.close())
    for (const ip of ["10.1.2.3", "::ffff:10.9.9.9", "fd00::1234", "192.0.2.7"]) {
      assert.equal((await call(app, "POST", "/api/share", { ...createBody, ip })).status, 201, ip)
    }
    for (const ip of ["11.0.0.1", "192.0.2.8", "2001:db8::1", undefined]) {
      const res = await call(app, "POST", "/api/share", { ...createBody, ip })
      assert.equal(res.status, 403, String(ip))
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "network_not_allowed")
    }
  })

  it("believes X-Forwarded-For only from TRUSTED_PROXIES", async (t) => {
    const app = await enterpriseApp({
      createAccess: "network",
      createNetworks: ["10.0.0.0/8"],
      trustedProxies: ["127.0.0.1", "172.16.0.0/12"],
    })
    t.after(() => app.close())
    // Through our proxy chain: the nearest untrusted hop is the client.
    const ok = await call(app, "POST", "/api/share", {
      ...createBody,
      ip: "127.0.0.1",
      headers: { "x-forwarded-for": "10.2.3.4, 172.16.5.5" },
    })
    assert.equal(ok.status, 201)
    // A client cannot claim an inside address through an untrusted peer...
    const spoofed = await call(app, "POST", "/api/share", {
      ...createBody,
      ip: "198.51.100.1",
      headers: { "x-forwarded-for": "10.2.3.4" },
    })
    assert.equal(spoofed.status, 403)
    // ...nor by prepending one to what our proxy adds.
    const prepended = await call(app, "POST", "/api/share", {
      ...createBody,
      ip: "127.0.0.1",
      headers: { "x-forwarded-for": "10.2.3.4, 198.51.100.1" },
    })
    assert.equal(prepended.status, 403)
  })

  it("reads ip:port, [v6]:port and unknown hops as a proxy writes them, never as the proxy itself", async (t) => {
    const app = await enterpriseApp({
      createAccess: "network",
      createNetworks: ["10.0.0.0/8", "fd00::/8"],
      trustedProxies: ["10.9.9.9"],
    })
    t.after(() => app.close())
    const via = (hops: string) =>
      call(app, "POST", "/api/share", { ...createBody, ip: "10.9.9.9", headers: { "x-forwarded-for": hops } })
    // A client outside, as proxies that keep ports write it: never mistaken for the proxy.
    for (const hops of ["198.51.100.7:51234", "[2001:db8::7]:443", "unknown", "10.2.3.4, unknown", "garbage!"]) {
      assert.equal((await via(hops)).status, 403, hops)
    }
    // Clients inside, with ports.
    for (const hops of ["10.2.3.4:51234", "[fd00::5]:8443", "fd00::6"]) {
      assert.equal((await via(hops)).status, 201, hops)
    }
  })

  it("persists the kill switch in the database so every instance sees it", async (t) => {
    const a = await enterpriseApp({ adminToken: ADMIN_TOKEN })
    t.after(() => a.close())
    // A second instance on the same database file.
    const b = await testApp({ databaseUrl: `sqlite://${a.dbPath}`, enterprise: a.deps.config.enterprise })
    t.after(() => b.close())
    assert.equal((await call(b, "POST", "/api/share", createBody)).status, 201)
    assert.equal(
      (await call(a, "PUT", "/api/admin/policy", { body: { killSwitch: true }, headers: bearer(ADMIN_TOKEN) })).status,
      200,
    )
    assert.equal((await call(b, "POST", "/api/share", createBody)).status, 403)
    const state = await call(b, "GET", "/api/admin/policy", { headers: bearer(ADMIN_TOKEN) })
    assert.deepEqual(await state.json(), { createAccess: "open", killSwitch: true, effective: "disabled" })
    assert.equal(
      (await call(a, "PUT", "/api/admin/policy", { body: { killSwitch: false }, headers: bearer(ADMIN_TOKEN) })).status,
      200,
    )
    assert.equal((await call(b, "POST", "/api/share", createBody)).status, 201)
  })

  it("validates the policy settings at start, listing every problem", () => {
    const r = Config.parse({ CREATE_ACCESS: "network", TRUSTED_PROXIES: "10.0.0.0/33,nonsense" })
    assert.equal(r.ok, false)
    if (r.ok) return
    assert.ok(r.problems.some((p) => p.startsWith("TRUSTED_PROXIES") && p.includes("10.0.0.0/33")))
    const r2 = Config.parse({ CREATE_ACCESS: "network" })
    assert.equal(r2.ok, false)
    if (!r2.ok) assert.ok(r2.problems.some((p) => p.startsWith("CREATE_NETWORKS")))
    const r3 = Config.parse({ CREATE_ACCESS: "network", CREATE_NETWORKS: "10.0.0.0/8, fd00::/8" })
    assert.ok(r3.ok && r3.config.enterprise.createNetworks.length === 2)
  })
})
