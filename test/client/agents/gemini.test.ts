/** The Gemini CLI reader on a small synthetic chat recording: messages upserted by id, `$set`
 * patches, a `$rewindTo` cut, the context it adds, unknown records, and follow == full read
 * (including the removals a rewind makes). */
import assert from "node:assert/strict"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import * as Agents from "../../../src/client/local/agents/index.ts"
import * as T from "./support.ts"

const SID = "007203fe-5f50-45b4-8df4-aa5445b10826"
const T0 = Date.parse("2026-11-30T10:00:00.000Z")
const at = (s: number) => new Date(T0 + s * 1000).toISOString()
const tokens = { input: 300, output: 40, cached: 100, thoughts: 12, tool: 0, total: 452 }
const shell = {
  id: "c1",
  name: "run_shell_command",
  args: { command: "false" },
  status: "success",
  timestamp: at(4),
  result: [
    {
      functionResponse: { id: "c1", name: "run_shell_command", response: { output: "Output: (empty)\nExit Code: 1" } },
    },
  ],
  resultDisplay: "",
}
const replace = {
  id: "c2",
  name: "replace",
  args: { file_path: "/work/proj/src/a.ts", old_string: "a", new_string: "b" },
  status: "success",
  timestamp: at(5),
  result: [],
  resultDisplay: {
    fileDiff: "Index: a.ts\n===\n--- a.ts\tCurrent\n+++ a.ts\tProposed\n@@ -1,1 +1,1 @@\n-a\n+b\n",
    filePath: "/work/proj/src/a.ts",
    isNewFile: false,
  },
}
const todos = {
  id: "c3",
  name: "write_todos",
  args: { todos: [{ description: "Fix a.ts", status: "in_progress" }] },
  status: "success",
  timestamp: at(5),
  resultDisplay: { todos: [{ description: "Fix a.ts", status: "in_progress" }] },
}
const g1 = {
  id: "g1",
  timestamp: at(3),
  type: "gemini",
  content: "Looking.",
  thoughts: [{ subject: "Plan", description: "read first", timestamp: at(3) }],
  tokens,
  model: "gemini-2.5-flash",
}

const RECORDS = [
  { sessionId: SID, projectHash: "f".repeat(64), startTime: at(0), lastUpdated: at(0), kind: "main" },
  {
    $set: {
      messages: [
        { id: "ctx", timestamp: at(0), type: "user", content: [{ text: "<session_context>\nCONTEXT-MARKER\n" }] },
      ],
      lastUpdated: at(0),
    },
  },
  { id: "u1", timestamp: at(1), type: "user", content: [{ text: "Why does the test fail?" }] },
  { $set: { lastUpdated: at(1) } },
  g1,
  { ...g1, toolCalls: [shell, replace, todos] },
  {
    id: "r1",
    timestamp: at(6),
    type: "user",
    content: [{ functionResponse: { id: "c1", name: "run_shell_command", response: { output: "Exit Code: 1" } } }],
  },
  {
    id: "g2",
    timestamp: at(7),
    type: "gemini",
    content: "A reply that gets rewound.",
    tokens,
    model: "gemini-2.5-flash",
  },
  { $rewindTo: "g2" },
  { id: "u2", timestamp: at(8), type: "user", content: "And now?" },
  {
    id: "g3",
    timestamp: at(9),
    type: "gemini",
    content: "",
    toolCalls: [
      {
        id: "c4",
        name: "read_file",
        args: { file_path: "/work/proj/b.ts" },
        status: "cancelled",
        timestamp: at(9),
        result: [{ functionResponse: { id: "c4", name: "read_file", response: { error: "Cancelled by the user" } } }],
      },
    ],
    tokens,
    model: "gemini-2.5-flash",
  },
  { id: "x1", timestamp: at(10), type: "brand_new", content: "from a newer CLI" },
  { $set: { summary: "Bug hunt", memoryScratchpad: "MEMORY-MARKER" } },
  { weird: true },
]
const TEXT = T.jsonl(RECORDS)

describe("Gemini CLI reader", () => {
  const { dir, dispose } = T.tmp()
  after(dispose)
  const project = join(dir, ".gemini", "tmp", "proj")
  T.write(join(project, ".project_root"), "/work/proj\n")
  const path = join(project, "chats", "session-2026-11-30T10-00-007203fe.jsonl")
  T.write(path, TEXT)
  const read = Agents.read("gemini-cli", path)
  const all = JSON.stringify(read.items)

  it("maps the session: header id, the project root from .project_root, the summary as title", () => {
    const s = T.session(read.items)
    assert.equal(s.id, SID)
    assert.equal(s.directory, "/work/proj")
    assert.equal(s.title, "Bug hunt")
    assert.equal(s.source.agent, "gemini-cli")
  })

  it("upserts a message rewritten with its tool calls into one message", () => {
    const msgs = T.messages(read.items)
    assert.deepEqual(
      msgs.map((m) => m.role),
      ["user", "assistant", "user", "assistant", "system"],
    )
    const first = msgs[1]
    assert.deepEqual(first.tokens, {
      input: 200,
      output: 40,
      reasoning: 12,
      cache: { read: 100, write: 0 },
      total: 452,
    })
    assert.equal(first.parentID, msgs[0].id)
    const ps = T.parts(read.items)
      .filter((p) => p.messageID === first.id)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
    assert.deepEqual(
      ps.map((p) => (p.type === "tool" ? p.tool : p.type)),
      ["reasoning", "text", "run_shell_command", "replace", "write_todos", "step-finish"],
    )
    assert.equal(ps[0].text, "**Plan** read first")
  })

  it("keeps the exit code, the edit's file diff and the todo list", () => {
    assert.equal(T.tool(read.items, "run_shell_command").state.metadata.exit, 1)
    const edit = T.tool(read.items, "replace")
    assert.match(edit.state.metadata.diff, /@@ -1,1 \+1,1 @@\n-a\n\+b\n/)
    assert.equal(edit.state.metadata.filepath, "src/a.ts")
    assert.deepEqual(T.tool(read.items, "write_todos").state.metadata.todos, [
      { content: "Fix a.ts", status: "in_progress", priority: "medium" },
    ])
    const cancelled = T.tool(read.items, "read_file")
    assert.equal(cancelled.state.status, "error")
    assert.equal(cancelled.state.metadata.interrupted, true)
    assert.equal(cancelled.state.error, "Cancelled by the user")
  })

  it("drops what a rewind removed, and the turns of tool results sent back", () => {
    assert.ok(!all.includes("A reply that gets rewound."))
    assert.ok(
      !T.messages(read.items).some((m) =>
        T.parts(read.items).some((p) => p.messageID === m.id && /Exit Code/.test(p.text ?? "")),
      ),
    )
  })

  it("keeps records it does not know as raw parts, and never the context or the CLI's memory", () => {
    assert.deepEqual(
      T.parts(read.items)
        .filter((p) => p.type === "raw")
        .map((p) => p.recordType)
        .sort(),
      ["(untyped)", "brand_new"],
    )
    for (const marker of ["CONTEXT-MARKER", "<session_context>", "MEMORY-MARKER"])
      assert.ok(!all.includes(marker), marker)
  })

  it("sends while following exactly what a full read gives, removals included", () => {
    for (const step of [3, 97, 4096]) {
      const p = join(dir, ".gemini", "tmp", `grow${step}`, "chats", "session-2026-11-30T10-00-007203fe.jsonl")
      const { state } = T.grow("gemini-cli", p, TEXT, SID, step)
      assert.ok(![...state.values()].some((v) => v.includes("A reply that gets rewound.")))
    }
  })
})

describe("a followed file the agent rewrites", () => {
  it("is read again from the start, and what it no longer holds is removed", async () => {
    const { dir, dispose } = T.tmp()
    try {
      const path = join(dir, ".gemini", "tmp", "p", "chats", "session-2026-11-30T10-00-007203fe.jsonl")
      T.write(path, TEXT)
      const f = Agents.follower("gemini-cli", path)
      const { apply } = await import("../../support/agents/share.ts")
      const state = apply(new Map(), f.poll(), SID)
      // Gemini CLI rewrites a file it cannot read by writing a new one and renaming it over.
      const rewritten = T.jsonl([
        RECORDS[0],
        { id: "n1", timestamp: at(20), type: "user", content: "A longer, different conversation ".repeat(200) },
      ])
      T.write(`${path}.tmp`, rewritten)
      const { renameSync } = await import("node:fs")
      renameSync(`${path}.tmp`, path)
      apply(state, f.poll(), SID)
      assert.deepEqual(state, apply(new Map(), Agents.read("gemini-cli", path).items, SID))
      assert.ok(![...state.values()].some((v) => v.includes("Why does the test fail?")))
    } finally {
      dispose()
    }
  })
})
