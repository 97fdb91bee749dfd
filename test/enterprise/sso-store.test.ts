/** The SSO storage verbs on every backend (SQLite, and PostgreSQL when it can run here). */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { backends, type Opened } from "../support/backends.ts"

for (const backend of backends) {
  describe(`SSO store on ${backend.name}`, () => {
    let db: Opened
    before(async () => {
      db = await backend.open()
    })
    after(() => db.cleanup())

    const share = async (id: string, ownerID: string | null) => {
      await db.store.shares.create({ id, sessionID: `ses_${id}`, secretHash: "h", ownerID, createdAt: 1 })
    }

    it("stores a share's access, public by default", async () => {
      await share("s_access", null)
      const read = async () => {
        const found = await db.store.shares.find("s_access")
        assert.equal(found.state, "live")
        return found.state === "live" ? found.share.access : undefined
      }
      assert.equal(await read(), "public")
      assert.equal(await db.store.shares.setAccess("s_access", "sso"), true)
      assert.equal(await read(), "sso")
      assert.equal(await db.store.shares.setAccess("s_missing", "sso"), false)
    })

    it("links, adds tokens and merges owners: shares and old tokens follow", async () => {
      await db.store.owners.create({ id: "own_a", tokenHash: "ta", createdAt: 1 })
      await db.store.owners.create({ id: "own_b", tokenHash: "tb", createdAt: 1 })
      await share("s_a", "own_a")
      await share("s_b", "own_b")
      assert.equal(await db.store.owners.link("own_a", "iss alice", "alice@corp.example"), true)
      assert.equal(await db.store.owners.link("own_a", "iss other", null), false, "a linked owner stays linked")
      assert.equal((await db.store.owners.bySubject("iss alice"))?.id, "own_a")
      await db.store.owners.addToken("own_a", "ta2", 2)
      assert.equal((await db.store.owners.byToken("ta2"))?.id, "own_a")
      await db.store.owners.merge("own_b", "own_a", 3)
      assert.deepEqual((await db.store.shares.owned("own_a")).map((s) => s.id).sort(), ["s_a", "s_b"])
      assert.equal((await db.store.owners.byToken("tb"))?.id, "own_a", "the merged owner's token names the account")
      assert.equal((await db.store.owners.byToken("tb"))?.ssoSubject, "iss alice")
      assert.deepEqual(await db.store.shares.owned("own_b"), [])
    })

    it("creates an account owner with its subject", async () => {
      await db.store.owners.create({
        id: "own_c",
        tokenHash: "tc",
        createdAt: 1,
        ssoSubject: "iss carol",
        ssoEmail: "carol@corp.example",
      })
      const c = await db.store.owners.bySubject("iss carol")
      assert.deepEqual([c?.id, c?.ssoEmail], ["own_c", "carol@corp.example"])
      await assert.rejects(
        db.store.owners.create({
          id: "own_c2",
          tokenHash: "tc2",
          createdAt: 1,
          ssoSubject: "iss carol",
          ssoEmail: null,
        }),
        "one owner per subject",
      )
    })

    it("hands out a login code once, and never after it expires", async () => {
      const code = { subject: "iss alice", email: null, challenge: "c".repeat(43), run: "r".repeat(64) }
      await db.store.logins.saveCode("k1", code, 1000)
      const [a, b] = await Promise.all([db.store.logins.takeCode("k1", 10), db.store.logins.takeCode("k1", 10)])
      assert.equal([a, b].filter(Boolean).length, 1, "one of two concurrent redeemers wins")
      assert.deepEqual(a ?? b, code)
      await db.store.logins.saveCode("k2", code, 1000)
      assert.equal(await db.store.logins.takeCode("k2", 1000), undefined)
      assert.equal(await db.store.logins.takeCode("k2", 10), undefined, "an expired code is gone")
    })

    it("remembers a logged-out session until it would have expired", async () => {
      assert.equal(await db.store.logins.revoked("sid_a"), false)
      await db.store.logins.revoke("sid_a", 1000, 10)
      await db.store.logins.revoke("sid_a", 1000, 10)
      assert.equal(await db.store.logins.revoked("sid_a"), true, "revoking twice is no error")
      assert.equal(await db.store.logins.revoked("sid_b"), false)
      // Past its expiry the cookie is refused anyway: the next revoke drops the record.
      await db.store.logins.revoke("sid_b", 5000, 1000)
      assert.equal(await db.store.logins.revoked("sid_a"), false)
      assert.equal(await db.store.logins.revoked("sid_b"), true)
    })
  })
}
