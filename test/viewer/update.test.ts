/**
 * A sync applied to a parsed transcript (Update.apply) renders exactly what a full build of
 * the share as stored renders, for random sequences of syncs; and a version already handed out
 * renders the same after later versions were made from it.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import fc from "fast-check"
import { keyItem, type SyncItem } from "../../src/schema/index.ts"
import * as ChangesView from "../../src/viewer/changes-view.ts"
import * as Model from "../../src/viewer/model.ts"
import * as Page from "../../src/viewer/page.ts"
import * as Transcript from "../../src/viewer/transcript.ts"
import * as Update from "../../src/viewer/update.ts"
import * as Window from "../../src/viewer/window.ts"

const ROOT = "ses_a"
const CHILDREN = ["ses_b", "ses_c"]
const SESSIONS = [ROOT, ...CHILDREN]
const msgId = fc.integer({ min: 0, max: 11 }).map((i) => `msg_${String(i).padStart(2, "0")}`)
const prtId = fc.integer({ min: 0, max: 7 }).map((i) => `prt_${i}`)
const session = fc.constantFrom(ROOT, ROOT, ROOT, ...CHILDREN)
const time = fc.integer({ min: 1_700_000_000_000, max: 1_700_000_100_000 })
const cost = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true }), fc.constantFrom(0.1, 0.2, 0.3))
const model = fc.option(fc.constantFrom("m1", "m2", "m3"), { nil: undefined })
const provider = fc.option(fc.constantFrom("p1", "p2"), { nil: undefined })

const message = fc
  .record({
    id: msgId,
    sessionID: session,
    role: fc.constantFrom("user", "assistant", "assistant", "system"),
    parentID: fc.option(msgId, { nil: undefined }),
    created: time,
    completed: fc.option(time, { nil: undefined }),
    cost,
    output: fc.integer({ min: 0, max: 5000 }),
    modelID: model,
    providerID: provider,
    legacy: fc.nat(9).map((n) => n === 0),
    text: fc.constantFrom("", "Hello", "Fix /home/al/proj/a.ts"),
  })
  .map((m): SyncItem => {
    if (m.legacy)
      return {
        type: "message",
        data: {
          id: m.id,
          sessionID: m.sessionID,
          role: m.role,
          parts: [{ type: "text", text: m.text || "legacy text" }],
          metadata: {
            time: { created: m.created, completed: m.completed },
            assistant: { cost: m.cost, tokens: { output: m.output }, modelID: m.modelID, providerID: m.providerID },
          },
        },
      }
    return {
      type: "message",
      data: {
        id: m.id,
        sessionID: m.sessionID,
        role: m.role,
        ...(m.parentID ? { parentID: m.parentID } : {}),
        time: { created: m.created, ...(m.completed ? { completed: m.completed } : {}) },
        cost: m.cost,
        tokens: { input: 10, output: m.output, reasoning: 0, cache: { read: 1, write: 2 } },
        ...(m.modelID ? { modelID: m.modelID } : {}),
        ...(m.providerID ? { providerID: m.providerID } : {}),
        path: { root: "/home/al/proj", cwd: "/home/al/proj" },
      },
    }
  })

const part = fc
  .record({
    id: prtId,
    sessionID: session,
    messageID: msgId,
    kind: fc.constantFrom("text", "text", "tool", "task", "edit", "step-finish", "reasoning", "file", "compaction"),
    text: fc.constantFrom("", "Please change f", "Done.\n\n```ts\nx\n```", "see /home/al/proj/b.ts"),
    child: fc.constantFrom(...CHILDREN, ROOT, "ses_zz"),
    status: fc.constantFrom("pending", "running", "completed", "error"),
    synthetic: fc.boolean(),
    cost,
  })
  .map((p): SyncItem => {
    const base = { id: p.id, sessionID: p.sessionID, messageID: p.messageID }
    switch (p.kind) {
      case "text":
      case "reasoning":
        return { type: "part", data: { ...base, type: p.kind, text: p.text, synthetic: p.synthetic } }
      case "tool":
        return {
          type: "part",
          data: {
            ...base,
            type: "tool",
            tool: "bash",
            callID: p.id,
            state: { status: p.status, input: { command: "ls" }, output: "a\nb" },
          },
        }
      case "task":
        return {
          type: "part",
          data: {
            ...base,
            type: "tool",
            tool: "task",
            callID: p.id,
            state: { status: p.status, input: { description: "sub" }, metadata: { sessionId: p.child } },
          },
        }
      case "edit":
        return {
          type: "part",
          data: {
            ...base,
            type: "tool",
            tool: "edit",
            callID: p.id,
            state: {
              status: "completed",
              input: { filePath: `/home/al/proj/${p.id}.ts`, oldString: "a", newString: p.text || "b" },
              metadata: { diff: `--- a\n+++ b\n@@ -1 +1 @@\n-a\n+${p.text || "b"}\n` },
            },
          },
        }
      case "step-finish":
        return {
          type: "part",
          data: { ...base, type: "step-finish", reason: "stop", cost: p.cost, tokens: { output: 5 } },
        }
      case "file":
        return { type: "part", data: { ...base, type: "file", mime: "text/plain", filename: "notes.txt" } }
      default:
        return { type: "part", data: { ...base, type: "compaction" } }
    }
  })

const sessionItem = fc
  .record({ id: fc.constantFrom(...SESSIONS), title: fc.constantFrom("One", "Two"), updated: time })
  .map(
    (s): SyncItem => ({
      type: "session",
      data: {
        id: s.id,
        title: s.title,
        directory: "/home/al/proj",
        version: "1.18.33",
        time: { created: 1, updated: s.updated },
      },
    }),
  )

const others = fc.oneof(
  fc.record({ sid: session, name: fc.constantFrom("One", "Two") }).map(
    ({ sid, name }): SyncItem => ({
      type: "model",
      sessionID: sid,
      data: [
        { id: "m1", providerID: "p1", name: `Model ${name}`, limit: { context: 1000 } },
        { id: "m2", providerID: "p2", name: "Model Two" },
      ],
    }),
  ),
  fc.record({ sid: session, file: fc.constantFrom("x.ts", "y.ts") }).map(
    ({ sid, file }): SyncItem => ({
      type: "session_diff",
      sessionID: sid,
      data: [{ file, before: "a\n", after: "b\n", additions: 1, deletions: 1 }],
    }),
  ),
  fc
    .record({ sid: session, id: fc.constantFrom("t1", "t2"), n: fc.nat(3) })
    .map(({ sid, id, n }): SyncItem => ({ type: "todo", data: { id, sessionID: sid, n } })),
  fc.record({ sid: session, n: fc.nat(2) }).map(
    ({ sid, n }): SyncItem => ({
      type: "messages",
      data: {
        sessionID: sid,
        messages: Array.from({ length: n + 1 }, (_, i) => ({
          id: `msg_v${i}`,
          type: i % 2 ? "assistant" : "user",
          text: "v2",
          time: { created: i },
        })),
      },
    }),
  ),
)

type Op = { item: SyncItem } | { remove: number }
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: message.map((item) => ({ item })) },
  { weight: 8, arbitrary: part.map((item) => ({ item })) },
  { weight: 2, arbitrary: sessionItem.map((item) => ({ item })) },
  { weight: 1, arbitrary: others.map((item) => ({ item })) },
  { weight: 1, arbitrary: fc.nat(1000).map((remove) => ({ remove })) },
)

type Row = Model.Item & { ord: number; sort: string }

/** The store: the latest value per key, and the share order its item query returns. */
function ordered(rows: Iterable<Row>): Row[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  return [...rows].sort(
    (a, b) =>
      (a.sessionID === ROOT ? 0 : 1) - (b.sessionID === ROOT ? 0 : 1) ||
      cmp(a.sessionID, b.sessionID) ||
      a.ord - b.ord ||
      cmp(a.sort, b.sort) ||
      cmp(a.key, b.key),
  )
}

/** Everything a reader sees of a version: the page, all turns, the Changes view, the fragment, the Markdown. */
function views(t: Model.Transcript): string[] {
  const ids = t.root.turns.map((x) => x.id)
  return [
    Page.share({ id: "s_x", transcript: t, noindex: true }),
    Page.share({ id: "s_x", transcript: t, noindex: true, turns: "all", expand: true }),
    Page.share({ id: "s_x", transcript: t, noindex: true, view: "changes" }),
    Page.share({ id: "s_x", transcript: t, noindex: true, turns: "1-2" }),
    Page.fragment(t, ids, Window.parse(ids.length, undefined), 0, undefined, "/share/s_x"),
    Page.embed({ id: "s_x", transcript: t, noindex: true }),
    Transcript.markdown(t, "http://x/share/s_x"),
    String(ChangesView.count(t)),
  ]
}

function shape(t: Model.Transcript) {
  return {
    seq: t.seq,
    sessions: [...t.sessions.values()].map((s) => ({
      id: s.id,
      seq: s.seq,
      info: s.info,
      messages: s.messages.map((m) => [m.id, m.role, m.seq, m.parts.map((p) => p.id)]),
      turns: s.turns.map((x) => [x.id, x.index, x.seq, x.label, x.user?.id, x.replies.map((r) => r.id)]),
      other: s.other.map((i) => i.key),
    })),
    turnOf: [...t.turnOf].sort(),
    partMessage: [...t.partMessage].sort(),
    parentTurn: [...t.parentTurn].sort(),
    models: t.models,
    totals: t.totals,
  }
}

describe("incremental transcript updates", () => {
  it("render exactly what a full build of the stored items renders, sync after sync", () => {
    let applied = 0
    let rebuilt = 0
    fc.assert(
      fc.property(
        fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        fc.constantFrom(1, 2, 3, undefined),
        (syncs, childrenFirst, mark) => {
          const store = new Map<string, Row>()
          let seq = 0
          const write = (ops: Op[]) => {
            seq += 1
            let removed = false
            for (const o of ops) {
              if ("remove" in o) {
                const keys = [...store.keys()]
                if (keys.length === 0) continue
                store.delete(keys[o.remove % keys.length] as string)
                removed = true
                continue
              }
              const keyed = keyItem(o.item, ROOT)
              if (!keyed.ok) throw new Error(keyed.message)
              const { key, type, sessionID, ord, sort, data } = keyed.item
              // The store keeps what it was sent as JSON: the reader parses a copy of it.
              store.set(key, { key, type, sessionID, seq, data: JSON.parse(JSON.stringify(data)), ord, sort })
            }
            return removed
          }
          if (childrenFirst) write(SESSIONS.map((id) => ({ item: { type: "session", data: { id, title: id } } })))
          let parsed: Update.Parsed = Update.parse(ordered(store.values()), ROOT, mark)
          for (const ops of syncs) {
            const before: Model.Transcript = parsed.transcript
            const shown = views(before)
            const removed = write(ops)
            const all = ordered(store.values())
            const changed = all.filter((r) => r.seq === seq)
            const next: Update.Parsed | undefined = removed ? undefined : Update.apply(parsed, changed)
            if (next) applied += 1
            else rebuilt += 1
            parsed = next ?? Update.parse(all, ROOT, mark)
            const full = Model.build(all, ROOT)
            assert.deepEqual(shape(parsed.transcript), shape(full))
            assert.deepEqual(views(parsed.transcript), views(full))
            // What was handed out before is untouched by what came after it.
            assert.deepEqual(views(before), shown)
          }
        },
      ),
      { numRuns: 300 },
    )
    // The property means little if most syncs fell back to a full build.
    assert.ok(applied > rebuilt, `applied ${applied}, rebuilt ${rebuilt}`)
  })
})
