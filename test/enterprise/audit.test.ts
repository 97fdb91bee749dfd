/** The audit log: an entry for every action, bursts of syncs, filters, JSON Lines export, and
 * never any content, secret, token or raw IP in any entry. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Analytics from "../../src/server/governance/analytics.ts"
import * as Retention from "../../src/server/governance/retention.ts"
import { backends } from "../support/backends.ts"
import { ADMIN_TOKEN, bearer, call, clock, create, enterpriseApp, sync } from "./support.ts"

const M = 60_000
const SECRET_TEXT = "the quarterly numbers are 4242 and the password is hunter2-zebra"
const IP_A = "203.0.113.77"
const IP_B = "198.51.100.23"

type Line = {
  id: number
  at: string
  action: string
  shareID: string | null
  actor: { kind: string; id: string | null }
  ipHash: string | null
  detail: Record<string, unknown> | null
}

async function exported(
  app: Awaited<ReturnType<typeof enterpriseApp>>,
  query = "",
): Promise<{ text: string; lines: Line[] }> {
  const res = await call(app, "GET", `/api/admin/audit${query}`, { headers: bearer(ADMIN_TOKEN) })
  assert.equal(res.status, 200)
  assert.match(res.headers.get("content-type") ?? "", /^application\/jsonl/)
  const text = await res.text()
  return {
    text,
    lines: text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line),
  }
}

for (const backend of backends) {
  describe(`audit log on ${backend.name}`, () => {
    it("records every action with its actor and a keyed hash of the IP, and nothing else", async (t) => {
      const now = clock()
      const app = await enterpriseApp({ adminToken: ADMIN_TOKEN, syncBurstGapMs: 10 * M }, now, backend)
      t.after(() => app.close())
      const owner = (await (await call(app, "POST", "/api/owner", { ip: IP_A })).json()) as {
        ownerID: string
        token: string
      }
      // created (by a stock client, and by an owner)
      const anon = await create(app, { ip: IP_B, sessionID: "ses_anon" })
      const mine = await create(app, { ip: IP_A, headers: bearer(owner.token), expiresIn: "1d" })
      // a burst of three syncs a minute apart, then another burst after a pause
      for (let i = 0; i < 3; i++) {
        assert.equal((await sync(app, mine, SECRET_TEXT, { ip: IP_A })).status, 200)
        now.advance(M)
      }
      now.advance(20 * M)
      assert.equal((await sync(app, mine, `${SECRET_TEXT} again`, { ip: IP_A })).status, 200)
      // viewed: twice today is one entry
      assert.equal((await call(app, "GET", `/share/${mine.id}`, { ip: IP_B })).status, 200)
      assert.equal((await call(app, "GET", `/share/${mine.id}`, { ip: IP_B })).status, 200)
      // redacted, expiry changed
      assert.equal(
        (
          await call(app, "POST", `/api/share/${mine.id}/redact`, {
            ip: IP_A,
            body: { literal: "hunter2-zebra" },
            headers: bearer(owner.token),
          })
        ).status,
        200,
      )
      assert.equal(
        (
          await call(app, "POST", `/api/share/${mine.id}/expiry`, {
            ip: IP_A,
            body: { secret: mine.secret, expiresIn: "2h" },
          })
        ).status,
        200,
      )
      // unshared (by secret, and by the owner)
      assert.equal(
        (await call(app, "DELETE", `/api/share/${anon.id}`, { ip: IP_B, body: { secret: anon.secret } })).status,
        200,
      )
      const other = await create(app, { ip: IP_A, headers: bearer(owner.token), sessionID: "ses_other" })
      assert.equal(
        (await call(app, "DELETE", `/api/owner/shares/${other.id}`, { ip: IP_A, headers: bearer(owner.token) })).status,
        200,
      )
      // taken down, policy changed, purged, login and logout by the admin
      const bad = await create(app, { ip: IP_B, sessionID: "ses_bad" })
      assert.equal(
        (await call(app, "DELETE", `/api/admin/shares/${bad.id}`, { ip: IP_A, headers: bearer(ADMIN_TOKEN) })).status,
        200,
      )
      assert.equal(
        (
          await call(app, "PUT", "/api/admin/policy", {
            ip: IP_A,
            body: { killSwitch: true },
            headers: bearer(ADMIN_TOKEN),
          })
        ).status,
        200,
      )
      const login = await call(app, "POST", "/admin/login", {
        ip: IP_A,
        body: `token=${ADMIN_TOKEN}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      })
      assert.equal(login.status, 303)
      // expired: the share's 2h run out, the purge job deletes it (and closes the open burst)
      now.advance(3 * 60 * M)
      assert.equal(
        (await call(app, "POST", "/api/admin/purge", { ip: IP_A, headers: bearer(ADMIN_TOKEN) })).status,
        200,
      )

      await Analytics.flush(app.deps)
      const { text, lines } = await exported(app)
      const actions = lines.map((l) => l.action)
      for (const action of [
        "created",
        "sync_first",
        "sync_last",
        "viewed",
        "unshared",
        "expired",
        "expiry_changed",
        "redacted",
        "taken_down",
        "policy_changed",
        "login",
        "purged",
      ]) {
        assert.ok(actions.includes(action), `an entry for ${action} (got ${actions.join(", ")})`)
      }
      const of = (action: string, shareID?: string) =>
        lines.filter((l) => l.action === action && (shareID === undefined || l.shareID === shareID))
      assert.equal(of("created", anon.id)[0]?.actor.kind, "client")
      assert.deepEqual(of("created", mine.id)[0]?.actor, { kind: "owner", id: owner.ownerID })
      // Bursts: first and last sync of each, not the syncs between.
      assert.equal(of("sync_first", mine.id).length, 2)
      const lasts = of("sync_last", mine.id)
      assert.deepEqual(
        lasts.map((l) => l.detail?.syncs),
        [3, 1],
      )
      assert.equal(
        lasts[0]?.detail?.syncAt,
        Date.UTC(2026, 10, 22, 12, 2, 0),
        "the first burst ended with its third sync",
      )
      assert.equal(of("viewed", mine.id).length, 1, "views are audited once per share per day")
      assert.deepEqual(
        of("unshared")
          .map((l) => l.actor.kind)
          .sort(),
        ["client", "owner"],
      )
      assert.deepEqual(of("taken_down")[0]?.actor, { kind: "admin", id: "token" })
      assert.deepEqual(of("policy_changed")[0]?.detail, { setting: "kill_switch", value: "on" })
      assert.deepEqual(
        of("expired").map((l) => l.shareID),
        [mine.id],
      )
      assert.deepEqual(of("redacted")[0]?.detail, { items: 1, replaced: 1 })
      // The same address hashes alike, different ones differently; system entries have none.
      const hashA = of("created", mine.id)[0]?.ipHash
      const hashB = of("created", anon.id)[0]?.ipHash
      assert.match(hashA ?? "", /^[0-9a-f]{32}$/)
      assert.notEqual(hashA, hashB)
      assert.equal(of("taken_down")[0]?.ipHash, hashA)
      assert.equal(of("expired")[0]?.ipHash, null)
      // Nothing an entry must never hold.
      for (const forbidden of [
        SECRET_TEXT,
        "hunter2",
        "4242",
        "Enterprise title",
        mine.secret,
        anon.secret,
        owner.token,
        ADMIN_TOKEN,
        IP_A,
        IP_B,
      ]) {
        assert.ok(!text.includes(forbidden), `the audit log holds ${forbidden}`)
      }
    })

    it("filters by action, share, actor and time, and pages with after", async (t) => {
      const now = clock()
      const app = await enterpriseApp({ adminToken: ADMIN_TOKEN }, now, backend)
      t.after(() => app.close())
      const owner = (await (await call(app, "POST", "/api/owner")).json()) as { ownerID: string; token: string }
      const a = await create(app, { sessionID: "ses_a" })
      now.advance(24 * 60 * M)
      const b = await create(app, { sessionID: "ses_b", headers: bearer(owner.token) })
      await sync(app, b, "x", { sessionID: "ses_b" })
      assert.deepEqual(
        (await exported(app, "?action=created")).lines.map((l) => l.shareID),
        [a.id, b.id],
      )
      assert.deepEqual(
        (await exported(app, `?share=${b.id}`)).lines.map((l) => l.action),
        ["created", "sync_first"],
      )
      assert.deepEqual(
        (await exported(app, `?actor=owner&actorId=${owner.ownerID}`)).lines.map((l) => l.shareID),
        [b.id, b.id],
      )
      assert.deepEqual(
        (await exported(app, "?from=2026-11-23")).lines.map((l) => l.shareID),
        [b.id, b.id],
      )
      assert.deepEqual(
        (await exported(app, "?to=2026-11-22")).lines.map((l) => l.shareID),
        [a.id],
      )
      const first = (await exported(app, "?limit=1")).lines
      assert.equal(first.length, 1)
      assert.deepEqual(
        (await exported(app, `?after=${first[0]?.id}`)).lines.map((l) => l.action),
        ["created", "sync_first"],
      )
      for (const bad of ["?action=nope", "?actor=robot", "?from=yesterday", "?after=x"]) {
        const res = await call(app, "GET", `/api/admin/audit${bad}`, { headers: bearer(ADMIN_TOKEN) })
        assert.equal(res.status, 400, bad)
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, "invalid_query")
      }
    })

    it("records the last sync of a burst once the gap has passed, from the purge job", async (t) => {
      const now = clock()
      const app = await enterpriseApp({ adminToken: ADMIN_TOKEN, syncBurstGapMs: 5 * M }, now, backend)
      t.after(() => app.close())
      const s = await create(app)
      await sync(app, s, "one")
      now.advance(M)
      await sync(app, s, "two")
      now.advance(4 * M)
      await Retention.sweep(app.deps)
      assert.equal((await exported(app, "?action=sync_last")).lines.length, 0, "the burst is still open")
      now.advance(2 * M)
      await Retention.sweep(app.deps)
      const lasts = (await exported(app, "?action=sync_last")).lines
      assert.equal(lasts.length, 1)
      assert.equal(lasts[0]?.detail?.syncs, 2)
      await Retention.sweep(app.deps)
      assert.equal((await exported(app, "?action=sync_last")).lines.length, 1, "recorded once")
    })
  })
}
