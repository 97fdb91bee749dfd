/** Any JSON in any item renders: the page never throws and never emits markup from data. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import fc from "fast-check"
import * as Model from "../../src/viewer/model.ts"
import * as Page from "../../src/viewer/page.ts"
import * as Transcript from "../../src/viewer/transcript.ts"
import { TOOLS } from "../../src/schema/index.ts"

const PAYLOAD = `<img src=x onerror=alert(1)>`
const value = fc.oneof(fc.constant(PAYLOAD), fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null))
const json = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: "small" },
    value,
    fc.array(tie("any"), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom(
        "type",
        "tool",
        "state",
        "status",
        "input",
        "output",
        "metadata",
        "text",
        "time",
        "diff",
        "files",
        "todos",
        "error",
        "name",
        "data",
        "source",
        "start",
        "end",
        "parts",
        "role",
        "summary",
        "diffs",
        "patch",
        "before",
        "after",
        "sessionId",
        "questions",
        "answers",
        "url",
        "mime",
      ),
      tie("any"),
      { maxKeys: 6 },
    ),
  ),
})).any

const part = fc.record({
  type: fc.constantFrom(
    "text",
    "reasoning",
    "tool",
    "file",
    "agent",
    "retry",
    "compaction",
    "subtask",
    "patch",
    "step-finish",
    "weird",
  ),
  tool: fc.constantFrom(
    "bash",
    "edit",
    "write",
    "apply_patch",
    "read",
    "grep",
    "webfetch",
    "websearch",
    "todowrite",
    "task",
    "question",
    "mcp_x",
  ),
  state: json,
  text: json,
  source: json,
  metadata: json,
  time: json,
})

describe("rendering arbitrary data", () => {
  it("never throws and never lets data become markup", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(json, part), { minLength: 1, maxLength: 6 }), json, (pairs, session) => {
        const items: Model.Item[] = [
          {
            key: "session/ses_a",
            type: "session",
            sessionID: "ses_a",
            seq: 1,
            data: {
              ...(typeof session === "object" && session && !Array.isArray(session) ? session : {}),
              id: "ses_a",
            },
          },
        ]
        pairs.forEach(([msg, p], i) => {
          const m = typeof msg === "object" && msg && !Array.isArray(msg) ? msg : {}
          items.push({
            key: `message/${i}`,
            type: "message",
            sessionID: "ses_a",
            seq: 1,
            data: { ...m, id: `msg_${i}`, role: i % 2 ? "assistant" : "user", parentID: `msg_${i - 1}` },
          })
          items.push({
            key: `part/${i}`,
            type: "part",
            sessionID: "ses_a",
            seq: 1,
            data: { ...p, id: `prt_${i}`, messageID: `msg_${i}` },
          })
        })
        const t = Model.build(items, "ses_a")
        const html = Page.share({ id: "s_x", transcript: t, noindex: true })
        assert.ok(!html.includes(PAYLOAD))
        assert.equal(html.match(/<script/g)?.length, 2)
        Transcript.markdown(t, "http://x")
      }),
      { numRuns: 300 },
    )
  })

  it("never throws on OpenCode V2 message batches, whatever their messages hold", () => {
    const kinds = fc.constantFrom(
      "user",
      "assistant",
      "shell",
      "compaction",
      "system",
      "synthetic",
      "skill",
      "agent-switched",
      "model-switched",
      "location-switched",
      "idle",
      "bogus",
    )
    const content = fc.record({
      type: fc.constantFrom("text", "reasoning", "tool", "other"),
      text: json,
      name: json,
      id: json,
      state: fc.oneof(
        json,
        fc.record({
          status: fc.constantFrom("streaming", "running", "completed", "error", "x"),
          input: json,
          content: json,
          metadata: json,
          error: json,
        }),
      ),
      time: json,
    })
    const message = fc.record({
      type: kinds,
      text: json,
      files: json,
      agents: json,
      metadata: json,
      model: json,
      content: fc.oneof(json, fc.array(content, { maxLength: 4 })),
      error: json,
      tokens: json,
      summary: json,
      description: json,
      command: json,
      output: json,
      exit: json,
      time: json,
      reason: json,
    })
    fc.assert(
      fc.property(fc.array(message, { maxLength: 6 }), json, (messages, location) => {
        const items: Model.Item[] = [
          {
            key: "session/ses_a",
            type: "session",
            sessionID: "ses_a",
            seq: 1,
            data: {
              id: "ses_a",
              location: typeof location === "object" && location ? location : { directory: PAYLOAD },
            },
          },
          {
            key: "messages/ses_a",
            type: "messages",
            sessionID: "ses_a",
            seq: 2,
            data: { sessionID: "ses_a", messages: messages.map((m, i) => ({ ...m, id: `msg_${i}` })) },
          },
        ]
        const t = Model.build(items, "ses_a")
        const html = Page.share({ id: "s_x", transcript: t, noindex: true })
        assert.ok(!html.includes(PAYLOAD))
        assert.equal(html.match(/<script/g)?.length, 2)
        Transcript.markdown(t, "http://x")
      }),
      { numRuns: 300 },
    )
  })

  it("never throws on other agents' sessions, whatever their tools, inputs and classes hold", () => {
    const agents = Object.keys(TOOLS) as (keyof typeof TOOLS)[]
    const names = [...new Set(agents.flatMap((a) => Object.keys(TOOLS[a])))]
    const cls = fc.oneof(
      json,
      fc.record({
        family: fc.constantFrom("shell", "read", "edit", "write", "search", "todo", "web", "task", "other", "bogus"),
        kind: fc.oneof(
          json,
          fc.constantFrom("grep", "glob", "list", "tools", "many", "fetch", "search", "patch", "notebook", "plan"),
        ),
      }),
    )
    const tool = fc.record({
      type: fc.constant("tool"),
      tool: fc.constantFrom(...names, "mcp__x__y"),
      state: fc.record({
        status: fc.oneof(json, fc.constantFrom("completed", "error", "running")),
        input: json,
        output: json,
        metadata: fc.record({
          agentshare: cls,
          output: json,
          exit: json,
          diff: json,
          files: json,
          todos: json,
          sessionId: json,
        }),
      }),
    })
    const raw = fc.record({ type: fc.constant("raw"), agent: json, recordType: json, record: json })
    fc.assert(
      fc.property(
        fc.constantFrom(...agents),
        fc.array(fc.oneof(tool, raw), { minLength: 1, maxLength: 6 }),
        json,
        (agent, parts, source) => {
          const items: Model.Item[] = [
            {
              key: "session/ses_a",
              type: "session",
              sessionID: "ses_a",
              seq: 1,
              data: {
                id: "ses_a",
                source: {
                  agent,
                  version: PAYLOAD,
                  branch: PAYLOAD,
                  ...(typeof source === "object" && source && !Array.isArray(source) ? source : {}),
                },
              },
            },
          ]
          items.push({
            key: "message/u",
            type: "message",
            sessionID: "ses_a",
            seq: 1,
            data: { id: "msg_0", role: "user" },
          })
          items.push({
            key: "message/a",
            type: "message",
            sessionID: "ses_a",
            seq: 1,
            data: { id: "msg_1", role: "assistant", parentID: "msg_0" },
          })
          parts.forEach((p, i) => {
            items.push({
              key: `part/${i}`,
              type: "part",
              sessionID: "ses_a",
              seq: 1,
              data: { ...p, id: `prt_${i}`, messageID: "msg_1", sessionID: "ses_a" },
            })
          })
          const t = Model.build(items, "ses_a")
          const html = Page.share({ id: "s_x", transcript: t, noindex: true })
          assert.ok(!html.includes(PAYLOAD))
          assert.equal(html.match(/<script/g)?.length, 2)
          Transcript.markdown(t, "http://x")
        },
      ),
      { numRuns: 300 },
    )
  })
})
