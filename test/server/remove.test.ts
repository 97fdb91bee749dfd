/**
 * The one remove path (src/server/share/remove.ts): unshare, owner delete, admin takedown and
 * expiry each leave their tombstone reason, one audit entry, one log line, one live event, and
 * no parsed copy in the cache.
 */
import assert from "node:assert/strict"
import { Writable } from "node:stream"
import { describe, it } from "node:test"
import * as Log from "../../src/server/log.ts"
import * as Retention from "../../src/server/governance/retention.ts"
import * as Cache from "../../src/server/view/cache.ts"
import type { LiveEvent } from "../../src/server/view/bus.ts"
import { ADMIN_TOKEN, bearer, call, clock, create, enterpriseApp, sync } from "../enterprise/support.ts"

type Way = {
  name: string
  reason: string
  action: string
  message: RegExp
  remove(
    app: Awaited<ReturnType<typeof enterpriseApp>>,
    share: { id: string; secret: string },
    token: string,
    now: ReturnType<typeof clock>,
  ): Promise<void>
}

const WAYS: Way[] = [
  {
    name: "unshare with its secret",
    reason: "unshared",
    action: "unshared",
    message: /this share was removed/,
    async remove(app, s) {
      assert.equal((await call(app, "DELETE", `/api/share/${s.id}`, { body: { secret: s.secret } })).status, 200)
    },
  },
  {
    name: "owner delete",
    reason: "unshared by owner",
    action: "unshared",
    message: /this share was removed/,
    async remove(app, s, token) {
      assert.equal((await call(app, "DELETE", `/api/owner/shares/${s.id}`, { headers: bearer(token) })).status, 200)
    },
  },
  {
    name: "admin takedown",
    reason: "taken_down",
    action: "taken_down",
    message: /removed by an administrator/,
    async remove(app, s) {
      assert.equal(
        (await call(app, "DELETE", `/api/admin/shares/${s.id}`, { headers: bearer(ADMIN_TOKEN) })).status,
        200,
      )
    },
  },
  {
    name: "expiry",
    reason: "expired",
    action: "expired",
    message: /has expired/,
    async remove(app, _s, _t, now) {
      now.advance(2 * 3_600_000)
      assert.equal((await Retention.sweep(app.deps)).expired, 1)
    },
  },
]

describe("the one remove path", () => {
  for (const way of WAYS) {
    it(`${way.name}: tombstone "${way.reason}", one audit entry, one log line, one live event, cache evicted`, async (t) => {
      const now = clock()
      const app = await enterpriseApp({ adminToken: ADMIN_TOKEN }, now)
      t.after(() => app.close())
      const lines: Record<string, unknown>[] = []
      app.deps.log = Log.create(
        { logLevel: "info", logFormat: "json" },
        new Writable({
          write(chunk, _e, done) {
            lines.push(JSON.parse(String(chunk)))
            done()
          },
        }),
      )
      const owner = (await (await call(app, "POST", "/api/owner")).json()) as { token: string }
      const s = await create(app, { sessionID: "ses_rm", headers: bearer(owner.token), expiresIn: "1h" })
      assert.equal((await sync(app, s, "content to remove", { sessionID: "ses_rm" })).status, 200)
      assert.equal((await call(app, "GET", `/share/${s.id}`)).status, 200)
      assert.ok(await Cache.has(app.deps.transcripts, s.id))
      const events: LiveEvent[] = []
      app.deps.bus.subscribe(s.id, (e) => events.push(e))

      await way.remove(app, s, owner.token, now)

      const found = await app.deps.store.shares.find(s.id)
      assert.equal(found.state === "gone" && found.reason, way.reason)
      const gone = await call(app, "GET", `/api/share/${s.id}`)
      assert.equal(gone.status, 410)
      assert.match(((await gone.json()) as { error: { message: string } }).error.message, way.message)
      assert.equal((await app.deps.store.audit.query({ action: way.action, shareID: s.id, limit: 10 })).length, 1)
      assert.deepEqual(
        lines.filter((l) => l.msg === "share removed").map((l) => [l.shareID, l.reason]),
        [[s.id, way.reason]],
      )
      assert.deepEqual(
        events.map((e) => e.type === "removed" && e.reason),
        [way.reason],
      )
      assert.equal(await Cache.has(app.deps.transcripts, s.id), false)
    })
  }
})
