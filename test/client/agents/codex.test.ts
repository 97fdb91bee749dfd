/** The Codex reader on a small synthetic rollout: the mapping, what is never shared (base
 * instructions, developer and harness messages, encrypted reasoning), unknown records, failed
 * commands, patches without a FileChange event, an abort, and follow == full read. */
import assert from "node:assert/strict"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import * as Agents from "../../../src/client/local/agents/index.ts"
import * as T from "./support.ts"

const THREAD = "01a230ad-c8f8-7150-a0d2-d0867dfd9cc9"
const T0 = Date.parse("2026-11-30T10:00:00.000Z")
let ordinal = 0
const rec = (type: string, s: number, payload: T.Rec) => ({
  timestamp: new Date(T0 + s * 1000).toISOString(),
  ordinal: ordinal++,
  type,
  payload,
})
const item = (s: number, payload: T.Rec) => rec("response_item", s, payload)
const usage = (input: number, cached: number, output: number, reasoning: number) =>
  rec("token_usage_record", 0, {
    usage: {
      input_tokens: input,
      cached_input_tokens: cached,
      output_tokens: output,
      reasoning_output_tokens: reasoning,
      total_tokens: input + output,
    },
  })

const RECORDS = [
  rec("session_meta", 0, {
    id: THREAD,
    cwd: "/work/proj",
    cli_version: "0.169.0",
    model_provider: "openai",
    base_instructions: { text: "BASE-INSTRUCTIONS-MARKER" },
    git: { branch: "main", commit_hash: "a".repeat(40) },
  }),
  rec("turn_context", 0, { model: "gpt-5.5", cwd: "/work/proj" }),
  item(1, { type: "message", role: "developer", content: [{ type: "input_text", text: "DEVELOPER-MARKER" }] }),
  item(1, {
    type: "message",
    role: "user",
    content: [{ type: "input_text", text: "<environment_context><cwd>/work/proj</cwd></environment_context>" }],
  }),
  item(1, { type: "message", role: "user", content: [{ type: "input_text", text: "Run the tests" }] }),
  item(2, {
    type: "reasoning",
    summary: [{ type: "summary_text", text: "Run make test." }],
    encrypted_content: "ENCRYPTED-MARKER",
  }),
  item(2, {
    type: "function_call",
    name: "exec_command",
    arguments: JSON.stringify({ cmd: "make test" }),
    call_id: "call_1",
  }),
  { ...usage(1000, 400, 50, 10), timestamp: new Date(T0 + 2500).toISOString() },
  rec("event_msg", 4, {
    type: "item_completed",
    item: {
      type: "CommandExecution",
      id: "call_1",
      command: ["/bin/bash", "-lc", "make test"],
      aggregated_output: "FAIL\n",
      exit_code: 2,
      status: "completed",
    },
    started_at_ms: T0 + 2600,
    completed_at_ms: T0 + 3900,
  }),
  item(4, {
    type: "function_call_output",
    call_id: "call_1",
    output: "Chunk ID: 1\nProcess exited with code 2\nOutput:\nFAIL\n",
  }),
  item(5, {
    type: "custom_tool_call",
    name: "apply_patch",
    call_id: "call_2",
    input: "*** Begin Patch\n*** Update File: src/a.ts\n@@ fn\n-a\n+b\n*** End Patch\n",
  }),
  item(5, { type: "brand_new_item", detail: "kept" }),
  { ...usage(1200, 0, 30, 0), timestamp: new Date(T0 + 5500).toISOString() },
  item(6, {
    type: "custom_tool_call_output",
    call_id: "call_2",
    output: "Exit code: 0\nOutput:\nSuccess. Updated the following files:\nM src/a.ts\n",
  }),
  rec("brand_new_record", 6, { anything: 1 }),
  "[1,2,3]",
  item(7, { type: "message", role: "assistant", content: [{ type: "output_text", text: "Stopping here" }] }),
  rec("event_msg", 8, { type: "turn_aborted", reason: "interrupted" }),
  rec("event_msg", 8, { type: "token_count", info: null }),
]
const TEXT = T.jsonl(RECORDS)

describe("Codex reader", () => {
  const { dir, dispose } = T.tmp()
  after(dispose)
  const path = join(dir, "sessions", "2026", "11", "30", `rollout-2026-11-30T10-00-00-${THREAD}.jsonl`)
  T.write(path, TEXT)
  const read = Agents.read("codex", path)
  const all = JSON.stringify(read.items)

  it("maps the session: thread id, agent, version, branch, commit, directory and the prompt as title", () => {
    const s = T.session(read.items)
    assert.equal(s.id, THREAD)
    assert.deepEqual(s.source, { agent: "codex", version: "0.169.0", branch: "main", commit: "a".repeat(40) })
    assert.equal(s.directory, "/work/proj")
    assert.equal(s.title, "Run the tests")
  })

  it("makes one assistant message per response, with its tokens, closed by its usage record", () => {
    const msgs = T.messages(read.items)
    assert.deepEqual(
      msgs.map((m) => m.role),
      ["user", "assistant", "assistant", "assistant"],
    )
    // OpenAI's input counts cached tokens and output counts reasoning: both are split out.
    assert.deepEqual(msgs[1].tokens, {
      input: 600,
      output: 40,
      reasoning: 10,
      cache: { read: 400, write: 0 },
      total: 1050,
    })
    assert.equal(msgs[1].modelID, "gpt-5.5")
    assert.equal(msgs[1].time.completed, T0 + 2500)
  })

  it("takes a command's exit code, output and duration from its completion event", () => {
    const exec = T.tool(read.items, "exec_command")
    assert.equal(exec.state.status, "completed")
    assert.equal(exec.state.metadata.exit, 2)
    assert.equal(exec.state.metadata.output, "FAIL\n")
    assert.equal(exec.state.time.end - exec.state.time.start, 1300)
  })

  it("builds a patch's diff from the apply_patch text when no file change event came", () => {
    const patch = T.tool(read.items, "apply_patch")
    assert.equal(patch.state.status, "completed")
    assert.equal(patch.state.metadata.diff, "--- src/a.ts\n+++ src/a.ts\n@@ fn\n-a\n+b\n")
    assert.deepEqual(
      patch.state.metadata.files.map((f: T.Rec) => [f.filePath, f.type, f.additions, f.deletions]),
      [["src/a.ts", "update", 1, 1]],
    )
  })

  it("keeps unknown records as raw parts, counts broken lines, and marks the abort", () => {
    assert.deepEqual(
      T.parts(read.items)
        .filter((p) => p.type === "raw")
        .map((p) => p.recordType)
        .sort(),
      ["brand_new_item", "brand_new_record"],
    )
    assert.equal(read.stats.malformed, 1, "a line that is JSON but not a record")
    assert.equal(T.messages(read.items).at(-1)?.error?.name, "MessageAbortedError")
  })

  it("never shares base instructions, developer or harness messages, or encrypted reasoning", () => {
    for (const marker of ["BASE-INSTRUCTIONS-MARKER", "DEVELOPER-MARKER", "<environment_context>", "ENCRYPTED-MARKER"])
      assert.ok(!all.includes(marker), marker)
    assert.ok(T.parts(read.items).some((p) => p.type === "reasoning" && p.text === "Run make test."))
  })

  it("sends while following exactly what a full read gives, however the file is cut", () => {
    for (const step of [3, 97, 4096])
      T.grow(
        "codex",
        join(dir, "grow", String(step), `rollout-2026-11-30T10-00-00-${THREAD}.jsonl`),
        TEXT,
        THREAD,
        step,
      )
  })
})
