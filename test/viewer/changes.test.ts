/** The session's own changes: each file's calls composed into one net diff whose hunks name the
 * turns that made them; calls that cannot be composed are shown one by one, never wrongly. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Changes from "../../src/viewer/changes.ts"
import * as Model from "../../src/viewer/model.ts"
import * as Page from "../../src/viewer/page.ts"
import * as Claude from "./claude-session.ts"

const build = (items: { type: string; data: unknown; sessionID?: string }[], root: string) =>
  Model.build(
    items.map((i, n) => ({
      key: String(n),
      type: i.type,
      sessionID: i.sessionID ?? (i.data as { sessionID?: string }).sessionID ?? root,
      seq: 1,
      data: i.data,
    })),
    root,
  )

const step = (turn: string, patch: string): Changes.Step => ({ turn, part: turn, patch })

describe("the Changes view", () => {
  it("composes two edits of one file in two turns into one net hunk naming both turns", () => {
    const c = Changes.compose({
      path: "a.ts",
      steps: [step("t1", "@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n"), step("t2", "@@ -2 +2 @@\n-TWO\n+2\n")],
    })
    assert.equal(c.net, "--- a.ts\n+++ a.ts\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n")
    assert.deepEqual(
      c.turns.map((x) => [...x].sort()),
      [["t1", "t2"]],
    )
    assert.deepEqual([c.additions, c.deletions], [1, 1])
  })

  it("keeps hunks of different turns apart, with the right line numbers after earlier edits", () => {
    const c = Changes.compose({
      path: "a.ts",
      steps: [
        step("t1", "@@ -10,2 +10,3 @@\n ten\n+inserted\n eleven\n"),
        step("t2", "@@ -41,2 +41,2 @@\n forty\n-forty-one\n+41\n"),
      ],
    })
    const heads = c.net!.split("\n").filter((l) => l.startsWith("@@"))
    // Line 40 of the original is line 41 after t1's insertion.
    assert.deepEqual(heads, ["@@ -10,2 +10,3 @@", "@@ -40,2 +41,2 @@"])
    assert.deepEqual(c.turns, [["t1"], ["t2"]])
  })

  it("shows a change undone later as no net difference, and contradictory calls one by one", () => {
    const undone = Changes.compose({
      path: "a",
      steps: [step("t1", "@@ -1 +1 @@\n-a\n+b\n"), step("t2", "@@ -1 +1 @@\n-b\n+a\n")],
    })
    assert.equal(undone.net, "")
    const clash = Changes.compose({
      path: "a",
      steps: [step("t1", "@@ -1 +1 @@\n-a\n+b\n"), step("t2", "@@ -1 +1 @@\n-zzz\n+c\n")],
    })
    assert.equal(clash.net, undefined)
    assert.equal(clash.steps.length, 2)
  })

  it("composes a write over content first seen whole, and a new file", () => {
    const c = Changes.compose({
      path: "n.txt",
      steps: [
        { turn: "t1", part: "p1", before: "", after: "a\nb\n", created: true },
        { turn: "t2", part: "p2", before: "a\nb\n", after: "a\nc\n" },
      ],
    })
    assert.equal(c.status, "added")
    assert.equal(c.net, "--- n.txt\n+++ n.txt\n@@ -0,0 +1,2 @@\n+a\n+c\n")
  })

  it("builds a Claude Code session's changes from its own calls, with links to the turns", () => {
    const items = Claude.items()
    const t = build(items as never, Claude.SID)
    const files = Changes.files(t).map(Changes.compose)
    assert.deepEqual(
      files.map((f) => [f.path, f.status, f.additions, f.deletions]),
      [
        ["src/greet.ts", "modified", 1, 1],
        ["test/greet.test.ts", "added", 2, 0],
      ],
    )
    assert.match(files[0].net!, /^-  return "Hello " \+ name$/m)
    assert.match(files[0].net!, /^\+  return `Hello, \$\{name\}! 👋`$/m)
    const html = Page.share({ id: "s_x", transcript: t, noindex: true, view: "changes" })
    assert.match(
      html,
      /@@ -1,3 \+1,3 @@ <span class="note"><a href="\/share\/s_x\?turns=1-2#t-[^"]+">turn 1<\/a>, <a href="\/share\/s_x\?turns=1-2#t-[^"]+">turn 2<\/a><\/span>/,
    )
  })
})
