/** Retention: default and maximum TTL, per-share expiry, 410 once expired, the purge job. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"
import * as Retention from "../../src/server/governance/retention.ts"
import { backends } from "../support/backends.ts"
import { bearer, call, clock, create, enterpriseApp, sync } from "./support.ts"

const H = 3_600_000
const D = 24 * H

for (const backend of backends) {
  describe(`retention on ${backend.name}`, () => {
    it("gives stock clients (no expiresIn) the server's default TTL", async (t) => {
      const now = clock()
      const app = await enterpriseApp({ shareTtlMs: 7 * D, shareMaxTtlMs: 30 * D }, now, backend)
      t.after(() => app.close())
      const res = await call(app, "POST", "/api/share", { body: { sessionID: "ses_ent" } })
      assert.equal(res.status, 201)
      const created = (await res.json()) as Record<string, unknown>
      assert.deepEqual(Object.keys(created).sort(), ["id", "secret", "url"], "the stock create answer is unchanged")
      const info = (await (await call(app, "GET", `/api/share/${created.id}`)).json()) as { expiresAt: number }
      assert.equal(info.expiresAt, now() + 7 * D)
    })

    it("keeps shares without expiry when no TTL is configured", async (t) => {
      const app = await enterpriseApp({}, clock(), backend)
      t.after(() => app.close())
      const s = await create(app)
      const info = (await (await call(app, "GET", `/api/share/${s.id}`)).json()) as { expiresAt: number | null }
      assert.equal(info.expiresAt, null)
    })

    it("sets an expiry at create, never beyond SHARE_MAX_TTL", async (t) => {
      const now = clock()
      const app = await enterpriseApp({ shareMaxTtlMs: 7 * D }, now, backend)
      t.after(() => app.close())
      const s = await create(app, { expiresIn: "2h" })
      assert.equal(s.expiresAt, now() + 2 * H)
      assert.equal((await create(app, { expiresIn: 3600 })).expiresAt, now() + H)
      // Without a request the maximum is the default.
      const d = await create(app)
      assert.equal(
        ((await (await call(app, "GET", `/api/share/${d.id}`)).json()) as { expiresAt: number }).expiresAt,
        now() + 7 * D,
      )
      for (const [expiresIn, code] of [
        ["8d", "expiry_too_long"],
        [null, "expiry_too_long"],
        ["soon", "invalid_expiry"],
        ["0h", "invalid_expiry"],
      ] as const) {
        const res = await call(app, "POST", "/api/share", { body: { sessionID: "ses_x", expiresIn } })
        assert.equal(res.status, 400, String(expiresIn))
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, code)
      }
    })

    it("lets the owner change the expiry later, by secret or owner token, within the maximum", async (t) => {
      const now = clock()
      const app = await enterpriseApp({ shareMaxTtlMs: 10 * D }, now, backend)
      t.after(() => app.close())
      const owner = (await (await call(app, "POST", "/api/owner")).json()) as { token: string }
      const other = (await (await call(app, "POST", "/api/owner")).json()) as { token: string }
      const s = await create(app, { headers: bearer(owner.token) })
      now.advance(D)
      const bySecret = await call(app, "POST", `/api/share/${s.id}/expiry`, {
        body: { secret: s.secret, expiresIn: "1d" },
      })
      assert.equal(bySecret.status, 200)
      assert.deepEqual(await bySecret.json(), { id: s.id, expiresAt: now() + D })
      const byToken = await call(app, "POST", `/api/share/${s.id}/expiry`, {
        body: { expiresIn: "9d" },
        headers: bearer(owner.token),
      })
      assert.equal(byToken.status, 200)
      // Created a day ago with a 10-day maximum: 9 more days is the limit, 9d+1h is past it.
      const tooLong = await call(app, "POST", `/api/share/${s.id}/expiry`, {
        body: { expiresIn: "217h" },
        headers: bearer(owner.token),
      })
      assert.equal(tooLong.status, 400)
      assert.equal(
        (
          await call(app, "POST", `/api/share/${s.id}/expiry`, {
            body: { expiresIn: "1h" },
            headers: bearer(other.token),
          })
        ).status,
        403,
      )
      assert.equal(
        (await call(app, "POST", `/api/share/${s.id}/expiry`, { body: { secret: "wrong", expiresIn: "1h" } })).status,
        403,
      )
      assert.equal((await call(app, "POST", `/api/share/${s.id}/expiry`, { body: { expiresIn: "1h" } })).status, 401)
      const listed = (await (await call(app, "GET", "/api/owner/shares", { headers: bearer(owner.token) })).json()) as {
        shares: { expiresAt: number }[]
      }
      assert.equal(listed.shares[0]?.expiresAt, now() + 9 * D)
    })

    it("answers 410 everywhere as soon as a share expires, before any purge", async (t) => {
      const now = clock()
      const app = await enterpriseApp({}, now, backend)
      t.after(() => app.close())
      const owner = (await (await call(app, "POST", "/api/owner")).json()) as { token: string }
      const s = await create(app, { expiresIn: "1h", headers: bearer(owner.token) })
      assert.equal((await sync(app, s, "hello")).status, 200)
      assert.equal((await call(app, "GET", `/share/${s.id}`)).status, 200)
      now.advance(H)
      const page = await call(app, "GET", `/share/${s.id}`)
      assert.equal(page.status, 410)
      assert.match(await page.text(), /This share has expired\./)
      for (const path of [
        `/share/${s.id}.md`,
        `/share/${s.id}.json`,
        `/share/${s.id}/events`,
        `/share/${s.id}/fragment`,
        `/api/share/${s.id}`,
        `/api/share/${s.id}/data`,
      ]) {
        assert.equal((await call(app, "GET", path)).status, 410, path)
      }
      assert.equal((await sync(app, s, "more")).status, 410)
      assert.equal(
        (
          await call(app, "POST", "/share_sync", {
            body: { sessionID: "ses_ent", secret: s.secret, key: "session/info/ses_ent", content: { title: "x" } },
          })
        ).status,
        410,
      )
      assert.equal(
        (await call(app, "POST", `/api/share/${s.id}/expiry`, { body: { secret: s.secret, expiresIn: "1d" } })).status,
        410,
        "an expired share cannot be revived",
      )
      const listed = (await (await call(app, "GET", "/api/owner/shares", { headers: bearer(owner.token) })).json()) as {
        shares: unknown[]
      }
      assert.equal(listed.shares.length, 0)
      // Its data is still stored until the purge job runs.
      assert.equal((await app.deps.store.shares.find(s.id)).state, "live")
    })

    it("purges expired shares in bounded batches, leaving tombstones with reason expired", async (t) => {
      const now = clock()
      const app = await enterpriseApp({ purgeBatch: 2 }, now, backend)
      t.after(() => app.close())
      const expiring = []
      for (let i = 0; i < 5; i++) {
        const s = await create(app, { sessionID: `ses_p${i}`, expiresIn: `${i + 1}h` })
        assert.equal((await sync(app, s, `text ${i}`, { sessionID: `ses_p${i}` })).status, 200)
        expiring.push(s)
      }
      const keep = await create(app, { sessionID: "ses_keep", expiresIn: "2d" })
      const forever = await create(app, { sessionID: "ses_forever" })
      now.advance(3 * H)
      // Batches of two, one at a time: the first run takes the two that expired first.
      const first = await Retention.sweep(app.deps, { maxBatches: 1 })
      assert.equal(first.expired, 2)
      now.advance(3 * H)
      const rest = await Retention.sweep(app.deps)
      assert.equal(rest.expired, 3)
      for (const s of expiring) {
        const found = await app.deps.store.shares.find(s.id)
        assert.deepEqual(found.state === "gone" && found.reason, "expired")
        assert.equal((await call(app, "GET", `/share/${s.id}`)).status, 410)
      }
      for (const s of [keep, forever]) assert.equal((await app.deps.store.shares.find(s.id)).state, "live")
      const usage = await app.deps.store.shares.usage()
      assert.equal(usage.shares, 2)
      assert.equal(usage.items, 0, "the expired shares' items are deleted")
      const audited = await app.deps.store.audit.query({ action: "expired", limit: 100 })
      assert.deepEqual(audited.map((a) => a.shareID).sort(), expiring.map((s) => s.id).sort())
      assert.ok(audited.every((a) => a.actorKind === "system" && a.ipHash === null))
      assert.equal((await Retention.sweep(app.deps)).expired, 0, "a second run finds nothing")
    })
  })
}

describe("retention settings", () => {
  it("parses durations and refuses a default longer than the maximum", () => {
    const r = Config.parse({ SHARE_TTL: "12h", SHARE_MAX_TTL: "2w", PURGE_INTERVAL: "90" })
    assert.ok(r.ok)
    if (r.ok) {
      assert.equal(r.config.enterprise.shareTtlMs, 12 * H)
      assert.equal(r.config.enterprise.shareMaxTtlMs, 14 * D)
      assert.equal(r.config.enterprise.purgeIntervalMs, 90_000)
    }
    const bad = Config.parse({ SHARE_TTL: "30d", SHARE_MAX_TTL: "7d" })
    assert.deepEqual(bad.ok ? [] : bad.problems, ["SHARE_TTL: must not be longer than SHARE_MAX_TTL"])
  })
})
