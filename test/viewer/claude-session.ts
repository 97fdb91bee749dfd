/**
 * A Claude Code session as Claude Code 2.1 writes it (hand-written records of its real format),
 * read by our reader into share items: the sharer works in /home/alice/work/greeter, reads a
 * file (Claude's `cat -n` lines and a reminder to the model), searches, edits one file in two
 * turns, writes a test, runs it, keeps a to-do list, and names absolute paths in its answer.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Agents from "../../src/client/local/agents/index.ts"
import type { SyncItem } from "../../src/schema/index.ts"

export const CWD = "/home/alice/work/greeter"
export const SID = "aaaaaaaa-1111-4222-8333-444444444444"
const T0 = Date.parse("2026-11-30T14:00:00.000Z")
const at = (s: number) => new Date(T0 + s * 1000).toISOString()
type Rec = Record<string, unknown>
const env = (uuid: string, s: number) => ({
  parentUuid: null,
  isSidechain: false,
  sessionId: SID,
  uuid,
  timestamp: at(s),
  cwd: CWD,
  gitBranch: "main",
  version: "2.1.328",
  userType: "external",
})
const usage = { input_tokens: 1200, output_tokens: 180, cache_read_input_tokens: 900, cache_creation_input_tokens: 40 }
const assistant = (uuid: string, s: number, id: string, index: number, block: Rec, stop: string | null) => ({
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
const result = (uuid: string, s: number, tool: string, content: string, toolUseResult: unknown, isError = false) => ({
  ...env(uuid, s),
  type: "user",
  message: {
    role: "user",
    content: [{ type: "tool_result", tool_use_id: tool, content, ...(isError ? { is_error: true } : {}) }],
  },
  toolUseResult,
})

const SOURCE = 'export function greet(name: string) {\n  return "Hello " + name\n}\n'
const FILE = `${CWD}/src/greet.ts`
const TEST = `${CWD}/test/greet.test.ts`

export function records(): unknown[] {
  return [
    { ...env("u1", 0), type: "user", message: { role: "user", content: "Make greet() friendlier and add a test" } },
    assistant(
      "a1",
      2,
      "msg_1",
      0,
      { type: "thinking", thinking: "Read the file first, then edit.", signature: "sig" },
      null,
    ),
    assistant(
      "a2",
      3,
      "msg_1",
      1,
      { type: "tool_use", id: "t_read", name: "Read", input: { file_path: FILE } },
      "tool_use",
    ),
    result(
      "r1",
      4,
      "t_read",
      `     1\texport function greet(name: string) {\n     2\t  return "Hello " + name\n     3\t}\n\n<system-reminder>\nWhenever you read a file, consider whether it is malicious.\n</system-reminder>\n`,
      { type: "text", file: { filePath: FILE, content: SOURCE, numLines: 3, startLine: 1, totalLines: 3 } },
    ),
    assistant(
      "a3",
      5,
      "msg_2",
      0,
      { type: "tool_use", id: "t_grep", name: "Grep", input: { pattern: "greet\\(", path: CWD, glob: "*.ts" } },
      "tool_use",
    ),
    result("r2", 6, "t_grep", "Found 2 files\nsrc/greet.ts\nsrc/index.ts", {
      mode: "files_with_matches",
      numFiles: 2,
      filenames: ["src/greet.ts", "src/index.ts"],
    }),
    assistant(
      "a4",
      8,
      "msg_3",
      0,
      {
        type: "tool_use",
        id: "t_edit1",
        name: "Edit",
        input: { file_path: FILE, old_string: '  return "Hello " + name', new_string: "  return `Hello, ${name}!`" },
      },
      "tool_use",
    ),
    result("r3", 9, "t_edit1", `The file ${FILE} has been updated.`, {
      filePath: FILE,
      oldString: '  return "Hello " + name',
      newString: "  return `Hello, ${name}!`",
      structuredPatch: [
        {
          oldStart: 1,
          oldLines: 3,
          newStart: 1,
          newLines: 3,
          lines: [
            " export function greet(name: string) {",
            '-  return "Hello " + name',
            "+  return `Hello, ${name}!`",
            " }",
          ],
        },
      ],
    }),
    assistant(
      "a5",
      10,
      "msg_4",
      0,
      {
        type: "tool_use",
        id: "t_write",
        name: "Write",
        input: {
          file_path: TEST,
          content:
            'import { greet } from "../src/greet.ts"\nif (greet("Ada") !== "Hello, Ada!") throw new Error("greet")\n',
        },
      },
      "tool_use",
    ),
    result("r4", 11, "t_write", `File created successfully at: ${TEST}`, {
      type: "create",
      filePath: TEST,
      content:
        'import { greet } from "../src/greet.ts"\nif (greet("Ada") !== "Hello, Ada!") throw new Error("greet")\n',
      structuredPatch: [],
      originalFile: null,
    }),
    assistant(
      "a6",
      12,
      "msg_5",
      0,
      {
        type: "tool_use",
        id: "t_bash",
        name: "Bash",
        input: { command: `cd ${CWD} && node test/greet.test.ts`, description: "Run the greet test" },
      },
      "tool_use",
    ),
    result("r5", 14, "t_bash", "", { stdout: "", stderr: "", interrupted: false }),
    assistant(
      "a7",
      15,
      "msg_6",
      0,
      {
        type: "tool_use",
        id: "t_todo",
        name: "TodoWrite",
        input: {
          todos: [
            { content: "Friendlier greeting", status: "completed", activeForm: "x" },
            { content: "Add a test", status: "completed", activeForm: "y" },
          ],
        },
      },
      "tool_use",
    ),
    result("r6", 16, "t_todo", "Todos have been modified successfully.", {
      oldTodos: [],
      newTodos: [
        { content: "Friendlier greeting", status: "completed" },
        { content: "Add a test", status: "completed" },
      ],
    }),
    assistant(
      "a8",
      18,
      "msg_7",
      0,
      { type: "text", text: `Done: \`greet()\` in ${FILE} now says "Hello, Ada!", and ${TEST} checks it.` },
      "end_turn",
    ),
    { ...env("u2", 60), type: "user", message: { role: "user", content: "Add a wave emoji" } },
    assistant(
      "a9",
      62,
      "msg_8",
      0,
      {
        type: "tool_use",
        id: "t_edit2",
        name: "Edit",
        input: {
          file_path: FILE,
          old_string: "  return `Hello, ${name}!`",
          new_string: "  return `Hello, ${name}! 👋`",
        },
      },
      "tool_use",
    ),
    result("r7", 63, "t_edit2", `The file ${FILE} has been updated.`, {
      filePath: FILE,
      structuredPatch: [
        {
          oldStart: 2,
          oldLines: 1,
          newStart: 2,
          newLines: 1,
          lines: ["-  return `Hello, ${name}!`", "+  return `Hello, ${name}! 👋`"],
        },
      ],
    }),
    assistant("a10", 65, "msg_9", 0, { type: "text", text: "Added the wave." }, "end_turn"),
    { type: "custom-title", sessionId: SID, customTitle: "Friendlier greet()" },
  ]
}

/** The session's share items, read by the real Claude Code reader. */
export function items(): SyncItem[] {
  const dir = mkdtempSync(join(tmpdir(), "agentshare-claude-fixture-"))
  try {
    const path = join(dir, ".claude", "projects", "-home-alice-work-greeter", `${SID}.jsonl`)
    mkdirSync(join(path, ".."), { recursive: true })
    writeFileSync(
      path,
      records()
        .map((r) => `${JSON.stringify(r)}\n`)
        .join(""),
    )
    return Agents.read("claude-code", path).items
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
