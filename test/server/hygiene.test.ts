/**
 * Removal hygiene: an unshared, taken-down or expired share leaves every in-memory cache, and
 * replaced or removed item content leaves SQLite's files within SCRUB_INTERVAL.
 */
import assert from "node:assert/strict"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"
import * as Log from "../../src/server/log.ts"
import * as Server from "../../src/server/index.ts"
import * as Retention from "../../src/server/governance/retention.ts"
import * as Cache from "../../src/server/view/cache.ts"
import { call, clock, create, enterpriseApp, sync } from "../enterprise/support.ts"
import { ADMIN_TOKEN, bearer } from "../enterprise/support.ts"

describe("removal hygiene", () => {
  it("evicts a share from the transcript cache on unshare, takedown and expiry", async (t) => {
    const now = clock()
    const app = await enterpriseApp({ adminToken: ADMIN_TOKEN }, now)
    t.after(() => app.close())
    const viewed = async (sessionID: string, expiresIn?: string) => {
      const s = await create(app, { sessionID, ...(expiresIn ? { expiresIn } : {}) })
      assert.equal((await sync(app, s, "private words", { sessionID })).status, 200)
      assert.equal((await call(app, "GET", `/share/${s.id}`)).status, 200)
      assert.ok(await Cache.has(app.deps.transcripts, s.id), "a viewed share is cached")
      return s
    }
    const a = await viewed("ses_h1")
    assert.equal((await call(app, "DELETE", `/api/share/${a.id}`, { body: { secret: a.secret } })).status, 200)
    assert.equal(await Cache.has(app.deps.transcripts, a.id), false, "after unshare")
    const b = await viewed("ses_h2")
    assert.equal((await call(app, "DELETE", `/api/admin/shares/${b.id}`, { headers: bearer(ADMIN_TOKEN) })).status, 200)
    assert.equal(await Cache.has(app.deps.transcripts, b.id), false, "after an admin takedown")
    const c = await viewed("ses_h3")
    assert.equal(
      (await call(app, "POST", `/api/share/${c.id}/redact`, { body: { secret: c.secret, literal: "private words" } }))
        .status,
      200,
    )
    assert.equal(await Cache.has(app.deps.transcripts, c.id), false, "after an owner takedown")
    const d = await viewed("ses_h4", "1h")
    now.advance(2 * 3_600_000)
    await Retention.sweep(app.deps)
    assert.equal(await Cache.has(app.deps.transcripts, d.id), false, "after expiry")
  })

  it("leaves no replaced or removed item content in the SQLite files after SCRUB_INTERVAL", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "agentshare-scrub-"))
    const path = join(dir, "h.db")
    const base = Config.defaults()
    const config = Config.defaults({
      port: 0,
      host: "127.0.0.1",
      databaseUrl: `sqlite://${path}`,
      limits: { ...base.limits, scrubIntervalMs: 300 },
    })
    const s = await Server.start(config, { log: Log.silent() })
    t.after(async () => {
      await s.close()
      rmSync(dir, { recursive: true, force: true })
    })
    const post = (p: string, body: unknown) =>
      fetch(s.url + p, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
    const share = (await (await post("/api/share", { sessionID: "ses_scrub" })).json()) as {
      id: string
      secret: string
    }
    const part = (id: string, text: string, end?: number) => ({
      type: "part",
      data: {
        id,
        sessionID: "ses_scrub",
        messageID: "msg_1",
        type: "text",
        text,
        time: end ? { start: 1, end } : { start: 1 },
      },
    })
    const old = `OLD-VALUE-${"o".repeat(3000)}`
    const gone = `REMOVED-VALUE-${"r".repeat(3000)}`
    assert.equal(
      (
        await post(`/api/share/${share.id}/sync`, {
          secret: share.secret,
          data: [part("prt_a", old), part("prt_b", gone)],
        })
      ).status,
      200,
    )
    const files = () => [path, `${path}-wal`].filter(existsSync).map((f) => readFileSync(f))
    assert.ok(
      files().some((b) => b.includes("OLD-VALUE-")),
      "the first value is on disk",
    )
    // The part is replaced by its finished version, the other one removed.
    assert.equal(
      (
        await post(`/api/share/${share.id}/sync`, {
          secret: share.secret,
          data: [part("prt_a", "new value", 2), { type: "remove", data: { key: "part/ses_scrub/msg_1/prt_b" } }],
        })
      ).status,
      200,
    )
    const deadline = Date.now() + 10_000
    let left = ["OLD-VALUE-", "REMOVED-VALUE-"]
    while (Date.now() < deadline) {
      left = ["OLD-VALUE-", "REMOVED-VALUE-"].filter((m) => files().some((b) => b.includes(m)))
      if (left.length === 0) break
      await new Promise((r) => setTimeout(r, 100))
    }
    assert.deepEqual(left, [], "replaced and removed content is gone from the database and its WAL")
  })
})
