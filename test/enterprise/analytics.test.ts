/** Share analytics: page views per share per day, total and unique, with a daily salt. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Retention from "../../src/server/governance/retention.ts"
import { backends } from "../support/backends.ts"
import { ADMIN_TOKEN, bearer, call, clock, create, enterpriseApp, sync } from "./support.ts"

const D = 86_400_000
const UA = { "user-agent": "Mozilla/5.0 test" }

for (const backend of backends) {
  describe(`analytics on ${backend.name}`, () => {
    it("counts page views per day, total and unique, and shows them to the owner and the admin", async (t) => {
      const now = clock()
      const app = await enterpriseApp({ adminToken: ADMIN_TOKEN }, now, backend)
      t.after(() => app.close())
      const owner = (await (await call(app, "POST", "/api/owner")).json()) as { token: string }
      const s = await create(app, { headers: bearer(owner.token) })
      assert.equal((await sync(app, s, "hello")).status, 200)
      for (let i = 0; i < 3; i++)
        assert.equal((await call(app, "GET", `/share/${s.id}`, { ip: "203.0.113.1", headers: UA })).status, 200)
      assert.equal((await call(app, "GET", `/share/${s.id}.md`, { ip: "203.0.113.2", headers: UA })).status, 200)
      // The same address with another user agent is the same visitor: a client could change it
      // on every request. So is another address in the same IPv6 /64.
      for (const ua of ["curl/8", "x1", "x2"])
        assert.equal(
          (await call(app, "GET", `/share/${s.id}`, { ip: "203.0.113.1", headers: { "user-agent": ua } })).status,
          200,
        )
      assert.equal((await call(app, "GET", `/share/${s.id}`, { ip: "2001:db8:1:2::1", headers: UA })).status, 200)
      assert.equal((await call(app, "GET", `/share/${s.id}`, { ip: "2001:db8:1:2:ffff::9", headers: UA })).status, 200)
      // Not page views: assets, fragments, live events, HEAD, and pages that are not there.
      await call(app, "GET", `/share/${s.id}/fragment`, { ip: "203.0.113.9" })
      await call(app, "HEAD", `/share/${s.id}`, { ip: "203.0.113.9" })
      await call(app, "GET", "/share/s_doesnotexist", { ip: "203.0.113.9" })
      const events = await call(app, "GET", `/share/${s.id}/events`, { ip: "203.0.113.9" })
      await events.body?.cancel()
      now.advance(D)
      assert.equal((await call(app, "GET", `/share/${s.id}`, { ip: "203.0.113.1", headers: UA })).status, 200)

      const views = (await (
        await call(app, "GET", `/api/owner/shares/${s.id}/views`, { headers: bearer(owner.token) })
      ).json()) as { days: unknown[] }
      assert.deepEqual(views.days, [
        { day: "2026-11-23", views: 1, uniques: 1 },
        { day: "2026-11-22", views: 9, uniques: 3 },
      ])
      const listed = (await (await call(app, "GET", "/api/owner/shares", { headers: bearer(owner.token) })).json()) as {
        shares: { views: number; uniqueViews: number }[]
      }
      assert.equal(listed.shares[0]?.views, 10)
      assert.equal(listed.shares[0]?.uniqueViews, 4, "a visitor is recognised within one day only")
      const admin = (await (
        await call(app, "GET", `/api/admin/shares/${s.id}`, { headers: bearer(ADMIN_TOKEN) })
      ).json()) as { share: { views: number }; views: unknown[] }
      assert.equal(admin.share.views, 10)
      assert.deepEqual(admin.views, views.days)
      // Another owner sees nothing.
      const other = (await (await call(app, "POST", "/api/owner")).json()) as { token: string }
      assert.equal(
        (await call(app, "GET", `/api/owner/shares/${s.id}/views`, { headers: bearer(other.token) })).status,
        404,
      )
    })

    it("rotates the salt daily and forgets the day's visitor hashes once it is over", async (t) => {
      const now = clock()
      const app = await enterpriseApp({}, now, backend)
      t.after(() => app.close())
      const s = await create(app)
      await sync(app, s, "hello")
      await call(app, "GET", `/share/${s.id}`, { ip: "203.0.113.1", headers: UA })
      const first = await app.deps.store.settings.get("view_salt")
      assert.equal(JSON.parse(first ?? "{}").day, "2026-11-22")
      now.advance(D)
      await call(app, "GET", `/share/${s.id}`, { ip: "203.0.113.1", headers: UA })
      const second = await app.deps.store.settings.get("view_salt")
      assert.equal(JSON.parse(second ?? "{}").day, "2026-11-23")
      assert.notEqual(JSON.parse(second ?? "{}").salt, JSON.parse(first ?? "{}").salt)
      // Yesterday's salt is gone from the database: its hashes cannot be recomputed.
      const swept = await Retention.sweep(app.deps)
      assert.equal(swept.visitors, 1, "yesterday's visitor hash is deleted")
      assert.equal(await app.deps.store.views.forget("2026-11-24"), 1, "today's stays until the day is over")
    })
  })
}
