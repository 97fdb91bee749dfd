/** Turn grouping, totals and diffs, on items built by hand: the rules the page relies on. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Diff from "../../src/viewer/diff.ts"
import * as Model from "../../src/viewer/model.ts"

const item = (type: string, data: Record<string, unknown>, seq = 1, sessionID = "ses_a"): Model.Item => ({
  key: `${type}/${String(data.id)}`,
  type,
  sessionID,
  seq,
  data,
})

describe("transcript model", () => {
  it("groups assistant messages under the user message named by parentID", () => {
    const t = Model.build(
      [
        item("message", { id: "msg_1", role: "user" }),
        item("message", { id: "msg_2", role: "user" }),
        // Answers msg_1 although it sorts after msg_2.
        item("message", { id: "msg_3", role: "assistant", parentID: "msg_1" }),
        item("message", { id: "msg_4", role: "assistant", parentID: "msg_2" }),
        // No parentID (v1, early 0.x): goes under the latest user message before it.
        item("message", { id: "msg_5", role: "assistant" }),
      ],
      "ses_a",
    )
    assert.deepEqual(
      t.root.turns.map((x) => [x.id, x.replies.map((m) => m.id)]),
      [
        ["msg_1", ["msg_3"]],
        ["msg_2", ["msg_4", "msg_5"]],
      ],
    )
  })

  it("keeps an assistant message with no user message before it as its own turn", () => {
    const t = Model.build(
      [item("message", { id: "msg_1", role: "assistant" }), item("message", { id: "msg_2", role: "user" })],
      "ses_a",
    )
    assert.deepEqual(
      t.root.turns.map((x) => x.id),
      ["msg_1", "msg_2"],
    )
    assert.equal(t.root.turns[0].user, undefined)
  })

  it("shows parts whose message never arrived, sorted by id", () => {
    const t = Model.build(
      [
        item("part", { id: "prt_2", messageID: "msg_x", sessionID: "ses_a", type: "text", text: "b" }),
        item("part", { id: "prt_1", messageID: "msg_x", sessionID: "ses_a", type: "text", text: "a" }),
      ],
      "ses_a",
    )
    assert.deepEqual(
      t.root.messages[0].parts.map((p) => p.id),
      ["prt_1", "prt_2"],
    )
  })

  it("sums cost and tokens over assistant messages, reading hostile numbers as 0", () => {
    const t = Model.build(
      [
        item("message", {
          id: "msg_1",
          role: "assistant",
          cost: 0.5,
          tokens: { input: 10, output: 2, reasoning: 1, cache: { read: 3, write: 4 } },
          time: { created: 1000, completed: 4000 },
        }),
        item("message", {
          id: "msg_2",
          role: "assistant",
          cost: "9",
          tokens: { input: Number.NaN, output: "x" },
          time: { created: 5000 },
        }),
      ],
      "ses_a",
    )
    assert.deepEqual(t.totals, {
      cost: 0.5,
      input: 10,
      output: 2,
      reasoning: 1,
      cacheRead: 3,
      cacheWrite: 4,
      messages: 2,
      started: 1000,
      ended: 5000,
      busy: 3000,
    })
  })

  it("counts a subagent session's activity in the turn that spawned it", () => {
    const t = Model.build(
      [
        item("message", { id: "msg_1", role: "user" }, 1),
        item("message", { id: "msg_2", role: "assistant", parentID: "msg_1" }, 1),
        item(
          "part",
          {
            id: "prt_1",
            messageID: "msg_2",
            sessionID: "ses_a",
            type: "tool",
            tool: "task",
            state: { status: "running", metadata: { sessionId: "ses_b" } },
          },
          1,
        ),
        item("message", { id: "msg_9", role: "assistant", sessionID: "ses_b" }, 7, "ses_b"),
      ],
      "ses_a",
    )
    assert.equal(t.parentTurn.get("ses_b"), "msg_1")
    assert.equal(t.root.turns[0].seq, 7)
  })
})

describe("diffs", () => {
  it("diffs before/after contents into unified hunks with counts", () => {
    const d = Diff.normalize({
      file: "f.txt",
      before: "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n",
      after: "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\n",
    })
    assert.equal(d.additions, 2)
    assert.equal(d.deletions, 1)
    assert.equal(
      d.text,
      "--- f.txt\n+++ f.txt\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -8,3 +8,4 @@\n h\n i\n j\n+k\n",
    )
  })

  it("takes the patch shape as it is and counts its lines", () => {
    const d = Diff.normalize({ file: "x", patch: "--- x\n+++ x\n@@ -1 +1,2 @@\n-a\n+b\n+c\n" })
    assert.deepEqual([d.additions, d.deletions], [2, 1])
  })

  it("degrades to remove-all/add-all for inputs too large to align", () => {
    const before = Array.from({ length: 5000 }, (_, i) => `old ${i}`).join("\n")
    const after = Array.from({ length: 5000 }, (_, i) => `new ${i}`).join("\n")
    const d = Diff.normalize({ file: "big", before, after })
    assert.deepEqual([d.additions, d.deletions], [5000, 5000])
  })
})

describe("prototype keys in data", () => {
  it("treats __proto__ and constructor as plain strings", async () => {
    const Page = await import("../../src/viewer/page.ts")
    const t = Model.build(
      [
        item("message", { id: "msg_1", role: "user" }),
        item("message", { id: "msg_2", role: "assistant", parentID: "msg_1" }),
        item("part", {
          id: "prt_1",
          messageID: "msg_2",
          sessionID: "ses_a",
          type: "tool",
          tool: "constructor",
          state: { status: "constructor", input: { filePath: "x.constructor" } },
        }),
        item("part", {
          id: "prt_2",
          messageID: "msg_2",
          sessionID: "ses_a",
          type: "tool",
          tool: "todowrite",
          state: { status: "completed", metadata: { todos: [{ content: "t", status: "__proto__" }] } },
        }),
        item("part", {
          id: "prt_3",
          messageID: "msg_2",
          sessionID: "ses_a",
          type: "tool",
          tool: "write",
          state: { status: "completed", input: { filePath: "a.constructor", content: "x" } },
        }),
      ],
      "ses_a",
    )
    const html = Page.share({ id: "s_x", transcript: t, noindex: true })
    assert.doesNotMatch(html, /native code|\[object Object\]|could not be shown/)
  })
})
