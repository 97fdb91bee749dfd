/** The Claude Code reader on small synthetic transcripts: the mapping, what is never shared,
 * records it does not know, broken lines, sub-agent links, and follow == full read. */
import assert from "node:assert/strict"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import * as Agents from "../../../src/client/local/agents/index.ts"
import { ID_PATTERN } from "../../../src/schema/index.ts"
import * as T from "./support.ts"

const SID = "11111111-2222-4333-8444-555555555555"
const T0 = Date.parse("2026-11-30T10:00:00.000Z")
const at = (s: number) => new Date(T0 + s * 1000).toISOString()
const env = (uuid: string, s: number, extra: T.Rec = {}) => ({
  parentUuid: null,
  isSidechain: false,
  sessionId: SID,
  uuid,
  timestamp: at(s),
  cwd: "/work/proj",
  gitBranch: "feature/x",
  version: "2.1.328",
  userType: "external",
  ...extra,
})
const usage = {
  input_tokens: 100,
  output_tokens: 20,
  cache_read_input_tokens: 7,
  cache_creation_input_tokens: 3,
  output_tokens_details: { thinking_tokens: 5 },
}
const assistant = (uuid: string, s: number, id: string, index: number, block: T.Rec, stop: string | null) => ({
  ...env(uuid, s),
  type: "assistant",
  apiBlockIndex: index,
  requestId: `req_${id}`,
  message: {
    id,
    type: "message",
    role: "assistant",
    model: "claude-opus-5-5",
    content: [block],
    stop_reason: stop,
    usage,
  },
})

const RECORDS = [
  { type: "queue-operation", operation: "enqueue", timestamp: at(0), sessionId: SID, content: "Fix the bug" },
  { ...env("u1", 1), type: "user", message: { role: "user", content: "Fix the bug in src/a.ts" } },
  {
    ...env("a0", 1),
    type: "attachment",
    attachment: { type: "prompt_snapshot", systemPrompt: ["SYSTEM-PROMPT-MARKER"] },
  },
  {
    ...env("a1", 1),
    type: "attachment",
    attachment: { type: "environment", snapshot: { workingDirectory: "/work/proj" } },
    renderedRole: "system",
  },
  {
    type: "api-request-shape",
    sessionId: SID,
    timestamp: at(1),
    shape: {
      system: [{ type: "text", text: "SYSTEM-PROMPT-MARKER" }],
      tools: [{ name: "Bash", description: "TOOL-SCHEMA-MARKER" }],
    },
  },
  assistant(
    "m1a",
    2,
    "msg_1",
    0,
    { type: "thinking", thinking: "Look at a.ts first.", signature: "SIGNATURE-MARKER" },
    "tool_use",
  ),
  assistant(
    "m1b",
    3,
    "msg_1",
    1,
    {
      type: "tool_use",
      id: "toolu_edit",
      name: "Edit",
      input: { file_path: "/work/proj/src/a.ts", old_string: "a", new_string: "b" },
    },
    "tool_use",
  ),
  {
    ...env("r1", 4),
    type: "user",
    message: {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_edit", content: "The file was updated" }],
    },
    toolUseResult: {
      filePath: "/work/proj/src/a.ts",
      oldString: "a",
      newString: "b",
      structuredPatch: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ["-a", "+b"] }],
    },
  },
  assistant(
    "m2a",
    5,
    "msg_2",
    0,
    { type: "tool_use", id: "toolu_bash", name: "Bash", input: { command: "make test", description: "Run the tests" } },
    "tool_use",
  ),
  {
    ...env("r2", 7),
    type: "user",
    message: {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_bash", content: "Exit code 2\nboom", is_error: true }],
    },
    toolUseResult: "Error: Exit code 2\nboom",
  },
  { ...env("x1", 8), type: "brand-new-record", payload: { hello: "world" } },
  "{not json",
  {
    ...env("u2", 9),
    type: "user",
    message: { role: "user", content: [{ type: "text", text: "[Request interrupted by user]" }] },
  },
  { ...env("u3", 10), type: "user", message: { role: "user", content: "Now delegate" } },
  assistant(
    "m3a",
    11,
    "msg_3",
    0,
    {
      type: "tool_use",
      id: "toolu_agent",
      name: "Agent",
      input: { description: "Look around", prompt: "Explore the repo", subagent_type: "Explore" },
    },
    null,
  ),
  { type: "cost-state", sessionId: SID, totalCostUSD: 0.25 },
  { type: "custom-title", sessionId: SID, customTitle: "Fixing the bug" },
]
const TEXT = `${T.jsonl(RECORDS)}{"type":"assistant","message":{"id":`

describe("Claude Code reader", () => {
  const { dir, dispose } = T.tmp()
  after(dispose)
  const path = join(dir, ".claude", "projects", "-work-proj", `${SID}.jsonl`)
  T.write(path, TEXT)
  T.write(
    join(dir, ".claude", "projects", "-work-proj", SID, "subagents", "agent-abc123.jsonl"),
    T.jsonl([
      {
        ...env("s1", 12, { isSidechain: true, agentId: "abc123" }),
        type: "user",
        message: { role: "user", content: "Explore the repo" },
      },
    ]),
  )
  T.write(
    join(dir, ".claude", "projects", "-work-proj", SID, "subagents", "agent-abc123.meta.json"),
    JSON.stringify({ agentType: "Explore", description: "Look around", toolUseId: "toolu_agent" }),
  )
  const read = Agents.read("claude-code", path)
  const all = JSON.stringify(read.items)

  it("maps the session: agent, version, branch, directory, title and cost", () => {
    const s = T.session(read.items, SID)
    assert.deepEqual(s.source, { agent: "claude-code", version: "2.1.328", branch: "feature/x" })
    assert.equal(s.directory, "/work/proj")
    assert.equal(s.title, "Fixing the bug")
    assert.equal(s.cost, 0.25)
  })

  it("keeps one assistant message per API response with its blocks, tokens and model", () => {
    const msgs = T.messages(read.items).filter((m) => m.sessionID === SID)
    assert.deepEqual(
      msgs.map((m) => m.role),
      ["user", "assistant", "assistant", "user", "assistant"],
    )
    const [, first] = msgs
    assert.deepEqual(first.tokens, { input: 100, output: 20, reasoning: 5, cache: { read: 7, write: 3 }, total: 135 })
    assert.equal(first.modelID, "claude-opus-5-5")
    assert.equal(first.parentID, msgs[0].id)
    // The viewer orders parts by id: the ids must put the blocks in their API order.
    const ps = T.parts(read.items)
      .filter((p) => p.messageID === first.id)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
    assert.deepEqual(
      ps.map((p) => p.type),
      ["reasoning", "tool", "step-finish"],
    )
  })

  it("builds the edit's unified diff from structuredPatch, with the project path", () => {
    const edit = T.tool(read.items, "Edit")
    assert.equal(edit.state.status, "completed")
    assert.equal(edit.state.metadata.diff, "--- src/a.ts\n+++ src/a.ts\n@@ -1,1 +1,1 @@\n-a\n+b\n")
    assert.deepEqual(read.items.find((i) => i.type === "session_diff" && !i.sessionID)?.data, [
      {
        file: "src/a.ts",
        patch: "--- src/a.ts\n+++ src/a.ts\n@@ -1,1 +1,1 @@\n-a\n+b\n",
        additions: 1,
        deletions: 1,
        status: "modified",
      },
    ])
  })

  it("keeps a failed command's exit code and error, and an interrupt on its message", () => {
    const bash = T.tool(read.items, "Bash")
    assert.equal(bash.state.status, "error")
    assert.equal(bash.state.metadata.exit, 2)
    assert.match(bash.state.error, /boom/)
    assert.equal(bash.state.time.end - bash.state.time.start, 2000, "duration from the call to its result")
    const interrupted = T.messages(read.items).find((m) => m.id === bash.messageID)!
    assert.equal(interrupted.error.name, "MessageAbortedError")
    assert.ok(!T.parts(read.items).some((p) => p.text === "[Request interrupted by user]"))
  })

  it("keeps a record type it does not know as a raw part, and counts broken lines", () => {
    const raw = T.parts(read.items).filter((p) => p.type === "raw")
    assert.equal(raw.length, 1)
    assert.equal(raw[0].recordType, "brand-new-record")
    assert.deepEqual(raw[0].record.payload, { hello: "world" })
    assert.equal(read.stats.raw, 1)
    assert.equal(read.stats.malformed, 1)
    assert.equal(read.stats.pending, '{"type":"assistant","message":{"id":'.length, "the unterminated last line waits")
  })

  it("never shares the system prompt, tool schemas, API shapes or thinking signatures", () => {
    for (const marker of ["SYSTEM-PROMPT-MARKER", "TOOL-SCHEMA-MARKER", "SIGNATURE-MARKER"])
      assert.ok(!all.includes(marker), marker)
    assert.ok(read.stats.hidden >= 4)
  })

  it("links a running sub-agent to its call through the meta file, before the call returns", () => {
    const agent = T.tool(read.items, "Agent")
    assert.equal(agent.state.status, "running")
    assert.equal(agent.state.metadata.sessionId, "agent-abc123")
    const child = T.session(read.items, "agent-abc123")
    assert.equal(child.parentID, SID)
    assert.equal(child.title, "Look around")
    assert.equal(child.agent, "Explore")
    assert.equal(T.messages(read.items).at(-1)?.time.completed, undefined, "the last response is still open")
  })

  it("makes only valid ids, the same on every read", () => {
    const again = Agents.read("claude-code", path)
    assert.deepEqual(again.items, read.items)
    for (const i of read.items)
      for (const id of [(i.data as T.Rec).id, (i.data as T.Rec).messageID].filter((x) => typeof x === "string"))
        assert.match(id, ID_PATTERN)
  })

  it("sends while following exactly what a full read gives, however the file is cut", () => {
    const { dir: d2, dispose: done } = T.tmp()
    try {
      for (const step of [3, 97, 4096])
        T.grow(
          "claude-code",
          join(d2, ".claude", "projects", "-work-proj", `${SID}-${step}.jsonl`),
          TEXT,
          `${SID}-${step}`,
          step,
        )
    } finally {
      done()
    }
  })
})
