/**
 * The real Claude Code 2.1.328 (installed on demand), run offline against the scripted fake
 * Anthropic model: its transcript read by our reader, checked item by item, and rendered on a
 * share page; then a second run followed live, whose polls must add up to a full read. Then the
 * agentshare CLI, as a user runs it: `share` after the run, `share --watch` during one, and a
 * run with `hooks install`: shared live from its first prompt, the link in Claude Code's output.
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

const { skip, installed } = await A.required("claude-code")

describe(`Claude Code ${A.PACKAGES["claude-code"].version} session read and shared`, { skip }, () => {
  let run: A.Run
  let file: string
  let read: ReturnType<typeof Agents.read>
  let root: string
  let child: string
  let page: Awaited<ReturnType<typeof S.publish>>
  let server: TestServer.TestServer

  before(async () => {
    server = await TestServer.start()
    run = await A.run("claude-code", installed())
    assert.equal(run.code, 0, `claude exited ${run.code}: ${run.stderr.slice(-2000)}`)
    if (!run.jailed) console.log("# no network namespace here: Claude Code ran offline by its settings alone")
    file = A.sessionFile("claude-code", run.home, run.sessionID)!
    assert.ok(file, "the transcript exists")
    read = Agents.read("claude-code", file)
    root = read.sessions[0].id
    child = read.sessions[1]?.id
    page = await S.publish(read.items, root)
  })
  after(async () => {
    run?.dispose()
    await server?.close()
  })

  it("records the agent, its version, the directory and the branch on the session", () => {
    const s = S.sessions(read.items).find((x) => x.id === root)!
    assert.equal(root, run.sessionID)
    assert.deepEqual(s.source, { agent: "claude-code", version: "2.1.328", branch: "main" })
    assert.equal(s.directory, run.repo)
    assert.equal(s.title, A.PROMPT)
    assert.ok(s.cost > 0, "the cost Claude Code estimated")
  })

  it("keeps the prompt, the thinking, the text, tokens and the model of each step", () => {
    const msgs = S.messages(read.items, root)
    const prompt = S.parts(read.items, root).find(
      (p) => p.type === "text" && p.messageID === msgs.find((m) => m.role === "user")?.id,
    )
    assert.equal(prompt?.text, A.PROMPT)
    const thinking = S.parts(read.items, root)
      .filter((p) => p.type === "reasoning")
      .map((p) => p.text)
    assert.ok(
      thinking.includes("The user wants a demo session. First I will create hello.txt with the Write tool."),
      thinking.join(" | "),
    )
    assert.ok(S.parts(read.items, root).some((p) => p.type === "text" && /All done: hello\.txt now says/.test(p.text)))
    const answers = msgs.filter((m) => m.role === "assistant")
    assert.equal(answers.length, 7, "one message per model response")
    for (const m of answers) {
      assert.equal(m.modelID, "claude-opus-5-5")
      assert.ok(m.tokens.input > 0 && m.tokens.output > 0, JSON.stringify(m.tokens))
      assert.ok(m.time.completed >= m.time.created)
    }
    assert.equal(S.parts(read.items, root).filter((p) => p.type === "step-finish").length, 7)
    assert.deepEqual(read.items.find((i) => i.type === "model" && !i.sessionID)?.data, [
      { id: "claude-opus-5-5", providerID: "anthropic" },
    ])
  })

  it("keeps every tool call with its input, status, output, exit code and duration", () => {
    const bash = S.tool(read.items, root, "Bash")
    assert.equal(bash.state.status, "completed")
    assert.equal(bash.state.input.command, "echo hi")
    assert.equal(bash.state.metadata.output, "hi")
    assert.equal(bash.state.metadata.exit, 0)
    assert.ok(bash.state.time.end >= bash.state.time.start)
    assert.deepEqual(bash.state.metadata.agentshare, { family: "shell" })
    const write = S.tool(read.items, root, "Write")
    assert.equal(write.state.input.content, "hello\n")
    assert.match(write.state.metadata.diff, /@@ -0,0 \+1,1 @@\n\+hello\n/)
    const edit = S.tool(read.items, root, "Edit")
    assert.equal(edit.state.status, "completed")
    assert.equal(edit.state.metadata.diff, "--- hello.txt\n+++ hello.txt\n@@ -1,1 +1,1 @@\n-hello\n+hello world\n")
    assert.equal(S.tool(read.items, root, "ToolSearch").state.status, "completed")
    assert.deepEqual(S.tool(read.items, root, "TaskCreate").state.metadata.todos, [
      { content: "Create hello.txt", status: "pending", priority: "medium" },
    ])
    const diff = read.items.find((i) => i.type === "session_diff" && !i.sessionID)?.data as S.Rec[]
    assert.deepEqual(
      diff.map((d) => [d.file, d.additions, d.deletions, d.status]),
      [["hello.txt", 2, 1, "added"]],
    )
  })

  it("reads the sub-agent as a child session linked from the call that started it", () => {
    assert.equal(read.sessions.length, 2)
    const agent = S.tool(read.items, root, "Agent")
    assert.equal(agent.state.metadata.sessionId, child)
    assert.match(agent.state.output, /Subagent finished: it printed from-subagent\./)
    const s = S.sessions(read.items).find((x) => x.id === child)!
    assert.equal(s.parentID, root)
    assert.equal(s.agent, "general-purpose")
    const bash = S.tool(read.items, child, "Bash")
    assert.equal(bash.state.input.command, "echo from-subagent")
    assert.equal(bash.state.output, "from-subagent")
    assert.ok(read.items.some((i) => i.type === "session_diff" && i.sessionID === child))
  })

  it("never publishes the system prompt, tool schemas or API request shapes", () => {
    const raw = readFileSync(file, "utf8")
    const all = JSON.stringify(read.items)
    for (const fragment of [
      "You are a Claude agent, built on Anthropic's Claude Agent SDK",
      "Executes a bash command and returns its output",
      "clear_thinking_20251015",
      "fakesig_",
    ]) {
      assert.ok(raw.includes(fragment), `the transcript holds ${fragment}`)
      assert.ok(!all.includes(fragment), `no item holds ${fragment}`)
    }
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
    assert.ok(read.stats.hidden > 0)
    for (const i of read.items) {
      const d = i.data as S.Rec
      for (const id of [d?.id, d?.sessionID, d?.messageID, i.sessionID].filter((x) => typeof x === "string"))
        assert.match(id, ID_PATTERN)
    }
  })

  it("renders every tool with its own renderer, the edit's diff and the sub-agent's session", () => {
    const want: Record<string, string> = {
      Write: "write",
      Bash: "bash",
      Edit: "edit",
      ToolSearch: "gather",
      TaskCreate: "todo",
      Agent: "task",
    }
    for (const t of [...S.tools(read.items, root), ...S.tools(read.items, child)]) {
      const cls = S.frameOf(page.html, t.id)
      assert.doesNotMatch(cls, /generic/, `${t.tool} is not drawn by the generic card`)
      assert.match(cls, new RegExp(`^tool ${want[t.tool]} `), `${t.tool}: ${cls}`)
    }
    assert.match(page.html, /class="da"[^>]*>\+hello world</)
    assert.match(page.html, new RegExp(`data-session="${child}"`))
    assert.match(page.html, /<span class="fact agent-name"[^>]*>Claude Code 2\.1\.328<\/span>/)
    assert.match(page.html, /Thinking/)
    assert.match(page.md, /^- Agent: Claude Code 2\.1\.328 \(branch main\)$/m)
    assert.ok(!page.html.includes(run.work), "the page shows no absolute path of the sharer")
  })

  it("follows the transcript while Claude Code writes it, ending where a full read ends", async () => {
    const live = A.start("claude-code", installed(), { stepDelayMs: 150 })
    try {
      const state = new Map<string, string>()
      let follower: Agents.Follower | undefined
      let polls = 0
      let exited = false
      void live.done.then(() => (exited = true))
      while (!exited) {
        const path = A.sessionFile("claude-code", live.home, live.sessionID)
        if (path && !follower) follower = Agents.follower("claude-code", path)
        const changed = follower?.poll() ?? []
        if (changed.length) polls += 1
        S.apply(state, changed, live.sessionID)
        await new Promise((r) => setTimeout(r, 40))
      }
      const done = await live.done
      assert.equal(done.code, 0, done.stderr.slice(-1000))
      assert.ok(follower, "the transcript appeared")
      S.apply(state, follower.poll(), live.sessionID)
      const full = S.apply(
        new Map(),
        Agents.read("claude-code", A.sessionFile("claude-code", live.home, live.sessionID)!).items,
        live.sessionID,
      )
      assert.ok(polls >= 3, `the file grew while it was followed (${polls} polls with items)`)
      assert.deepEqual(state, full)
    } finally {
      await live.done.then((r) => r.dispose())
    }
  })

  it("agentshare share: the page shows the prompt, the thinking, each tool by its renderer, the diff and the sub-agent", async () => {
    const r = await C.cli("claude-code", run.home, run.repo, server.url).run(["share", "--yes", "--json"])
    assert.equal(r.code, 0, r.stderr)
    const out = JSON.parse(r.stdout) as { id: string; agent: string; sessionID: string }
    assert.deepEqual([out.agent, out.sessionID], ["claude-code", root])
    assert.match(r.stderr, /the latest Claude Code session in /, "it says which agent and session it picked")
    assert.ok(await C.complete(server, out.id, "claude-code", file, root), "the server holds the whole session")
    const html = await C.page(server, out.id)
    assert.ok(html.includes(A.PROMPT))
    assert.match(html, /The user wants a demo session\. First I will create hello\.txt with the Write tool\./)
    const want: Record<string, string> = {
      Write: "write",
      Bash: "bash",
      Edit: "edit",
      ToolSearch: "gather",
      TaskCreate: "todo",
      Agent: "task",
    }
    for (const t of [...S.tools(read.items, root), ...S.tools(read.items, child)])
      assert.match(S.frameOf(html, t.id), new RegExp(`^tool ${want[t.tool]} `), t.tool)
    assert.match(html, /class="da"[^>]*>\+hello world</)
    assert.match(html, new RegExp(`data-session="${child}"`))
    assert.ok(!html.includes(run.work), "no absolute path of the sharer")
  })

  it("share --watch started while Claude Code runs: the page grows live to the end", async (t) => {
    const w = await C.watchWhileRunning("claude-code", installed(), server)
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

  it("hooks install: a run is shared live from its first prompt, the link is in Claude Code's output, uninstall restores settings.json", async (t) => {
    const h = await C.hooked("claude-code", installed(), server)
    t.diagnostic(`the server's seq while the agent ran: ${h.seqs.join(" → ")}`)
    try {
      assert.ok(
        h.run.stdout.includes(`agentshare: sharing this Claude Code session live at ${h.share.url}`),
        `the SessionStart hook's message: ${h.run.stdout.slice(0, 600)}`,
      )
      assert.ok(h.seqs.filter((x) => x > 0).length >= 3, `shared live while it ran: ${h.seqs.join(" → ")}\n${h.logs}`)
      assert.ok(h.whole, `the follower uploaded the whole session before it exited:\n${h.logs}`)
      assert.match(h.logs, /stopped \(the session ended\); 0 item\(s\) left unsent/)
      assert.equal(h.after, h.before, "uninstall leaves settings.json byte for byte as it was")
    } finally {
      h.run.dispose()
    }
  })
})
