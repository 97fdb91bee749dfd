/**
 * The one Actor rule (src/server/http/actor.ts): every owner action on a share (redact, expiry,
 * access, delete) takes the same credentials and records the same actor for them.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { bearer, call, create, enterpriseApp, sync } from "../enterprise/support.ts"

const IP = "203.0.113.40"

type Action = {
  name: string
  method: string
  path: (id: string) => string
  body: Record<string, unknown>
  audited: string
}

const ACTIONS: Action[] = [
  {
    name: "redact",
    method: "POST",
    path: (id) => `/api/share/${id}/redact`,
    body: { literal: "zebra-7731-internal" },
    audited: "redacted",
  },
  {
    name: "expiry",
    method: "POST",
    path: (id) => `/api/share/${id}/expiry`,
    body: { expiresIn: "2h" },
    audited: "expiry_changed",
  },
  {
    name: "access",
    method: "POST",
    path: (id) => `/api/share/${id}/access`,
    body: { access: "public" },
    audited: "policy_changed",
  },
  { name: "delete", method: "DELETE", path: (id) => `/api/share/${id}`, body: {}, audited: "unshared" },
]

describe("the one Actor rule", () => {
  for (const action of ACTIONS) {
    it(`${action.name}: the secret acts as the share's owner (or its client), the owner's token as the owner, nobody else`, async (t) => {
      const app = await enterpriseApp()
      t.after(() => app.close())
      const owner = (await (await call(app, "POST", "/api/owner")).json()) as { ownerID: string; token: string }
      const other = (await (await call(app, "POST", "/api/owner")).json()) as { ownerID: string; token: string }
      const audited = async (shareID: string) =>
        (await app.deps.store.audit.query({ action: action.audited, shareID, limit: 10 })).map((e) => [
          e.actorKind,
          e.actorID,
          e.ipHash !== null,
        ])
      const fresh = async (sessionID: string, headers: Record<string, string> = {}) => {
        const s = await create(app, { sessionID, headers })
        assert.equal((await sync(app, s, "the code is zebra-7731-internal", { sessionID })).status, 200)
        return s
      }
      const send = (id: string, extra: Record<string, unknown>, headers: Record<string, string> = {}) =>
        call(app, action.method, action.path(id), { ip: IP, body: { ...action.body, ...extra }, headers })

      // Neither credential: 401. A wrong secret, or another owner's token: 403. Nothing recorded.
      const owned = await fresh("ses_a1", bearer(owner.token))
      assert.equal((await send(owned.id, {})).status, 401)
      assert.equal((await send(owned.id, { secret: "not-the-secret" })).status, 403)
      assert.equal((await send(owned.id, {}, bearer(other.token))).status, 403)
      assert.deepEqual(await audited(owned.id), [])
      // The secret of an owned share acts as its owner, from the request's address.
      assert.equal((await send(owned.id, { secret: owned.secret })).status, 200)
      assert.deepEqual(await audited(owned.id), [["owner", owner.ownerID, true]])
      // The owner's token acts as the owner.
      const byToken = await fresh("ses_a2", bearer(owner.token))
      assert.equal((await send(byToken.id, {}, bearer(owner.token))).status, 200)
      assert.deepEqual(await audited(byToken.id), [["owner", owner.ownerID, true]])
      // The secret of a share without an owner acts as its client.
      const stock = await fresh("ses_a3")
      assert.equal((await send(stock.id, { secret: stock.secret })).status, 200)
      assert.deepEqual(await audited(stock.id), [["client", null, true]])
    })
  }
})
