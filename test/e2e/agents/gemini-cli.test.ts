/**
 * The real Gemini CLI 0.61.0 (installed on demand), run offline against the scripted fake
 * Gemini API: its chat recording (messages upserted by id, `$set` patches) read by our reader,
 * checked item by item, and rendered on a share page; then a second run followed live, whose
 * polls must add up to a full read.
 */
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { after, before, describe, it } from "node:test"
import * as Agents from "../../../src/client/local/agents/index.ts"
import { ID_PATTERN } from "../../../src/schema/index.ts"
import * as A from "../../support/agents/agents.ts"
import * as C from "../../support/agents/cli.ts"
import * as S from "../../support/agents/share.ts"
import * as TestServer from "../../support/cli-server.ts"

const { skip, installed } = await A.required("gemini-cli")

describe(`Gemini CLI ${A.PACKAGES["gemini-cli"].version} session read and shared`, { skip }, () => {
  let run: A.Run
  let file: string
  let read: ReturnType<typeof Agents.read>
  let root: string
  let child: string
  let page: Awaited<ReturnType<typeof S.publish>>
  let server: TestServer.TestServer

  before(async () => {
    server = await TestServer.start()
    run = await A.run("gemini-cli", installed())
    assert.equal(run.code, 0, `gemini exited ${run.code}: ${run.stderr.slice(-2000)}`)
    if (!run.jailed) console.log("# no network namespace here: Gemini CLI ran offline by its settings alone")
    file = A.sessionFile("gemini-cli", run.home, run.sessionID)!
    assert.ok(file, "the chat recording exists")
    read = Agents.read("gemini-cli", file)
    root = read.sessions[0].id
    child = read.sessions[1]?.id
    page = await S.publish(read.items, root)
  })
  after(async () => {
    run?.dispose()
    await server?.close()
  })

  it("records the agent, the project root (from .project_root) and the branch on the session", () => {
    const s = S.sessions(read.items).find((x) => x.id === root)!
    assert.equal(root, run.sessionID)
    // Gemini CLI writes neither its version nor the branch into the file: the branch is read
    // from the project's .git/HEAD, and the version is not known (docs/AGENTS.md).
    assert.deepEqual(s.source, { agent: "gemini-cli", branch: "main" })
    assert.equal(s.directory, run.repo)
    assert.equal(s.title, A.PROMPT)
  })

  it("keeps the prompt, the thoughts, the text, tokens and the model of each response", () => {
    const msgs = S.messages(read.items, root)
    const user = msgs.filter((m) => m.role === "user")
    assert.equal(user.length, 1, "the session context and the tool results sent back are not prompts")
    assert.equal(S.parts(read.items, root).find((p) => p.messageID === user[0].id)?.text, A.PROMPT)
    const thinking = S.parts(read.items, root)
      .filter((p) => p.type === "reasoning")
      .map((p) => p.text)
    assert.ok(
      thinking.includes("The user wants a demo session. First I will create hello.txt with write_file."),
      thinking.join(" | "),
    )
    const answers = msgs.filter((m) => m.role === "assistant")
    assert.equal(answers.length, 6, "a message re-written with its tool calls is still one message")
    for (const m of answers) {
      assert.equal(m.modelID, "gemini-2.5-flash")
      assert.equal(m.parentID, user[0].id)
      assert.ok(m.tokens.input > 0 && m.tokens.output > 0, JSON.stringify(m.tokens))
    }
  })

  it("keeps every tool call with its input, status, output, exit code and duration", () => {
    const shell = S.tool(read.items, root, "run_shell_command")
    assert.equal(shell.state.status, "completed")
    assert.equal(shell.state.input.command, "echo hi")
    assert.equal(shell.state.metadata.output, "hi")
    assert.equal(shell.state.metadata.exit, 0)
    assert.ok(shell.state.time.end >= shell.state.time.start)
    const write = S.tool(read.items, root, "write_file")
    assert.match(write.state.metadata.diff, /\+hello\n/)
    assert.equal(write.state.metadata.exists, false)
    const replace = S.tool(read.items, root, "replace")
    assert.match(replace.state.metadata.diff, /@@ -1,1 \+1,1 @@\n-hello\n\+hello world\n/)
    assert.deepEqual(
      S.tool(read.items, root, "write_todos").state.metadata.todos.map((t: S.Rec) => [t.content, t.status]),
      [
        ["Create hello.txt", "completed"],
        ["Delegate a check to a sub-agent", "in_progress"],
      ],
    )
  })

  it("reads the sub-agent's chat as a child session linked from invoke_agent", () => {
    assert.equal(read.sessions.length, 2)
    const invoke = S.tool(read.items, root, "invoke_agent")
    assert.equal(invoke.state.metadata.sessionId, child)
    assert.equal(S.sessions(read.items).find((x) => x.id === child)?.parentID, root)
    assert.equal(S.tool(read.items, child, "run_shell_command").state.metadata.output, "from-subagent")
  })

  it("never publishes the session context the CLI adds", () => {
    const raw = readFileSync(file, "utf8")
    const all = JSON.stringify(read.items)
    for (const fragment of [
      "This is the Gemini CLI. We are setting up the context for our chat.",
      "<session_context>",
    ]) {
      assert.ok(raw.includes(fragment), `the chat file holds ${fragment}`)
      assert.ok(!all.includes(fragment), `no item holds ${fragment}`)
    }
    assert.ok(!all.includes("You are Gemini CLI, an interactive CLI agent"))
  })

  it("knows every record type of this version, and every id is a valid id", () => {
    assert.deepEqual(
      {
        malformed: read.stats.malformed,
        oversized: read.stats.oversized,
        pending: read.stats.pending,
        raw: read.stats.raw,
      },
      { malformed: 0, oversized: 0, pending: 0, raw: 0 },
    )
    for (const i of read.items) {
      const d = i.data as S.Rec
      for (const id of [d?.id, d?.sessionID, d?.messageID, i.sessionID].filter((x) => typeof x === "string"))
        assert.match(id, ID_PATTERN)
    }
  })

  it("renders every tool with its own renderer, the edit's diff and the sub-agent's session", () => {
    const want: Record<string, string> = {
      write_file: "write",
      run_shell_command: "bash",
      replace: "edit",
      write_todos: "todo",
      invoke_agent: "task",
    }
    for (const t of S.tools(read.items, root)) {
      const cls = S.frameOf(page.html, t.id)
      assert.match(cls, new RegExp(`^tool ${want[t.tool]} `), `${t.tool}: ${cls}`)
    }
    assert.match(S.frameOf(page.html, S.tool(read.items, child, "run_shell_command").id), /^tool bash /)
    assert.match(page.html, /class="da"[^>]*>\+hello world</)
    assert.match(page.html, new RegExp(`data-session="${child}"`))
    assert.match(page.html, /<span class="fact agent-name"[^>]*>Gemini CLI<\/span>/)
    assert.match(page.md, /^- Agent: Gemini CLI \(branch main\)$/m)
    assert.ok(!page.html.includes(run.work), "the page shows no absolute path of the sharer")
  })

  it("follows the chat while Gemini CLI writes it, ending where a full read ends", async () => {
    const live = A.start("gemini-cli", installed(), { stepDelayMs: 150 })
    try {
      const state = new Map<string, string>()
      let follower: Agents.Follower | undefined
      let polls = 0
      let exited = false
      void live.done.then(() => (exited = true))
      while (!exited) {
        const path = A.sessionFile("gemini-cli", live.home, live.sessionID)
        if (path && !follower) follower = Agents.follower("gemini-cli", path)
        const changed = follower?.poll() ?? []
        if (changed.length) polls += 1
        S.apply(state, changed, live.sessionID)
        await new Promise((r) => setTimeout(r, 40))
      }
      const done = await live.done
      assert.equal(done.code, 0, done.stderr.slice(-1000))
      assert.ok(follower, "the chat file appeared")
      S.apply(state, follower.poll(), live.sessionID)
      const full = Agents.read("gemini-cli", A.sessionFile("gemini-cli", live.home, live.sessionID)!)
      assert.equal(full.sessions.length, 2)
      assert.ok(polls >= 3, `the file grew while it was followed (${polls} polls with items)`)
      assert.deepEqual(state, S.apply(new Map(), full.items, live.sessionID))
    } finally {
      await live.done.then((r) => r.dispose())
    }
  })

  it("agentshare share: the page shows the prompt, the thinking, each tool by its renderer, the diff and the sub-agent", async () => {
    const r = await C.cli("gemini-cli", run.home, run.repo, server.url).run(["share", "--yes", "--json"])
    assert.equal(r.code, 0, r.stderr)
    const out = JSON.parse(r.stdout) as { id: string; agent: string; sessionID: string }
    assert.deepEqual([out.agent, out.sessionID], ["gemini-cli", root])
    assert.match(r.stderr, /the latest Gemini CLI session in /, "it says which agent and session it picked")
    assert.ok(await C.complete(server, out.id, "gemini-cli", file, root), "the server holds the whole session")
    const html = await C.page(server, out.id)
    assert.ok(html.includes(A.PROMPT))
    assert.ok(html.includes("The user wants a demo session. First I will create hello.txt with write_file."))
    const want: Record<string, string> = {
      write_file: "write",
      run_shell_command: "bash",
      replace: "edit",
      write_todos: "todo",
      invoke_agent: "task",
    }
    for (const t of S.tools(read.items, root))
      assert.match(S.frameOf(html, t.id), new RegExp(`^tool ${want[t.tool]} `), t.tool)
    assert.match(
      S.frameOf(html, S.tool(read.items, child, "run_shell_command").id),
      /^tool bash /,
      "the sub-agent's shell command",
    )
    assert.match(html, /class="da"[^>]*>\+hello world</)
    assert.match(html, new RegExp(`data-session="${child}"`))
    assert.ok(!html.includes(run.work), "no absolute path of the sharer")
  })

  it("share --watch started while Gemini CLI runs: the page grows live to the end", async (t) => {
    const w = await C.watchWhileRunning("gemini-cli", installed(), server)
    t.diagnostic(`the server's seq while the agent ran: ${w.seqs.join(" → ")}`)
    try {
      assert.equal(w.code, 0, w.output.stderr)
      const grew = w.seqs.filter((x) => x > 0)
      assert.ok(grew.length >= 3, `the server's seq grew while the agent ran: ${w.seqs.join(" → ")}`)
      assert.match(await C.page(server, w.id), /All done: hello\.txt now says/)
    } finally {
      w.run.dispose()
    }
  })

  it("hooks install: a run is shared live from its first prompt, the link is in Gemini CLI's output, uninstall restores the settings", async (t) => {
    const h = await C.hooked("gemini-cli", installed(), server)
    t.diagnostic(`the server's seq while the agent ran: ${h.seqs.join(" → ")}`)
    try {
      assert.ok(
        h.run.stderr.includes(`agentshare: sharing this Gemini CLI session live at ${h.share.url}`),
        `the SessionStart hook's message: ${h.run.stderr.slice(0, 600)}`,
      )
      assert.ok(h.seqs.filter((x) => x > 0).length >= 3, `shared live while it ran: ${h.seqs.join(" → ")}\n${h.logs}`)
      assert.ok(h.whole, `the follower uploaded the whole session before it exited:\n${h.logs}`)
      assert.match(h.logs, /stopped \(the session ended\); 0 item\(s\) left unsent/)
      assert.equal(h.after, h.before, "uninstall leaves the settings byte for byte as they were")
    } finally {
      h.run.dispose()
    }
  })
})
