import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { keyItem } from "../../src/schema/index.ts"
import { backends, type Opened } from "../support/backends.ts"

for (const backend of backends) {
  describe(`owner verbs on ${backend.name}`, () => {
    let db: Opened
    before(async () => {
      db = await backend.open()
    })
    after(async () => {
      await db.cleanup()
    })
    const share = (id: string, sessionID: string, ownerID: string | null) =>
      db.store.shares.create({ id, sessionID, secretHash: "h", ownerID, createdAt: Number(id.slice(-1)) })

    it("finds an owner only by its token hash", async () => {
      await db.store.owners.create({ id: "own_a", tokenHash: "hash-a", createdAt: 1 })
      assert.deepEqual(await db.store.owners.byToken("hash-a"), {
        id: "own_a",
        tokenHash: "hash-a",
        createdAt: 1,
        ssoSubject: null,
        ssoEmail: null,
      })
      assert.equal(await db.store.owners.byToken("hash-b"), undefined)
    })

    it("lists an owner's live shares newest first with the root session's title", async () => {
      await db.store.owners.create({ id: "own_b", tokenHash: "hash-b2", createdAt: 1 })
      await share("s_1", "ses_1", "own_a")
      await share("s_2", "ses_2", "own_a")
      await share("s_3", "ses_3", "own_b")
      const k = keyItem({ type: "session", data: { id: "ses_1", title: "One", time: { updated: 5 } } }, "ses_1")
      assert.ok(k.ok)
      const { data, ...item } = k.item
      // The server reads the title at sync time; the store keeps it with the share.
      await db.store.shares.sync("s_1", [{ ...item, json: JSON.stringify(data) }], 10, 1e9, {
        title: { key: item.key, value: "One" },
      })
      const owned = await db.store.shares.owned("own_a")
      assert.deepEqual(
        owned.map((s) => [s.id, s.title]),
        [
          ["s_2", null],
          ["s_1", "One"],
        ],
      )
      await db.store.shares.remove("s_2", 11)
      assert.deepEqual(
        (await db.store.shares.owned("own_a")).map((s) => s.id),
        ["s_1"],
      )
      assert.deepEqual(
        (await db.store.shares.owned("own_b")).map((s) => s.id),
        ["s_3"],
      )
    })

    it("claims only an ownerless share or one already owned", async () => {
      await share("s_4", "ses_4", null)
      assert.equal(await db.store.shares.claim("s_4", "own_b"), true)
      assert.equal(await db.store.shares.claim("s_4", "own_b"), true)
      assert.equal(await db.store.shares.claim("s_4", "own_a"), false)
      assert.equal(await db.store.shares.claim("s_missing", "own_a"), false)
      assert.deepEqual((await db.store.shares.owned("own_b")).map((s) => s.id).sort(), ["s_3", "s_4"])
    })
  })
}
