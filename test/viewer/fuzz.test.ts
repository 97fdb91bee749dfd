/** Any JSON in any item renders: the page never throws and never emits markup from data. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import fc from "fast-check"
import * as Model from "../../src/viewer/model.ts"
import * as Page from "../../src/viewer/page.ts"
import * as Transcript from "../../src/viewer/transcript.ts"

const PAYLOAD = `<img src=x onerror=alert(1)>`
const value = fc.oneof(fc.constant(PAYLOAD), fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null))
const json = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: "small" }, value, fc.array(tie("any"), { maxLength: 4 }), fc.dictionary(fc.constantFrom("type", "tool", "state", "status", "input", "output", "metadata", "text", "time", "diff", "files", "todos", "error", "name", "data", "source", "start", "end", "parts", "role", "summary", "diffs", "patch", "before", "after", "sessionId", "questions", "answers", "url", "mime"), tie("any"), { maxKeys: 6 })),
})).any

const part = fc.record({
  type: fc.constantFrom("text", "reasoning", "tool", "file", "agent", "retry", "compaction", "subtask", "patch", "step-finish", "weird"),
  tool: fc.constantFrom("bash", "edit", "write", "apply_patch", "read", "grep", "webfetch", "websearch", "todowrite", "task", "question", "mcp_x"),
  state: json,
  text: json,
  source: json,
  metadata: json,
  time: json,
})

describe("rendering arbitrary data", () => {
  it("never throws and never lets data become markup", () => {
    fc.assert(fc.property(fc.array(fc.tuple(json, part), { minLength: 1, maxLength: 6 }), json, (pairs, session) => {
      const items: Model.Item[] = [{ key: "session/ses_a", type: "session", sessionID: "ses_a", seq: 1, data: { ...(typeof session === "object" && session && !Array.isArray(session) ? session : {}), id: "ses_a" } }]
      pairs.forEach(([msg, p], i) => {
        const m = typeof msg === "object" && msg && !Array.isArray(msg) ? msg : {}
        items.push({ key: `message/${i}`, type: "message", sessionID: "ses_a", seq: 1, data: { ...m, id: `msg_${i}`, role: i % 2 ? "assistant" : "user", parentID: `msg_${i - 1}` } })
        items.push({ key: `part/${i}`, type: "part", sessionID: "ses_a", seq: 1, data: { ...p, id: `prt_${i}`, messageID: `msg_${i}` } })
      })
      const t = Model.build(items, "ses_a")
      const html = Page.share({ id: "s_x", transcript: t, noindex: true })
      assert.ok(!html.includes(PAYLOAD))
      assert.equal(html.match(/<script/g)?.length, 2)
      Transcript.markdown(t, "http://x")
    }), { numRuns: 300 })
  })
})
