/**
 * The double-create "twin" rule under attack: session ids are public, so a stranger who creates
 * an empty share for someone else's session must never read, write or redirect to that share.
 * Twins are only the stock client's own two concurrent creates (same address and user agent,
 * a few seconds apart, while both are still empty).
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { realShare } from "../support/fixtures.ts"
import { call, clock, create, enterpriseApp } from "../enterprise/support.ts"
import { backends } from "../support/backends.ts"

const VICTIM = "198.51.100.10"
const STRANGER = "203.0.113.66"
const UA = { "user-agent": "opencode/1.18.33" }

function syncBody(secret: string, items: ReturnType<typeof realShare>) {
  return { secret, data: items }
}

for (const backend of backends) {
  describe(`twins on ${backend.name}`, () => {
    it("pairs the stock client's two concurrent creates: the empty one shows its twin's session", async (t) => {
      const app = await enterpriseApp({}, Date.now, backend)
      t.after(() => app.close())
      const items = realShare()
      const sid = items[0]!.data.id as string
      const [a, b] = await Promise.all([
        create(app, { sessionID: sid, ip: VICTIM, headers: UA }),
        create(app, { sessionID: sid, ip: VICTIM, headers: UA }),
      ])
      assert.equal(
        (await call(app, "POST", `/api/share/${a.id}/sync`, { ip: VICTIM, body: syncBody(a.secret, items) })).status,
        200,
      )
      const data = (await (await call(app, "GET", `/api/share/${b.id}/data`, { ip: VICTIM })).json()) as unknown[]
      assert.equal(data.length, items.length)
      const page = await (await call(app, "GET", `/share/${b.id}`)).text()
      assert.ok(page.includes(items[0]!.data.title as string))
    })

    it("never shows a stranger's empty share the content of a share of the same session", async (t) => {
      const app = await enterpriseApp({}, Date.now, backend)
      t.after(() => app.close())
      const items = realShare()
      const sid = items[0]!.data.id as string
      // The victim's auto-mode pair, and a stranger racing in within the same second.
      const victim = await create(app, { sessionID: sid, ip: VICTIM, headers: UA })
      const stranger = await create(app, { sessionID: sid, ip: STRANGER, headers: UA })
      assert.equal(
        (await call(app, "POST", `/api/share/${victim.id}/sync`, { ip: VICTIM, body: syncBody(victim.secret, items) }))
          .status,
        200,
      )
      for (const path of [`/api/share/${stranger.id}/data`, `/api/shares/${stranger.id}/data`]) {
        assert.deepEqual(await (await call(app, "GET", path)).json(), [], path)
      }
      const json = (await (await call(app, "GET", `/share/${stranger.id}.json`)).json()) as { items: unknown[] }
      assert.equal(json.items.length, 0)
      const title = items[0]!.data.title as string
      for (const path of [`/share/${stranger.id}`, `/share/${stranger.id}.md`, `/share/${stranger.id}/fragment`]) {
        assert.ok(!(await (await call(app, "GET", path)).text()).includes(title), path)
      }
    })

    it("does not pair creates from the same address with different user agents", async (t) => {
      const app = await enterpriseApp({}, Date.now, backend)
      t.after(() => app.close())
      const items = realShare()
      const sid = items[0]!.data.id as string
      const victim = await create(app, { sessionID: sid, ip: VICTIM, headers: UA })
      const other = await create(app, { sessionID: sid, ip: VICTIM, headers: { "user-agent": "curl/8" } })
      await call(app, "POST", `/api/share/${victim.id}/sync`, { ip: VICTIM, body: syncBody(victim.secret, items) })
      assert.deepEqual(await (await call(app, "GET", `/api/share/${other.id}/data`)).json(), [])
    })

    it("does not pair a create with a share that already holds data", async (t) => {
      const app = await enterpriseApp({}, Date.now, backend)
      t.after(() => app.close())
      const items = realShare()
      const sid = items[0]!.data.id as string
      const victim = await create(app, { sessionID: sid, ip: VICTIM, headers: UA })
      await call(app, "POST", `/api/share/${victim.id}/sync`, { ip: VICTIM, body: syncBody(victim.secret, items) })
      // Same address (an office NAT), same client, within seconds: but the victim has data now.
      const late = await create(app, { sessionID: sid, ip: VICTIM, headers: UA })
      assert.deepEqual(await (await call(app, "GET", `/api/share/${late.id}/data`)).json(), [])
    })

    it("does not pair creates further apart than DOUBLE_CREATE_WINDOW", async (t) => {
      const now = clock()
      const app = await enterpriseApp({}, now, backend)
      t.after(() => app.close())
      const items = realShare()
      const sid = items[0]!.data.id as string
      const a = await create(app, { sessionID: sid, ip: VICTIM, headers: UA })
      now.advance(app.deps.config.doubleCreateWindowMs + 1)
      const b = await create(app, { sessionID: sid, ip: VICTIM, headers: UA })
      await call(app, "POST", `/api/share/${a.id}/sync`, { ip: VICTIM, body: syncBody(a.secret, items) })
      assert.deepEqual(await (await call(app, "GET", `/api/share/${b.id}/data`)).json(), [])
    })

    it("keeps every write on the share its URL names: a twin's redact cannot touch its source", async (t) => {
      const app = await enterpriseApp({}, Date.now, backend)
      t.after(() => app.close())
      const items = realShare()
      const sid = items[0]!.data.id as string
      const [a, b] = await Promise.all([
        create(app, { sessionID: sid, ip: VICTIM, headers: UA }),
        create(app, { sessionID: sid, ip: VICTIM, headers: UA }),
      ])
      await call(app, "POST", `/api/share/${a.id}/sync`, { ip: VICTIM, body: syncBody(a.secret, items) })
      const title = items[0]!.data.title as string
      // The twin's secret redacts nothing of its source.
      const r = await call(app, "POST", `/api/share/${b.id}/redact`, { body: { secret: b.secret, literal: title } })
      assert.equal(r.status, 404)
      const source = (await (await call(app, "GET", `/api/share/${a.id}/data`)).json()) as {
        data: { title?: string }
      }[]
      assert.ok(source.some((i) => i.data.title === title))
      // ...and the owner's later syncs are still stored.
      const renamed = {
        ...items[0]!,
        data: { ...items[0]!.data, title: "renamed", time: { ...(items[0]!.data.time as object), updated: 9e12 } },
      }
      const s = (await (
        await call(app, "POST", `/api/share/${a.id}/sync`, { body: syncBody(a.secret, [renamed]) })
      ).json()) as { accepted: number }
      assert.equal(s.accepted, 1)
    })

    it("serves a twin's content under the stricter access of the two", async (t) => {
      const app = await enterpriseApp({}, Date.now, backend)
      t.after(() => app.close())
      // SSO needs a provider configured for `access: sso`; set one that is never contacted.
      app.deps.config.auth = {
        ...app.deps.config.auth,
        oidc: {
          issuer: "http://127.0.0.1:9",
          clientId: "x",
          clientSecret: undefined,
          scopes: "openid",
          allowedDomains: [],
          requiredGroup: undefined,
          groupsClaim: "groups",
        },
      }
      const items = realShare()
      const sid = items[0]!.data.id as string
      const [a, b] = await Promise.all([
        create(app, { sessionID: sid, ip: VICTIM, headers: UA }),
        create(app, { sessionID: sid, ip: VICTIM, headers: UA }),
      ])
      assert.equal(
        (await call(app, "POST", `/api/share/${a.id}/access`, { body: { secret: a.secret, access: "sso" } })).status,
        200,
      )
      await call(app, "POST", `/api/share/${a.id}/sync`, { ip: VICTIM, body: syncBody(a.secret, items) })
      for (const path of [
        `/api/share/${b.id}/data`,
        `/share/${b.id}.json`,
        `/share/${b.id}.md`,
        `/share/${b.id}/events`,
        `/share/${b.id}/fragment`,
      ]) {
        assert.equal((await call(app, "GET", path)).status, 401, path)
      }
      assert.equal((await call(app, "GET", `/share/${b.id}`)).status, 302)
    })
  })
}
