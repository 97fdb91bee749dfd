/** Sessions of Claude Code, Codex CLI and Gemini CLI on the share page: the header names the
 * agent, and every tool of each agent gets the renderer that fits it, read under the agent's
 * own argument names; names that collide are told apart by the session's agent. */
import assert from "node:assert/strict"
import { before, describe, it } from "node:test"
import { frameOf, publish, type Rec } from "../support/agents/share.ts"
import type { SyncItem } from "../../src/schema/index.ts"

const T0 = 1_796_000_000_000
type Call = [name: string, input: Rec, metadata?: Rec, output?: string]

/** A session of `agent` whose one assistant message makes every call in `calls`. */
function session(id: string, agent: string, calls: Call[], extra: Rec = {}): SyncItem[] {
  const items: SyncItem[] = [
    {
      type: "session",
      data: {
        id,
        title: `${agent} session`,
        directory: "/home/dev/proj",
        source: { agent, version: "9.9.9", branch: "main" },
        time: { created: T0, updated: T0 + 1000 },
        ...extra,
      },
    },
    { type: "message", data: { id: "msg_1", sessionID: id, role: "user", time: { created: T0 } } },
    { type: "part", data: { id: "prt_1", sessionID: id, messageID: "msg_1", type: "text", text: "do it" } },
    {
      type: "message",
      data: {
        id: "msg_2",
        sessionID: id,
        role: "assistant",
        parentID: "msg_1",
        modelID: "m",
        providerID: "p",
        path: { cwd: "/home/dev/proj", root: "/home/dev/proj" },
        time: { created: T0, completed: T0 + 1 },
      },
    },
  ]
  calls.forEach(([tool, input, metadata = {}, output = "ok"], i) => {
    items.push({
      type: "part",
      data: {
        id: `prt_2${String(i).padStart(3, "0")}`,
        sessionID: id,
        messageID: "msg_2",
        type: "tool",
        tool,
        callID: `c${i}`,
        state: { status: "completed", input, output, metadata, title: "", time: { start: T0, end: T0 + 1 } },
      },
    })
  })
  return items
}

const CLAUDE: [Call, string][] = [
  [["Bash", { command: "ls -la", description: "List" }, { output: "total 0", exit: 0 }], "bash"],
  [["Read", { file_path: "/home/dev/proj/src/a.ts" }], "gather"],
  [["Edit", { file_path: "/home/dev/proj/src/a.ts", old_string: "left", new_string: "right" }], "edit"],
  [["MultiEdit", { file_path: "/home/dev/proj/src/a.ts", edits: [{ old_string: "one", new_string: "two" }] }], "edit"],
  [["Write", { file_path: "/home/dev/proj/new.md", content: "# New" }], "write"],
  [["Grep", { pattern: "TODO", path: "/home/dev/proj/src", glob: "*.ts" }], "gather"],
  [["Glob", { pattern: "**/*.ts" }], "gather"],
  [["Task", { description: "Look", prompt: "Look around", subagent_type: "Explore" }], "task"],
  [["Agent", { description: "Look", prompt: "Look around", subagent_type: "general-purpose" }], "task"],
  [
    [
      "TodoWrite",
      {
        todos: [
          { content: "First", status: "completed" },
          { content: "Second", status: "pending" },
        ],
      },
    ],
    "todo",
  ],
  [
    ["TaskCreate", { subject: "Ship it", description: "Ship" }, { todos: [{ content: "Ship it", status: "pending" }] }],
    "todo",
  ],
  [
    ["TaskUpdate", { taskId: "1", status: "completed" }, { todos: [{ content: "Ship it", status: "completed" }] }],
    "todo",
  ],
  [["WebFetch", { url: "https://example.com/docs", prompt: "summarise" }], "web"],
  [["WebSearch", { query: "zod looseObject" }], "web"],
  [["NotebookEdit", { notebook_path: "/home/dev/proj/a.ipynb", new_source: "print(1)", cell_id: "c1" }], "edit"],
  [["ToolSearch", { query: "select:TaskCreate" }, { matches: 1 }], "gather"],
  [["ExitPlanMode", { plan: "1. **Read**\n2. Write" }], "todo"],
]
const CODEX: [Call, string][] = [
  [
    [
      "exec_command",
      { cmd: "cargo test" },
      { output: "test result: FAILED", exit: 101 },
      "Process exited with code 101",
    ],
    "bash",
  ],
  [["shell", { command: ["bash", "-lc", "git status"] }, { output: "clean", exit: 0 }], "bash"],
  [
    [
      "apply_patch",
      { input: "*** Begin Patch\n*** Update File: a.rs\n@@\n-x\n+y\n*** End Patch\n" },
      { files: [{ filePath: "a.rs", type: "update", diff: "--- a.rs\n+++ a.rs\n@@ -1 +1 @@\n-x\n+y\n" }] },
    ],
    "edit",
  ],
  [["update_plan", { explanation: "Plan", plan: [{ step: "Build", status: "in_progress" }] }], "todo"],
  [["spawn_agent", { task_name: "check", message: "Check the build" }], "task"],
  [["wait_agent", { timeout_ms: 1000 }], "task"],
  [["web_search", { action: { type: "search", query: "rust lifetimes" } }], "web"],
  [["read_file", { path: "/home/dev/proj/a.rs" }], "gather"],
]
const GEMINI: [Call, string][] = [
  [["run_shell_command", { command: "npm test", description: "Test" }, { output: "1 failing", exit: 1 }], "bash"],
  [["read_file", { file_path: "/home/dev/proj/src/a.ts" }], "gather"],
  [["read_many_files", { paths: ["/home/dev/proj/a.ts", "/home/dev/proj/b.ts"] }], "gather"],
  [["write_file", { file_path: "/home/dev/proj/out.txt", content: "out" }], "write"],
  [
    [
      "replace",
      { file_path: "/home/dev/proj/src/a.ts", old_string: "foo", new_string: "bar" },
      { diff: "--- a.ts\n+++ a.ts\n@@ -1,1 +1,1 @@\n-foo\n+bar\n" },
    ],
    "edit",
  ],
  [["glob", { pattern: "*.md", dir_path: "/home/dev/proj/docs" }], "gather"],
  [["search_file_content", { pattern: "fixme", include: "*.ts" }], "gather"],
  [["write_todos", { todos: [{ description: "Port it", status: "in_progress" }] }], "todo"],
  [["web_fetch", { prompt: "Summarise https://example.org/page please" }], "web"],
  [["google_web_search", { query: "gemini cli hooks" }], "web"],
  [["invoke_agent", { agent_name: "generalist", prompt: "Investigate" }], "task"],
]

describe("share pages of other agents' sessions", () => {
  const pages: Record<string, string> = {}
  const mds: Record<string, string> = {}
  before(async () => {
    for (const [agent, calls] of [
      ["claude-code", CLAUDE],
      ["codex", CODEX],
      ["gemini-cli", GEMINI],
    ] as const) {
      const p = await publish(
        session(
          `ses_${agent.replace("-", "")}`,
          agent,
          calls.map(([c]) => c),
        ),
        `ses_${agent.replace("-", "")}`,
      )
      pages[agent] = p.html
      mds[agent] = p.md
    }
  })

  for (const [agent, calls] of [
    ["claude-code", CLAUDE],
    ["codex", CODEX],
    ["gemini-cli", GEMINI],
  ] as const) {
    it(`draws every ${agent} tool with the renderer that fits it, never the generic card`, () => {
      calls.forEach(([[name], want], i) => {
        const cls = frameOf(pages[agent], `prt_2${String(i).padStart(3, "0")}`)
        assert.match(cls, new RegExp(`^tool ${want} `), `${name}: ${cls}`)
      })
    })
  }

  it("names the agent, its version and the branch in the header and the Markdown", () => {
    assert.match(
      pages["claude-code"],
      /<span class="fact agent-name"[^>]*>Claude Code 9\.9\.9<\/span>.*<span class="fact branch"[^>]*>⎇ main<\/span>/,
    )
    assert.match(pages.codex, />Codex CLI 9\.9\.9</)
    assert.match(pages["gemini-cli"], />Gemini CLI 9\.9\.9</)
    assert.match(pages.codex, /<meta name="description" content="[^"]*Codex CLI 9\.9\.9/)
    assert.match(mds["claude-code"], /^- Agent: Claude Code 9\.9\.9 \(branch main\)$/m)
    assert.doesNotMatch(mds["claude-code"], /OpenCode/)
  })

  it("reads each agent's own argument names", () => {
    const claude = pages["claude-code"]
    // Paths are shown relative to the project, from file_path.
    assert.match(claude, /<span class="sub">src\/a\.ts<\/span>/)
    assert.match(claude, /class="dd"[^>]*>-left<\/span>\n<span class="da"[^>]*>\+right</)
    assert.match(claude, /class="dd"[^>]*>-one<\/span>\n<span class="da"[^>]*>\+two</)
    assert.match(claude, /&quot;TODO&quot; in src include=\*\.ts/)
    assert.match(claude, /print<\/span>\(<span class="hljs-number">1/)
    assert.match(claude, /<strong>Read<\/strong>/, "the plan is Markdown")
    assert.match(
      pages.codex,
      /<span class="prompt">\$ cargo test<\/span>\ntest result: FAILED/,
      "a shell's own output, not what the model was sent",
    )
    assert.match(pages.codex, /<span class="prompt">\$ git status<\/span>/, "argv from Codex's shell tool")
    assert.match(pages.codex, /Build<\/span> <span class="muted">in progress/)
    assert.match(pages.codex, /Check the build/)
    assert.match(pages.codex, /<span class="sub">rust lifetimes<\/span>/)
    assert.match(pages["gemini-cli"], /href="https:\/\/example\.org\/page"/, "the URL from web_fetch's prompt")
    assert.match(pages["gemini-cli"], /Port it/)
    assert.match(pages["gemini-cli"], /docs/)
    assert.match(pages["gemini-cli"], /<span class="sub">a\.ts, b\.ts<\/span>/)
  })

  it("keys tool names by the session's agent: OpenCode's own names are untouched", async () => {
    // In an OpenCode session (no source) a tool called "Bash" is an unknown (MCP) tool.
    const items = session("ses_oc", "x", [
      ["Bash", { command: "ls" }],
      ["bash", { command: "ls" }],
    ])
    delete (items[0].data as Rec).source
    const oc = (await publish(items, "ses_oc")).html
    assert.match(frameOf(oc, "prt_2000"), /^tool generic /)
    assert.match(frameOf(oc, "prt_2001"), /^tool bash /)
    // A reader's class on the part wins over the table: an MCP tool it knows is a search.
    const hinted = (
      await publish(
        session("ses_hint", "claude-code", [
          ["mcp__docs__lookup", { query: "q" }, { agentshare: { family: "web", kind: "search" } }],
          ["mcp__other__thing", { a: 1 }],
        ]),
        "ses_hint",
      )
    ).html
    assert.match(frameOf(hinted, "prt_2000"), /^tool web /)
    assert.match(frameOf(hinted, "prt_2001"), /^tool generic /)
  })

  it("shows a record a reader kept raw, labelled with the agent and the record type", async () => {
    const items = session("ses_raw", "codex", [])
    items.push({
      type: "part",
      data: {
        id: "prt_3",
        sessionID: "ses_raw",
        messageID: "msg_2",
        type: "raw",
        agent: "codex",
        recordType: "brand_new_item",
        record: { type: "brand_new_item", detail: "kept <b>safely</b>" },
      },
    })
    const html = (await publish(items, "ses_raw")).html
    assert.match(html, /Codex CLI record &quot;brand_new_item&quot; this viewer does not know/)
    assert.match(html, /kept &lt;b&gt;safely&lt;\/b&gt;/)
  })
})
