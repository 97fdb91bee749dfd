import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { OwnedSharesResponse, OwnerResponse } from "../../src/schema/index.ts"
import { testApp, type TestApp } from "../support/app.ts"

describe("owner API", () => {
  let t: TestApp
  before(async () => {
    t = await testApp()
  })
  after(async () => {
    await t.close()
  })

  const call = (method: string, path: string, token?: string, body?: unknown) =>
    t.app.request(path, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  const owner = async () => OwnerResponse.parse(await (await call("POST", "/api/owner", undefined, {})).json())
  const create = async (sessionID: string, token?: string) =>
    (await (await call("POST", "/api/share", token, { sessionID })).json()) as { id: string; secret: string }
  const list = async (token: string) =>
    OwnedSharesResponse.parse(await (await call("GET", "/api/owner/shares", token)).json()).shares

  it("issues a token and stores only its hash", async () => {
    const res = await call("POST", "/api/owner", undefined, {})
    assert.equal(res.status, 201)
    const o = OwnerResponse.parse(await res.json())
    assert.match(o.token, /^agsh_/)
    const row = await t.deps.store.owners.byToken(o.token)
    assert.equal(row, undefined, "the raw token must not be a stored value")
    const { readFileSync } = await import("node:fs")
    assert.ok(!readFileSync(t.dbPath).includes(Buffer.from(o.token)), "the token must not appear in the database file")
  })

  it("lists the shares created with the token, with their titles, and nobody else's", async () => {
    const a = await owner()
    const b = await owner()
    const s1 = await create("ses_o1", a.token)
    const s2 = await create("ses_o2", a.token)
    const other = await create("ses_o3", b.token)
    await create("ses_o4")
    const sync = await call("POST", `/api/share/${s1.id}/sync`, undefined, {
      secret: s1.secret,
      data: [{ type: "session", data: { id: "ses_o1", title: "First", time: { updated: 1 } } }],
    })
    assert.equal(sync.status, 200)
    const mine = await list(a.token)
    assert.deepEqual(mine.map((s) => s.id).sort(), [s1.id, s2.id].sort())
    assert.equal(mine.find((s) => s.id === s1.id)?.title, "First")
    assert.equal(mine.find((s) => s.id === s2.id)?.title, null)
    assert.deepEqual(
      (await list(b.token)).map((s) => s.id),
      [other.id],
    )
  })

  it("refuses a missing or unknown token", async () => {
    assert.equal((await call("GET", "/api/owner/shares")).status, 401)
    assert.equal((await call("GET", "/api/owner/shares", "agsh_nope")).status, 401)
    assert.equal((await call("POST", "/api/share", "agsh_nope", { sessionID: "ses_x" })).status, 401)
  })

  it("keeps stock clients (no token) working", async () => {
    const res = await call("POST", "/api/share", undefined, { sessionID: "ses_stock" })
    assert.equal(res.status, 201)
  })

  it("deletes one share without its secret, but not another owner's", async () => {
    const a = await owner()
    const b = await owner()
    const mine = await create("ses_d1", a.token)
    const theirs = await create("ses_d2", b.token)
    assert.equal((await call("DELETE", `/api/owner/shares/${theirs.id}`, a.token)).status, 404)
    assert.equal((await call("GET", `/api/share/${theirs.id}/data`)).status, 200)
    const res = await call("DELETE", `/api/owner/shares/${mine.id}`, a.token)
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { removed: [mine.id] })
    assert.equal((await call("GET", `/api/share/${mine.id}/data`)).status, 410)
  })

  it("deletes in bulk, by ids or all, only the owner's shares", async () => {
    const a = await owner()
    const b = await owner()
    const [x, y, z] = [
      await create("ses_b1", a.token),
      await create("ses_b2", a.token),
      await create("ses_b3", a.token),
    ]
    const theirs = await create("ses_b4", b.token)
    const some = await call("DELETE", "/api/owner/shares", a.token, { ids: [x.id, theirs.id] })
    assert.deepEqual(await some.json(), { removed: [x.id] })
    const all = (await (await call("DELETE", "/api/owner/shares", a.token, { all: true })).json()) as {
      removed: string[]
    }
    assert.deepEqual(all.removed.sort(), [y.id, z.id].sort())
    assert.deepEqual(await list(a.token), [])
    assert.equal((await list(b.token)).length, 1)
  })

  it("claims an ownerless share with its secret, once", async () => {
    const a = await owner()
    const b = await owner()
    const stock = await create("ses_c1")
    assert.equal((await call("POST", `/api/owner/shares/${stock.id}/claim`, a.token, { secret: "wrong" })).status, 403)
    assert.equal(
      (await call("POST", `/api/owner/shares/${stock.id}/claim`, a.token, { secret: stock.secret })).status,
      200,
    )
    assert.equal(
      (await call("POST", `/api/owner/shares/${stock.id}/claim`, a.token, { secret: stock.secret })).status,
      200,
    )
    assert.equal(
      (await call("POST", `/api/owner/shares/${stock.id}/claim`, b.token, { secret: stock.secret })).status,
      409,
    )
    assert.deepEqual(
      (await list(a.token)).map((s) => s.id),
      [stock.id],
    )
  })
})
