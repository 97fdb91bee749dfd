/**
 * The real Codex CLI 0.169.0 (installed on demand), run offline against the scripted fake
 * Responses API: its rollouts read by our reader, checked item by item, and rendered on a share
 * page; then a second run followed live, whose polls must add up to a full read.
 */
import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { after, before, describe, it } from "node:test"
import * as Agents from "../../../src/client/local/agents/index.ts"
import { ID_PATTERN } from "../../../src/schema/index.ts"
import * as A from "../../support/agents/agents.ts"
import * as C from "../../support/agents/cli.ts"
import * as S from "../../support/agents/share.ts"
import * as TestServer from "../../support/cli-server.ts"

const { skip, installed } = await A.required("codex")

describe(`Codex CLI ${A.PACKAGES.codex.version} session read and shared`, { skip }, () => {
  let run: A.Run
  let file: string
  let read: ReturnType<typeof Agents.read>
  let root: string
  let child: string
  let page: Awaited<ReturnType<typeof S.publish>>
  let server: TestServer.TestServer

  before(async () => {
    server = await TestServer.start()
    run = await A.run("codex", installed())
    assert.equal(run.code, 0, `codex exited ${run.code}: ${run.stderr.slice(-2000)}`)
    if (!run.jailed) console.log("# no network namespace here: Codex ran offline by its settings alone")
    file = A.sessionFile("codex", run.home, run.sessionID, run.stdout)!
    assert.ok(file, "the rollout exists")
    read = Agents.read("codex", file)
    root = read.sessions[0].id
    child = read.sessions[1]?.id
    page = await S.publish(read.items, root)
  })
  after(async () => {
    run?.dispose()
    await server?.close()
  })

  it("records the agent, its version, the directory, the branch and the commit on the session", () => {
    const s = S.sessions(read.items).find((x) => x.id === root)!
    assert.ok(file.endsWith(`-${root}.jsonl`), "the session id is the thread id")
    assert.equal(s.source.agent, "codex")
    assert.equal(s.source.version, "0.169.0")
    assert.equal(s.source.branch, "main")
    assert.match(s.source.commit, /^[0-9a-f]{40}$/)
    assert.equal(s.directory, run.repo)
    assert.equal(s.title, A.PROMPT)
  })

  it("keeps the prompt, the reasoning summary, the text, tokens and the model of each response", () => {
    const msgs = S.messages(read.items, root)
    const user = msgs.filter((m) => m.role === "user")
    assert.equal(
      S.parts(read.items, root).find((p) => p.messageID === user[0].id)?.text,
      A.PROMPT,
      "the harness context is not the prompt",
    )
    const thinking = S.parts(read.items, root)
      .filter((p) => p.type === "reasoning")
      .map((p) => p.text)
    assert.ok(
      thinking.includes("The user wants a demo session. I will create hello.txt with apply_patch."),
      thinking.join(" | "),
    )
    const answers = msgs.filter((m) => m.role === "assistant")
    assert.equal(answers.length, 7, "one message per model response")
    for (const m of answers) {
      assert.equal(m.modelID, "gpt-5.5")
      assert.equal(m.providerID, "fake")
      assert.ok(m.tokens.input > 0 && m.tokens.total > 0, JSON.stringify(m.tokens))
    }
    assert.ok(answers.some((m) => m.tokens.reasoning > 0))
    assert.equal(S.parts(read.items, root).filter((p) => p.type === "step-finish").length, 7)
  })

  it("keeps every tool call with its input, status, output, exit code and duration", () => {
    const exec = S.tool(read.items, root, "exec_command")
    assert.equal(exec.state.status, "completed")
    assert.deepEqual(exec.state.input, { cmd: "echo hi" })
    assert.equal(exec.state.metadata.output, "hi\n")
    assert.equal(exec.state.metadata.exit, 0)
    assert.ok(exec.state.time.end >= exec.state.time.start)
    const add = S.tool(read.items, root, "apply_patch", 0)
    assert.match(add.state.input.input, /\*\*\* Add File: hello\.txt/)
    assert.deepEqual(
      add.state.metadata.files.map((f: S.Rec) => [f.filePath, f.type, f.additions]),
      [["hello.txt", "add", 1]],
    )
    const update = S.tool(read.items, root, "apply_patch", 1)
    assert.equal(update.state.status, "completed")
    assert.equal(update.state.metadata.diff, "--- hello.txt\n+++ hello.txt\n@@ -1 +1 @@\n-hello\n+hello world\n")
    assert.deepEqual(update.state.metadata.agentshare, { family: "edit", kind: "patch" })
    const plan = S.tool(read.items, root, "update_plan")
    assert.deepEqual(
      plan.state.metadata.todos.map((t: S.Rec) => [t.content, t.status]),
      [
        ["Create hello.txt", "completed"],
        ["Delegate a check to a sub-agent", "in_progress"],
      ],
    )
    assert.equal(S.tool(read.items, root, "wait_agent").state.status, "completed")
  })

  it("reads the sub-agent's rollout as a child session linked from spawn_agent", () => {
    assert.equal(read.sessions.length, 2)
    const spawn = S.tool(read.items, root, "spawn_agent")
    assert.equal(spawn.state.metadata.sessionId, child)
    const s = S.sessions(read.items).find((x) => x.id === child)!
    assert.equal(s.parentID, root)
    assert.equal(s.title, "/root/fake_check")
    const exec = S.tool(read.items, child, "exec_command")
    assert.equal(exec.state.metadata.output, "from-subagent\n")
  })

  it("never publishes the base instructions, developer messages or encrypted content", () => {
    const raw = readFileSync(file, "utf8")
    const all = JSON.stringify(read.items)
    for (const fragment of [
      "You are Codex, a coding agent based on GPT-5",
      "<permissions instructions>",
      "<environment_context>",
      "fake-encrypted-",
    ]) {
      assert.ok(raw.includes(fragment), `the rollout holds ${fragment}`)
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
    for (const i of read.items) {
      const d = i.data as S.Rec
      for (const id of [d?.id, d?.sessionID, d?.messageID, i.sessionID].filter((x) => typeof x === "string"))
        assert.match(id, ID_PATTERN)
    }
  })

  it("renders every tool with its own renderer, the edit's diff and the sub-agent's session", () => {
    const want: Record<string, string> = {
      exec_command: "bash",
      apply_patch: "edit",
      update_plan: "todo",
      spawn_agent: "task",
      wait_agent: "task",
    }
    for (const t of [...S.tools(read.items, root), ...S.tools(read.items, child)]) {
      const cls = S.frameOf(page.html, t.id)
      assert.match(cls, new RegExp(`^tool ${want[t.tool]} `), `${t.tool}: ${cls}`)
    }
    assert.match(page.html, /class="da"[^>]*>\+hello world</)
    assert.match(page.html, new RegExp(`data-session="${child}"`))
    assert.match(page.html, /<span class="fact agent-name"[^>]*>Codex CLI 0\.169\.0<\/span>/)
    assert.match(page.md, /^- Agent: Codex CLI 0\.169\.0 \(branch main\)$/m)
    assert.ok(!page.html.includes(run.work), "the page shows no absolute path of the sharer")
  })

  it("follows the rollouts while Codex writes them, ending where a full read ends", async () => {
    const live = A.start("codex", installed(), { stepDelayMs: 150 })
    try {
      const state = new Map<string, string>()
      let follower: Agents.Follower | undefined
      let root = ""
      let polls = 0
      let exited = false
      void live.done.then(() => (exited = true))
      while (!exited) {
        const path = A.find(`${live.home}/.codex/sessions`, /rollout-[^/]+\.jsonl$/)[0]
        if (path && !follower) {
          follower = Agents.follower("codex", path)
          root = /([0-9a-f-]{36})\.jsonl$/.exec(path)![1]
        }
        const changed = follower?.poll() ?? []
        if (changed.length) polls += 1
        S.apply(state, changed, root)
        await new Promise((r) => setTimeout(r, 40))
      }
      const done = await live.done
      assert.equal(done.code, 0, done.stderr.slice(-1000))
      assert.ok(follower, "the rollout appeared")
      const path = A.sessionFile("codex", live.home, live.sessionID, done.stdout)!
      const full = Agents.read("codex", path)
      assert.equal(full.sessions.length, 2, "the sub-agent was found while following")
      assert.ok(polls >= 3, `the files grew while they were followed (${polls} polls with items)`)
      // The follower looks for a sub-agent's rollout at most once a second: it ends where the
      // full read ends within a few of its polls after the run, as a watch would.
      const want = S.apply(new Map(), full.items, root)
      for (const deadline = Date.now() + 5000; ; ) {
        S.apply(state, follower.poll(), root)
        if (Date.now() > deadline || S.same(state, want)) break
        await new Promise((r) => setTimeout(r, 100))
      }
      assert.deepEqual(state, want)
    } finally {
      await live.done.then((r) => r.dispose())
    }
  })

  it("agentshare share: the page shows the prompt, the thinking, each tool by its renderer, the diff and the sub-agent", async () => {
    const r = await C.cli("codex", run.home, run.repo, server.url).run(["share", "--yes", "--json"])
    assert.equal(r.code, 0, r.stderr)
    const out = JSON.parse(r.stdout) as { id: string; agent: string; sessionID: string }
    assert.deepEqual([out.agent, out.sessionID], ["codex", root])
    assert.match(r.stderr, /the latest Codex CLI session in /, "it says which agent and session it picked")
    assert.ok(await C.complete(server, out.id, "codex", file, root), "the server holds the whole session")
    const html = await C.page(server, out.id)
    assert.ok(html.includes(A.PROMPT))
    assert.ok(html.includes("The user wants a demo session. I will create hello.txt with apply_patch."))
    const want: Record<string, string> = {
      exec_command: "bash",
      apply_patch: "edit",
      update_plan: "todo",
      spawn_agent: "task",
      wait_agent: "task",
    }
    for (const t of [...S.tools(read.items, root), ...S.tools(read.items, child)])
      assert.match(S.frameOf(html, t.id), new RegExp(`^tool ${want[t.tool]} `), t.tool)
    assert.match(html, /class="da"[^>]*>\+hello world</)
    assert.match(html, new RegExp(`data-session="${child}"`))
    assert.ok(!html.includes(run.work), "no absolute path of the sharer")
  })

  it("share --watch started while Codex CLI runs: the page grows live to the end", async (t) => {
    const w = await C.watchWhileRunning("codex", installed(), server)
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

  it("hooks install: a run is shared live from its first prompt, the hook's link goes out as Codex's systemMessage, uninstall restores the settings", async (t) => {
    const h = await C.hooked("codex", installed(), server)
    t.diagnostic(`the server's seq while the agent ran: ${h.seqs.join(" → ")}`)
    try {
      // codex exec shows no hook message at all (its TUI does: the next test).
      assert.ok(h.logs.includes(`for ${h.share.url}`), h.logs)
      assert.ok(h.seqs.filter((x) => x > 0).length >= 3, `shared live while it ran: ${h.seqs.join(" → ")}\n${h.logs}`)
      assert.ok(h.whole, `the follower uploaded the whole session before it exited:\n${h.logs}`)
      assert.match(h.logs, /stopped \(the session ended\); 0 item\(s\) left unsent/)
      assert.equal(h.after, h.before, "uninstall leaves the settings byte for byte as they were")
    } finally {
      h.run.dispose()
    }
  })

  it("hooks install: the link is printed in Codex's TUI, where it shows hook messages, and the run is shared live", {
    skip: spawnSync("tmux", ["-V"]).status === 0 || process.env.CI === "true" ? false : "tmux is not installed",
  }, async (t) => {
    const h = await C.hooked("codex", installed(), server, { tui: true })
    t.diagnostic(`the server's seq while the agent ran: ${h.seqs.join(" → ")}`)
    try {
      assert.ok(
        h.screen.replace(/\s+/g, " ").includes(`agentshare: sharing this Codex CLI session live at ${h.share.url}`),
        `the SessionStart hook's message on the screen:\n${h.screen}`,
      )
      assert.ok(h.seqs.filter((x) => x > 0).length >= 3, `shared live while it ran: ${h.seqs.join(" → ")}\n${h.logs}`)
      assert.ok(h.whole, `the follower uploaded the whole session before it exited:\n${h.logs}`)
      assert.equal(h.after, h.before, "uninstall leaves hooks.json byte for byte as it was")
    } finally {
      h.run.dispose()
    }
  })
})
