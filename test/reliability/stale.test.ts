/**
 * Property: however overlapping batches are reordered on the way, a key ends up holding its
 * newest value (by the rule in docs/PROTOCOL.md), never an older one that arrived late.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import fc from "fast-check"
import { keyItem, type StoredItem, type SyncItem } from "../../src/schema/index.ts"
import type { ShareRecord, Store } from "../../src/store/index.ts"
import { backends } from "../support/backends.ts"

const SID = "ses_prop"

/** The successive values OpenCode sends for one key, oldest first, each strictly newer. */
function versions(kind: number, steps: number): SyncItem[] {
  const out: SyncItem[] = []
  for (let i = 0; i < steps; i++) {
    const last = i === steps - 1
    if (kind === 0) {
      // A tool part: pending, running with growing output, then completed.
      const status = i === 0 ? "pending" : last ? "completed" : "running"
      out.push({
        type: "part",
        data: {
          id: "prt_tool",
          sessionID: SID,
          messageID: "msg_1",
          type: "tool",
          tool: "bash",
          callID: "c",
          state: {
            status,
            input: {},
            metadata: { output: "x".repeat(i) },
            time: last ? { start: 1, end: 2 } : { start: 1 },
          },
          v: i,
        },
      })
    } else if (kind === 1) {
      // Streaming text: growing, then finished.
      out.push({
        type: "part",
        data: {
          id: "prt_text",
          sessionID: SID,
          messageID: "msg_1",
          type: "text",
          text: "y".repeat(i + 1),
          time: last ? { start: 1, end: 9 } : { start: 1 },
          v: i,
        },
      })
    } else if (kind === 2) {
      out.push({
        type: "session",
        data: { id: SID, title: `title ${i}`, time: { created: 1, updated: 100 + i }, v: i },
      })
    } else {
      // An assistant message: streaming, then completed.
      out.push({
        type: "message",
        data: {
          id: "msg_2",
          sessionID: SID,
          role: "assistant",
          tokens: { input: i },
          time: last ? { created: 1, completed: 50 } : { created: 1 },
          v: i,
        },
      })
    }
  }
  // Equal ranks replace (later arrival wins): keep only versions whose rank is strictly higher.
  return out.filter((item, i) => i === out.length - 1 || rankOf(item) < rankOf(out[i + 1]))
}

function rankOf(item: SyncItem): string {
  const k = keyItem(item, SID)
  if (!k.ok) throw new Error(k.message)
  return k.item.rank
}

const toStored = (items: SyncItem[]): StoredItem[] =>
  items.map((i) => {
    const k = keyItem(i, SID)
    if (!k.ok) throw new Error(k.message)
    const { data, ...rest } = k.item
    return { ...rest, json: JSON.stringify(data) }
  })

for (const backend of backends) {
  describe(`stale values never win (${backend.name})`, () => {
    let store: Store
    let cleanup: () => Promise<void>
    before(async () => {
      ;({ store, cleanup } = await backend.open())
    })
    after(() => cleanup())

    let n = 0
    it("keeps the newest value of every key under random interleavings of overlapping batches", async () => {
      const runs = backend.name === "sqlite" ? 150 : 40
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ kind: fc.integer({ min: 0, max: 3 }), steps: fc.integer({ min: 2, max: 6 }) }), {
            minLength: 1,
            maxLength: 4,
          }),
          fc.integer({ min: 1, max: 4 }),
          fc.infiniteStream(fc.integer({ min: 0, max: 1_000_000 })),
          fc.boolean(),
          async (keys, perBatch, randoms, concurrent) => {
            const id = `s_prop${++n}`
            await store.shares.create({ id, sessionID: SID, secretHash: "00", ownerID: null, createdAt: 1 })
            // Each key's versions; batches take consecutive versions the way the client's
            // flushes do (a batch may repeat a version an earlier batch carried).
            const byKey = new Map<string, SyncItem[]>()
            for (const k of keys) byKey.set(String(k.kind), versions(k.kind, k.steps))
            const all = [...byKey.values()].flat()
            const batches: SyncItem[][] = []
            for (let i = 0; i < all.length; i += perBatch) batches.push(all.slice(Math.max(0, i - 1), i + perBatch))
            // Deliver the batches in a random order, sequentially or all at once.
            const r = randoms[Symbol.iterator]()
            const order = batches
              .map((b) => ({ b, key: r.next().value as number }))
              .sort((a, b) => a.key - b.key)
              .map((x) => x.b)
            if (concurrent) await Promise.all(order.map((b) => store.shares.sync(id, toStored(b), 2, 1e9)))
            else for (const b of order) await store.shares.sync(id, toStored(b), 2, 1e9)
            const share = ((await store.shares.find(id)) as { share: ShareRecord }).share
            const rows = await store.shares.items(share)
            assert.equal(rows.length, byKey.size)
            for (const list of byKey.values()) {
              const newest = list.at(-1)!
              const key = toStored([newest])[0].key
              const row = rows.find((x) => x.key === key)
              assert.deepEqual(row?.data, newest.data, `${key} holds its newest value`)
            }
          },
        ),
        { numRuns: runs },
      )
    })
  })
}
