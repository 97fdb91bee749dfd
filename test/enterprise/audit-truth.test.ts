/** The audit log records what happened: refused actions leave no entry, and entries name the share that changed. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { backends } from "../support/backends.ts"
import { call, clock, create, enterpriseApp, sync } from "./support.ts"

for (const backend of backends) {
  describe(`truthful audit on ${backend.name}`, () => {
    it("records no sync for a sync refused with 413, 507 or 410", async (t) => {
      const now = clock()
      const app = await enterpriseApp({}, now, backend)
      t.after(() => app.close())
      app.deps.config.shareLimit = 2000
      const big = await create(app, { sessionID: "ses_big" })
      assert.equal((await sync(app, big, "x".repeat(5000), { sessionID: "ses_big" })).status, 413)
      const removed = await create(app, { sessionID: "ses_gone" })
      assert.equal(
        (await call(app, "DELETE", `/api/share/${removed.id}`, { body: { secret: removed.secret } })).status,
        200,
      )
      assert.equal((await sync(app, removed, "late", { sessionID: "ses_gone" })).status, 410)
      const entries = await app.deps.store.audit.query({ limit: 100 })
      const syncs = entries.filter((e) => e.action.startsWith("sync_"))
      assert.deepEqual(syncs, [], "refused syncs are not audited")
      assert.deepEqual(await app.deps.store.audit.query({ action: "sync_first", limit: 10 }), [])
    })

    it("names the share that changed in a takedown's entry", async (t) => {
      const app = await enterpriseApp({}, Date.now, backend)
      t.after(() => app.close())
      const s = await create(app, { sessionID: "ses_named" })
      assert.equal((await sync(app, s, "the code is zebra-7731-internal", { sessionID: "ses_named" })).status, 200)
      assert.equal(
        (
          await call(app, "POST", `/api/share/${s.id}/redact`, {
            body: { secret: s.secret, literal: "zebra-7731-internal" },
          })
        ).status,
        200,
      )
      const [entry] = await app.deps.store.audit.query({ action: "redacted", limit: 10 })
      assert.equal(entry?.shareID, s.id)
    })
  })
}
