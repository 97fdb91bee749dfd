import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { keyItem, type StoredItem, type SyncItem } from "../../src/schema/index.ts"
import { ShareTooLarge, type ShareRecord, type Store } from "../../src/store/index.ts"
import { backends } from "../support/backends.ts"
import { realShare } from "../support/fixtures.ts"

function stored(items: SyncItem[], root: string): StoredItem[] {
  return items.map((i) => {
    const k = keyItem(i, root)
    if (!k.ok) throw new Error(k.message)
    const { data, ...rest } = k.item
    return { ...rest, json: JSON.stringify(data ?? null) }
  })
}

let n = 0
const newShare = async (store: Store, sessionID: string, createdAt = 1000): Promise<ShareRecord> => {
  const id = `s_contract${++n}`
  await store.shares.create({ id, sessionID, secretHash: "00", ownerID: null, createdAt })
  const found = await store.shares.find(id)
  assert.equal(found.state, "live")
  return (found as { share: ShareRecord }).share
}

for (const backend of backends) {
  describe(`store contract: ${backend.name}`, () => {
    let store: Store
    let cleanup: () => Promise<void>
    before(async () => {
      ;({ store, cleanup } = await backend.open())
    })
    after(() => cleanup())

    it("finds live, gone and missing shares", async () => {
      const s = await newShare(store, "ses_a")
      assert.equal(s.seq, 0)
      assert.equal(s.itemCount, 0)
      assert.equal((await store.shares.find("s_none")).state, "missing")
      assert.equal(await store.shares.remove(s.id, 5000), true)
      const gone = await store.shares.find(s.id)
      assert.deepEqual(gone, { state: "gone", id: s.id, deletedAt: 5000, reason: "unshared" })
      assert.equal(await store.shares.remove(s.id, 6000), false)
    })

    it("stores the latest value per key and reads back in import order", async () => {
      const items = realShare()
      const root = items[0].data.id
      const s = await newShare(store, root)
      // Send it in reverse: order on the wire must not matter.
      const out = await store.shares.sync(s.id, stored([...items].reverse(), root), 2000, 1e9)
      assert.equal(out.accepted, items.length)
      assert.equal(out.seq, 1)
      const share = (await store.shares.find(s.id)) as { share: ShareRecord }
      assert.equal(share.share.itemCount, items.length)
      assert.equal(share.share.updatedAt, 2000)
      const rows = await store.shares.items(share.share)
      assert.deepEqual(
        rows.map((r) => r.type),
        items.map((i) => i.type),
      )
      assert.deepEqual(
        rows.map((r) => r.data),
        items.map((i) => (i.type === "model" ? (i.data as any[]).map(({ options, headers, ...m }) => m) : i.data)),
      )
    })

    it("counts bytes and items as values are replaced, and refuses to pass the share limit", async () => {
      const s = await newShare(store, "ses_b")
      const part = (text: string) => ({
        type: "part",
        data: { id: "prt_1", sessionID: "ses_b", messageID: "msg_1", type: "text", text },
      })
      const one = await store.shares.sync(s.id, stored([part("aaaa")], "ses_b"), 1, 1e9)
      const two = await store.shares.sync(s.id, stored([part("aaaaaaaa")], "ses_b"), 2, 1e9)
      assert.equal(two.bytes - one.bytes, 4)
      const live = (await store.shares.find(s.id)) as { share: ShareRecord }
      assert.equal(live.share.itemCount, 1)
      await assert.rejects(store.shares.sync(s.id, stored([part("x".repeat(1000))], "ses_b"), 3, 500), ShareTooLarge)
      const after = (await store.shares.find(s.id)) as { share: ShareRecord }
      assert.equal(after.share.seq, 2)
      assert.equal(
        (await store.shares.items(after.share))[0].data &&
          ((await store.shares.items(after.share))[0].data as any).text,
        "aaaaaaaa",
      )
    })

    it("skips stale values and reports what changed since a seq", async () => {
      const s = await newShare(store, "ses_c")
      const session = (updated: number) => ({
        type: "session",
        data: { id: "ses_c", title: `t${updated}`, time: { created: 1, updated } },
      })
      const msg = { type: "message", data: { id: "msg_1", sessionID: "ses_c", role: "user" } }
      await store.shares.sync(s.id, stored([session(10), msg], "ses_c"), 1, 1e9)
      const stale = await store.shares.sync(s.id, stored([session(5)], "ses_c"), 2, 1e9)
      assert.equal(stale.stale, 1)
      assert.equal(stale.accepted, 0)
      assert.equal(stale.seq, 1, "a sync that changed nothing does not bump seq")
      const next = await store.shares.sync(s.id, stored([session(11)], "ses_c"), 3, 1e9)
      assert.equal(next.seq, 2)
      const share = ((await store.shares.find(s.id)) as { share: ShareRecord }).share
      const changed = await store.shares.items(share, { since: 1 })
      assert.deepEqual(
        changed.map((r) => [r.key, r.seq]),
        [["session/ses_c", 2]],
      )
      assert.equal((changed[0].data as any).title, "t11")
    })

    it("removes keys with a remove item", async () => {
      const s = await newShare(store, "ses_d")
      const msg = { type: "message", data: { id: "msg_1", sessionID: "ses_d", role: "user" } }
      await store.shares.sync(s.id, stored([msg], "ses_d"), 1, 1e9)
      const out = await store.shares.sync(
        s.id,
        stored([{ type: "remove", data: { key: "message/ses_d/msg_1" } }], "ses_d"),
        2,
        1e9,
      )
      assert.equal(out.accepted, 1)
      const share = ((await store.shares.find(s.id)) as { share: ShareRecord }).share
      assert.equal(share.itemCount, 0)
      assert.equal(share.bytes, 0)
      assert.deepEqual(await store.shares.items(share), [])
    })

    it("orders the root session first, then subagent sessions", async () => {
      const s = await newShare(store, "ses_z")
      const items: SyncItem[] = [
        { type: "message", data: { id: "msg_2", sessionID: "ses_a_child", role: "user" } },
        { type: "session", data: { id: "ses_a_child", parentID: "ses_z" } },
        { type: "part", data: { id: "prt_1", sessionID: "ses_z", messageID: "msg_1", type: "text", text: "x" } },
        { type: "message", data: { id: "msg_1", sessionID: "ses_z", role: "user" } },
        { type: "session", data: { id: "ses_z" } },
      ]
      await store.shares.sync(s.id, stored(items, "ses_z"), 1, 1e9)
      const share = ((await store.shares.find(s.id)) as { share: ShareRecord }).share
      assert.deepEqual(
        (await store.shares.items(share)).map((r) => r.key),
        [
          "session/ses_z",
          "message/ses_z/msg_1",
          "part/ses_z/msg_1/prt_1",
          "session/ses_a_child",
          "message/ses_a_child/msg_2",
        ],
      )
    })

    it("lists a session's live shares newest first", async () => {
      const a = await newShare(store, "ses_e", 100)
      const b = await newShare(store, "ses_e", 200)
      assert.deepEqual(
        (await store.shares.bySession("ses_e")).map((s) => s.id),
        [b.id, a.id],
      )
      assert.deepEqual(
        (await store.shares.bySession("ses_e", 150)).map((s) => s.id),
        [b.id],
      )
      await store.shares.remove(b.id, 300)
      assert.deepEqual(
        (await store.shares.bySession("ses_e")).map((s) => s.id),
        [a.id],
      )
    })

    it("serialises concurrent syncs to one share without losing any", async () => {
      const s = await newShare(store, "ses_f")
      const part = (i: number) => ({
        type: "part",
        data: {
          id: `prt_${String(i).padStart(4, "0")}`,
          sessionID: "ses_f",
          messageID: "msg_1",
          type: "text",
          text: `p${i}`,
        },
      })
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => store.shares.sync(s.id, stored([part(i)], "ses_f"), i, 1e9)),
      )
      const share = ((await store.shares.find(s.id)) as { share: ShareRecord }).share
      assert.equal(share.itemCount, 40)
      assert.equal(share.seq, 40)
      assert.equal((await store.shares.items(share)).length, 40)
    })
  })
}
