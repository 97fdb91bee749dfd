/**
 * Generated shares for the viewer tests and bench: `kitchenSink()` holds every part type,
 * every tool family, both FileDiff shapes, legacy v1 messages, errors, an aborted turn,
 * running and pending tools, unknown tools, parts and item types, and a subagent session;
 * `long(n)` is an n-message session.
 */
import type { Item } from "./support.ts"

export const ROOT = "ses_zzroot0000000000000000000"
export const CHILD = "ses_zzchild000000000000000000"
const T0 = 1_795_386_858_000

const msg = (id: string, data: Record<string, unknown>, sessionID = ROOT): Item => ({
  type: "message",
  data: { id, sessionID, ...data },
})
const part = (mid: string, id: string, data: Record<string, unknown>, sessionID = ROOT): Item => ({
  type: "part",
  data: { id, messageID: mid, sessionID, ...data },
})
const tokens = (input: number, output: number, reasoning = 0, read = 0, write = 0) => ({
  total: input + output,
  input,
  output,
  reasoning,
  cache: { read, write },
})
const assistant = (parentID: string, n: number, extra: Record<string, unknown> = {}) => ({
  role: "assistant",
  parentID,
  agent: "build",
  mode: "build",
  modelID: "claude-x",
  providerID: "anthropic",
  path: { cwd: "/home/dev/proj", root: "/home/dev/proj" },
  cost: 0.0123 * n,
  tokens: tokens(1000 * n, 200 * n, 50, 300, 40),
  time: { created: T0 + n * 1000, completed: T0 + n * 1000 + 800 },
  finish: "stop",
  ...extra,
})
const tool = (mid: string, id: string, name: string, state: Record<string, unknown>, sessionID = ROOT) =>
  part(mid, id, { type: "tool", tool: name, callID: `call_${id}`, state }, sessionID)
const done = (input: unknown, output: string, metadata: Record<string, unknown> = {}, title = "") => ({
  status: "completed",
  input,
  output,
  metadata,
  title,
  time: { start: T0, end: T0 + 1500 },
})

export const PROMPT = "Look at @src/app.ts and ask @review please"

export function kitchenSink(): Item[] {
  const u1 = "msg_0001",
    a1 = "msg_0002"
  const items: Item[] = [
    {
      type: "session",
      data: {
        id: ROOT,
        title: "Kitchen sink session",
        version: "1.18.33",
        directory: "/home/dev/proj",
        time: { created: T0, updated: T0 + 60_000 },
      },
    },
    {
      type: "session_diff",
      data: [
        {
          file: "src/app.ts",
          patch: "--- src/app.ts\n+++ src/app.ts\n@@ -1,2 +1,2 @@\n const a = 1\n-const b = 2\n+const b = 3\n",
          additions: 1,
          deletions: 1,
          status: "modified",
        },
        {
          file: "docs/old-shape.md",
          before: "line one\nline two\nline three\n",
          after: "line one\nline 2\nline three\nline four\n",
          additions: 2,
          deletions: 1,
        },
      ],
    },
    {
      type: "model",
      data: [
        {
          id: "claude-x",
          providerID: "anthropic",
          name: "Claude X",
          limit: { context: 200_000, output: 8192 },
          options: { apiKey: "sk-SECRET-OPTION" },
          headers: { authorization: "Bearer SECRET-HEADER" },
        },
      ],
    },
    msg(u1, {
      role: "user",
      agent: "build",
      model: { providerID: "anthropic", modelID: "claude-x" },
      time: { created: T0 },
      summary: { diffs: [{ file: "docs/old-shape.md", before: "alpha\nbeta\n", after: "alpha\ngamma\n" }] },
    }),
    part(u1, "prt_0001a", { type: "text", text: PROMPT }),
    part(u1, "prt_0001b", {
      type: "file",
      mime: "text/plain",
      filename: "app.ts",
      url: "file:///home/dev/proj/src/app.ts",
      source: { type: "file", path: "src/app.ts", text: { value: "@src/app.ts", start: 8, end: 19 } },
    }),
    part(u1, "prt_0001c", { type: "agent", name: "review", source: { value: "@review", start: 28, end: 35 } }),
    part(u1, "prt_0001d", {
      type: "text",
      text: "Called the Read tool with the following input: {...}",
      synthetic: true,
    }),
    msg(a1, assistant(u1, 1)),
    part(a1, "prt_0002a", { type: "step-start", snapshot: "abc" }),
    part(a1, "prt_0002b", {
      type: "reasoning",
      text: "Thinking about **the plan**.",
      time: { start: T0, end: T0 + 2000 },
    }),
    part(a1, "prt_0002c", {
      type: "text",
      text: "Here is code:\n\n```ts\nconst answer: number = 42\n```\n\nSee [the docs](https://example.com/docs) and ![img](https://example.com/x.png).",
      time: { start: T0, end: T0 + 10 },
    }),
    tool(
      a1,
      "prt_0002d",
      "bash",
      done(
        { command: "npm test", description: "Run the tests" },
        "\u001b[31mFAIL\u001b[0m 1 test failed\n",
        { output: "FAIL 1 test failed\n", exit: 1, description: "Run the tests" },
        "npm test",
      ),
    ),
    tool(
      a1,
      "prt_0002e",
      "edit",
      done(
        { filePath: "/home/dev/proj/src/app.ts", oldString: "const b = 2", newString: "const b = 3" },
        "Edit applied successfully.",
        {
          diff: "Index: /home/dev/proj/src/app.ts\n===================================================================\n--- /home/dev/proj/src/app.ts\n+++ /home/dev/proj/src/app.ts\n@@ -1,2 +1,2 @@\n const a = 1\n-const b = 2\n+const b = 3\n",
          filediff: {
            file: "/home/dev/proj/src/app.ts",
            patch: "--- a\n+++ b\n@@ -1,2 +1,2 @@\n const a = 1\n-const b = 2\n+const b = 3\n",
            additions: 1,
            deletions: 1,
          },
          diagnostics: {
            "/home/dev/proj/src/app.ts": [
              {
                severity: 1,
                message: "Type 'string' is not assignable to type 'number'.",
                range: { start: { line: 1, character: 6 }, end: { line: 1, character: 7 } },
              },
            ],
          },
        },
        "src/app.ts",
      ),
    ),
    tool(
      a1,
      "prt_0002f",
      "write",
      done(
        { filePath: "/home/dev/proj/src/new.ts", content: "export const x = 1\n" },
        "Wrote file successfully.",
        { diagnostics: {}, exists: false },
        "src/new.ts",
      ),
    ),
    tool(
      a1,
      "prt_0002g",
      "apply_patch",
      done(
        { patchText: "*** Begin Patch\n*** End Patch" },
        "Success.",
        {
          files: [
            {
              filePath: "/home/dev/proj/a.txt",
              relativePath: "a.txt",
              type: "add",
              patch: "--- /dev/null\n+++ a.txt\n@@ -0,0 +1 @@\n+added\n",
              additions: 1,
              deletions: 0,
            },
            {
              filePath: "/home/dev/proj/b.txt",
              relativePath: "b.txt",
              type: "update",
              before: "x\ny\n",
              after: "x\nz\n",
            },
          ],
        },
        "2 files",
      ),
    ),
    tool(
      a1,
      "prt_0002h",
      "read",
      done(
        { filePath: "/home/dev/proj/README.md" },
        "<file>\n00001| # Readme contents here\n</file>",
        { preview: "# Readme", loaded: ["/home/dev/proj/AGENTS.md"] },
        "README.md",
      ),
    ),
    tool(
      a1,
      "prt_0002i",
      "grep",
      done({ pattern: "TODO", include: "*.ts" }, "Found 2 matches\nsrc/app.ts:3: TODO fix", { matches: 2 }, "TODO"),
    ),
    tool(a1, "prt_0002j", "glob", done({ pattern: "**/*.ts" }, "src/app.ts\nsrc/new.ts", { count: 2 }, "")),
    tool(a1, "prt_0002k", "list", done({ path: "/home/dev/proj" }, "proj/\n  src/\n", { count: 2 }, "")),
    tool(
      a1,
      "prt_0002l",
      "webfetch",
      done(
        { url: "https://example.com/page", format: "markdown" },
        "# Example page body",
        {},
        "https://example.com/page",
      ),
    ),
    tool(
      a1,
      "prt_0002m",
      "websearch",
      done(
        { query: "opencode share" },
        "Result: https://opencode.ai/docs/share and https://example.org/x",
        { provider: "exa" },
        "opencode share",
      ),
    ),
    tool(
      a1,
      "prt_0002n",
      "todowrite",
      done(
        { todos: [] },
        "[]",
        {
          todos: [
            { content: "Write the viewer", status: "completed", priority: "high" },
            { content: "Test the viewer", status: "in_progress", priority: "medium" },
            { content: "Ship it", status: "pending", priority: "low" },
            { content: "Drop the old page", status: "cancelled", priority: "low" },
          ],
        },
        "3 todos",
      ),
    ),
    tool(
      a1,
      "prt_0002o",
      "task",
      done(
        { description: "Investigate subagent", prompt: "Go find the bug", subagent_type: "explore" },
        `<task id="${CHILD}" state="completed">\n<task_result>\nFound the bug in **parser**.\n</task_result>\n</task>`,
        { sessionId: CHILD, summary: [{ id: "x", tool: "bash", state: { status: "completed", title: "ls" } }] },
        "Investigate subagent",
      ),
    ),
    tool(
      a1,
      "prt_0002p",
      "question",
      done(
        {
          questions: [
            {
              header: "Choice",
              question: "Which database?",
              options: [
                { label: "SQLite", description: "simple" },
                { label: "PostgreSQL", description: "scales" },
              ],
            },
          ],
        },
        "answered",
        { answers: [["PostgreSQL"]] },
        "",
      ),
    ),
    tool(
      a1,
      "prt_0002q",
      "github_create_issue",
      done({ repo: "acme/app", title: "Bug in parser", labels: ["bug"] }, "Created issue #42", {}, ""),
    ),
    part(a1, "prt_0002r", {
      type: "retry",
      attempt: 2,
      error: { name: "APIError", data: { message: "Overloaded", statusCode: 529, isRetryable: true } },
      time: { created: T0 + 500 },
    }),
    part(a1, "prt_0002s", { type: "patch", hash: "abc", files: ["/home/dev/proj/src/app.ts"] }),
    part(a1, "prt_0002t", {
      type: "step-finish",
      reason: "stop",
      cost: 0.0123,
      tokens: tokens(1000, 200, 50, 300, 40),
    }),
    // Turn 2: interrupted while a tool was running and another was pending.
    msg("msg_0003", { role: "user", agent: "build", time: { created: T0 + 20_000 } }),
    part("msg_0003", "prt_0003a", { type: "text", text: "Now run the slow thing" }),
    msg(
      "msg_0004",
      assistant("msg_0003", 2, {
        error: { name: "MessageAbortedError", data: { message: "The operation was aborted." } },
        time: { created: T0 + 21_000 },
      }),
    ),
    tool("msg_0004", "prt_0004a", "bash", {
      status: "running",
      input: { command: "sleep 100", description: "Wait" },
      metadata: { output: "partial output so far" },
      time: { start: T0 + 21_000 },
    }),
    tool("msg_0004", "prt_0004b", "grep", { status: "pending", input: {}, raw: "" }),
    tool("msg_0004", "prt_0004c", "bash", {
      status: "error",
      input: { command: "make" },
      error: "Tool execution aborted",
      metadata: { interrupted: true, output: "building…" },
      time: { start: T0, end: T0 + 10 },
    }),
    // Turn 3: a provider error and an unknown part type.
    msg("msg_0005", { role: "user", agent: "plan", time: { created: T0 + 30_000 } }),
    part("msg_0005", "prt_0005a", { type: "text", text: "Try again" }),
    msg(
      "msg_0006",
      assistant("msg_0005", 3, {
        error: {
          name: "APIError",
          data: {
            message: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
            statusCode: 529,
            isRetryable: true,
          },
        },
      }),
    ),
    part("msg_0006", "prt_0006a", { type: "hologram", shimmer: "<b>unknown-part-payload</b>" }),
    // Turn 4: compaction.
    msg("msg_0007", { role: "user", time: { created: T0 + 40_000 } }),
    part("msg_0007", "prt_0007a", { type: "compaction", auto: true, overflow: true }),
    msg("msg_0008", assistant("msg_0007", 4, { summary: true })),
    part("msg_0008", "prt_0008a", {
      type: "text",
      text: "Summary: we fixed the parser.",
      time: { start: T0, end: T0 + 1 },
    }),
    // Turn 5: legacy v1 messages (`metadata`, tool-invocation parts).
    msg("msg_0009", {
      role: "user",
      parts: [{ type: "text", text: "legacy v1 prompt" }],
      metadata: { sessionID: ROOT, time: { created: T0 + 50_000 }, tool: {} },
    }),
    msg("msg_0010", {
      role: "assistant",
      parts: [
        { type: "step-start" },
        { type: "text", text: "legacy v1 answer" },
        {
          type: "tool-invocation",
          toolInvocation: {
            toolCallId: "legacy1",
            toolName: "bash",
            args: { command: "ls legacy" },
            result: "legacy-out.txt",
            state: "result",
          },
        },
      ],
      metadata: {
        sessionID: ROOT,
        time: { created: T0 + 51_000, completed: T0 + 52_000 },
        assistant: {
          cost: 0.5,
          tokens: tokens(10, 5),
          modelID: "legacy-model",
          providerID: "openai",
          path: { cwd: "/", root: "/" },
        },
        tool: { legacy1: { title: "ls legacy", time: { start: 1, end: 2 } } },
      },
    }),
    // An item type this server does not know.
    { type: "todo_list", data: { id: "todo1", items: ["x"] } },
    // The subagent's own session, shared alongside.
    {
      type: "session",
      data: {
        id: CHILD,
        parentID: ROOT,
        title: "Child session",
        version: "1.18.33",
        time: { created: T0, updated: T0 },
      },
    },
    msg("msg_0101", { role: "user", agent: "explore", time: { created: T0 + 2000 } }, CHILD),
    part("msg_0101", "prt_0101a", { type: "text", text: "Go find the bug" }, CHILD),
    msg("msg_0102", { ...assistant("msg_0101", 1), sessionID: CHILD }, CHILD),
    part(
      "msg_0102",
      "prt_0102a",
      { type: "text", text: "child-session-work-done", time: { start: T0, end: T0 + 1 } },
      CHILD,
    ),
    tool(
      "msg_0102",
      "prt_0102b",
      "bash",
      done({ command: "grep -r bug child-dir" }, "child.ts: bug", { exit: 0 }),
      CHILD,
    ),
  ]
  return items
}

/** An n-message session: n/2 turns, each a prompt and an answer with a tool call. */
export function long(n: number, root = ROOT): Item[] {
  const items: Item[] = [
    {
      type: "session",
      data: {
        id: root,
        title: `Long session of ${n} messages`,
        version: "1.18.33",
        time: { created: T0, updated: T0 + n },
      },
    },
  ]
  for (let i = 0; i < n / 2; i++) {
    const u = `msg_${String(i).padStart(6, "0")}a`
    const a = `msg_${String(i).padStart(6, "0")}b`
    items.push(msg(u, { role: "user", agent: "build", time: { created: T0 + i * 2000 } }, root))
    items.push(
      part(
        u,
        `prt_${String(i).padStart(6, "0")}a`,
        { type: "text", text: `Prompt number ${i}: please change function f${i} and explain.` },
        root,
      ),
    )
    items.push(
      msg(
        a,
        { ...assistant(u, 1), sessionID: root, time: { created: T0 + i * 2000 + 100, completed: T0 + i * 2000 + 900 } },
        root,
      ),
    )
    items.push(
      part(
        a,
        `prt_${String(i).padStart(6, "0")}b`,
        {
          type: "text",
          text: `Answer ${i}. I changed \`f${i}\`:\n\n\`\`\`ts\nexport function f${i}(x: number) {\n  return x * ${i}\n}\n\`\`\`\n\nThat keeps the **tests** passing.`,
          time: { start: 1, end: 2 },
        },
        root,
      ),
    )
    items.push(
      tool(
        a,
        `prt_${String(i).padStart(6, "0")}c`,
        "bash",
        done({ command: `npm test -- f${i}`, description: "Run tests" }, `ok ${i}\n`, { exit: 0 }),
        root,
      ),
    )
  }
  return items
}
