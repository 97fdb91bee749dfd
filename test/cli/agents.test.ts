/**
 * The CLI over every agent's sessions on one machine, through the real CLI against a real
 * server: `sessions` (newest first, --agent, --limit, --json, 80 columns, share links), `share`
 * picking this directory's latest session whichever agent wrote it (or the one named by an id,
 * a part of one, or a file), agentshare's own share mode refusing with the file's name, and
 * `watch` in auto mode sharing new sessions of every agent in this directory and following them.
 * The session files are small synthetic ones in each agent's real format (the real agents are
 * test/e2e/agents/).
 */
import assert from "node:assert/strict"
import { appendFileSync, mkdirSync, utimesSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { after, before, describe, it } from "node:test"
import { home, until, type Home } from "../support/cli-run.ts"
import * as TestServer from "../support/cli-server.ts"

const T0 = Date.parse("2026-11-30T10:00:00.000Z")
const at = (s: number) => new Date(T0 + s * 1000).toISOString()
const line = (r: unknown) => `${JSON.stringify(r)}\n`
const write = (path: string, text: string, mtime?: number) => {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
  if (mtime !== undefined) utimesSync(path, mtime / 1000, mtime / 1000)
}

const CLAUDE = "11111111-2222-4333-8444-555555555555"
const CODEX = "01a230ad-c8f8-7150-a0d2-d0867dfd9cc9"
const GEMINI = "bbbbbbbb-0000-4000-8000-000000000004"

function claude(
  cwd: string,
  id = CLAUDE,
  prompt = "Fix the greeting in hello.txt, and make the title long enough to be cut at eighty columns",
) {
  const env = (uuid: string, s: number) => ({
    parentUuid: null,
    isSidechain: false,
    sessionId: id,
    uuid,
    timestamp: at(s),
    cwd,
    gitBranch: "main",
    version: "2.1.328",
    userType: "external",
  })
  return [
    line({ ...env("u1", 1), type: "user", message: { role: "user", content: prompt } }),
    line({
      ...env("a1", 2),
      type: "assistant",
      apiBlockIndex: 0,
      message: {
        id: `msg_${id.slice(0, 4)}`,
        type: "message",
        role: "assistant",
        model: "claude-opus-5-5",
        content: [{ type: "text", text: "On it." }],
        stop_reason: "end_turn",
        usage: { input_tokens: 10, output_tokens: 2 },
      },
    }),
  ].join("")
}
const claudeMore = (cwd: string, id = CLAUDE) =>
  line({
    parentUuid: null,
    isSidechain: false,
    sessionId: id,
    uuid: "a2",
    timestamp: at(5),
    cwd,
    gitBranch: "main",
    version: "2.1.328",
    userType: "external",
    type: "assistant",
    apiBlockIndex: 0,
    message: {
      id: "msg_more",
      type: "message",
      role: "assistant",
      model: "claude-opus-5-5",
      content: [{ type: "text", text: "Done: it says hello world now." }],
      stop_reason: "end_turn",
      usage: { input_tokens: 10, output_tokens: 2 },
    },
  })

function codex(cwd: string) {
  let ordinal = 0
  const rec = (type: string, s: number, payload: unknown) =>
    line({ timestamp: at(s), ordinal: ordinal++, type, payload })
  return [
    rec("session_meta", 0, {
      id: CODEX,
      cwd,
      cli_version: "0.169.0",
      model_provider: "openai",
      git: { branch: "main" },
    }),
    rec("turn_context", 0, { model: "gpt-5.5", cwd }),
    rec("response_item", 1, {
      type: "message",
      role: "user",
      content: [{ type: "input_text", text: "Run the tests" }],
    }),
    rec("response_item", 2, {
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text: "They pass." }],
    }),
  ].join("")
}

function gemini() {
  return [
    line({ sessionId: GEMINI, projectHash: "f".repeat(64), startTime: at(0), lastUpdated: at(0), kind: "main" }),
    line({ id: "u1", timestamp: at(1), type: "user", content: [{ text: "Explain the build" }] }),
    line({
      id: "g1",
      timestamp: at(2),
      type: "gemini",
      content: "It uses make.",
      tokens: { input: 5, output: 3, cached: 0, thoughts: 0, tool: 0, total: 8 },
      model: "gemini-2.5-flash",
    }),
  ].join("")
}

describe("agentshare across agents: sessions, share and watch", () => {
  let server: TestServer.TestServer
  before(async () => {
    server = await TestServer.start()
  })
  after(() => server.close())

  /** A home with OpenCode's fixture database (its session 8 days old) and one session of each other agent in the project. */
  const machine = () => {
    const h = home()
    h.env.AGENTSHARE_URL = server.url
    const HOME = h.env.HOME
    const now = Date.now()
    const files = {
      claude: join(HOME, ".claude", "projects", h.project.replace(/[^A-Za-z0-9]/g, "-"), `${CLAUDE}.jsonl`),
      codex: join(HOME, ".codex", "sessions", "2026", "11", "30", `rollout-2026-11-30T10-00-00-${CODEX}.jsonl`),
      gemini: join(HOME, ".gemini", "tmp", "project", "chats", "session-2026-11-30T10-00-bbbbbbbb.jsonl"),
    }
    write(files.claude, claude(h.project), now - 60_000)
    write(files.codex, codex(h.project), now - 120_000)
    write(join(HOME, ".gemini", "tmp", "project", ".project_root"), h.project)
    write(files.gemini, gemini(), now - 180_000)
    return { h, files }
  }
  const json = async <T>(h: Home, args: string[]) => {
    const r = await h.run(args)
    assert.equal(r.code, 0, r.stderr)
    return JSON.parse(r.stdout) as T
  }
  type Listed = {
    agent: string
    id: string
    title: string
    directory: string
    share: { url: string; live: boolean } | null
  }

  it("lists every agent's sessions newest first, narrows by --agent and --limit, and fits 80 columns", async () => {
    const { h } = machine()
    const all = await json<Listed[]>(h, ["sessions", "--json"])
    assert.deepEqual(
      all.map((s) => s.agent),
      ["claude-code", "codex", "gemini-cli", "opencode"],
    )
    assert.deepEqual(
      all.slice(0, 3).map((s) => s.id),
      [CLAUDE, CODEX, GEMINI],
    )
    assert.ok(all.slice(0, 3).every((s) => s.directory === h.project))
    assert.deepEqual(
      (await json<Listed[]>(h, ["sessions", "--agent", "codex", "--json"])).map((s) => s.id),
      [CODEX],
    )
    assert.equal((await json<Listed[]>(h, ["sessions", "--limit", "2", "--json"])).length, 2)
    assert.equal((await h.run(["sessions", "--agent", "cursor"])).code, 2)
    const plain = await h.run(["sessions"])
    assert.equal(plain.code, 0, plain.stderr)
    const lines = plain.stdout.trimEnd().split("\n")
    assert.match(lines[0], /^AGENT +ID +UPDATED +DIRECTORY +TITLE$/)
    assert.match(
      lines[1],
      /^claude +55555555 +1m ago +\S+ +Fix the greeting in hello\.txt.*…$/,
      "the last 8 characters of the id; the title cut with an ellipsis",
    )
    for (const l of lines) assert.ok([...l].length <= 80, `fits 80 columns: ${l}`)
    h.dispose()
  })

  it("shares this directory's latest session whichever agent wrote it, says which, and shows the link in sessions", async () => {
    const { h, files } = machine()
    const r = await h.run(["share", "--yes", "--json"])
    assert.equal(r.code, 0, r.stderr)
    const out = JSON.parse(r.stdout) as { id: string; url: string; agent: string; sessionID: string }
    assert.deepEqual([out.agent, out.sessionID], ["claude-code", CLAUDE])
    assert.match(r.stderr, new RegExp(`the latest Claude Code session in .*\\n +${CLAUDE} "Fix the greeting`))
    for (const l of r.stderr.split("\n")) assert.ok([...l].length <= 80, `fits 80 columns: ${l}`)
    const html = await (await fetch(`${server.url}/share/${out.id}`)).text()
    assert.match(html, /On it\./)
    assert.match(html, /Claude Code 2\.1\.328/)
    const listed = await json<Listed[]>(h, ["sessions", "--json"])
    assert.equal(listed[0].share?.url, out.url)
    const plain = (await h.run(["sessions"])).stdout
    assert.ok(plain.includes(`└ ${out.url}`), plain)

    const codex = await json<{ agent: string; sessionID: string }>(h, ["share", "--agent", "codex", "--yes", "--json"])
    assert.deepEqual([codex.agent, codex.sessionID], ["codex", CODEX])
    const gemini = await json<{ agent: string; sessionID: string }>(h, ["share", "0004", "--yes", "--json"])
    assert.deepEqual(
      [gemini.agent, gemini.sessionID],
      ["gemini-cli", GEMINI],
      "a unique end of an id names the session",
    )
    const byFile = await json<{ agent: string; sessionID: string; reused: boolean }>(h, [
      "share",
      files.codex,
      "--yes",
      "--json",
    ])
    assert.deepEqual(
      [byFile.agent, byFile.sessionID, byFile.reused],
      ["codex", CODEX, true],
      "a session file names it too; it keeps its link",
    )
    const opencode = await json<{ agent: string }>(h, ["share", "--agent", "opencode", "--yes", "--json"])
    assert.equal(opencode.agent, "opencode")
    assert.equal((await h.run(["share", "nosuchsession", "--yes"])).code, 4)
    h.dispose()
  })

  it("refuses to share the other agents' sessions when agentshare's config disables it, naming the file", async () => {
    const { h } = machine()
    writeFileSync(join(h.project, ".agentshare.json"), JSON.stringify({ share: "disabled" }))
    const r = await h.run(["share", "--yes"])
    assert.equal(r.code, 3)
    assert.ok(
      r.stderr.includes(`sharing Claude Code sessions is disabled by ${join(h.project, ".agentshare.json")}`),
      r.stderr,
    )
    const oc = await h.run(["share", "--agent", "opencode", "--yes"])
    assert.equal(oc.code, 3, "agentshare's disabled turns off OpenCode's sessions too")
    writeFileSync(join(h.project, ".agentshare.json"), JSON.stringify({ share: "sometimes" }))
    const bad = await h.run(["share", "--yes"])
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /\.agentshare\.json.*"share" must be "manual", "auto" or "disabled"/)
    h.dispose()
  })

  it("scans another agent's session for secrets exactly as OpenCode's: block, then --redact", async () => {
    const { h, files } = machine()
    const key = "AKIA" + "Q3EGRHJ5KVMXTN4W"
    appendFileSync(files.claude, claudeMore(h.project).replace("Done: it says hello world now.", `The key is ${key}`))
    const blocked = await h.run(["share", "--yes"])
    assert.equal(blocked.code, 7, blocked.stderr)
    assert.match(
      blocked.stderr,
      /not shared: 1 secret\(s\) found:\n +where +field +at +rule +preview\n +text #1 +text +1:12 +aws-access-key +AKIA…\(20 chars\)/,
    )
    assert.ok(!blocked.stderr.includes(key))
    const redacted = await h.run(["share", "--yes", "--redact", "--json"])
    assert.equal(redacted.code, 0, redacted.stderr)
    const out = JSON.parse(redacted.stdout) as { id: string; redacted: number }
    assert.equal(out.redacted, 1)
    const html = await (await fetch(`${server.url}/share/${out.id}`)).text()
    assert.match(html, /The key is <span class="redacted"[^>]*>\[redacted:aws-access-key\]<\/span>/)
    assert.ok(!html.includes(key))
    h.dispose()
  })

  it("watch in auto mode shares each new session of this directory, of every agent, and follows it", async () => {
    const { h } = machine()
    const w = h.start(["watch", "--json", "--interval", "100"], { env: { AGENTSHARE_SHARE: "auto" } })
    try {
      await until("watch to start", () =>
        /watching .*other agents: auto, from AGENTSHARE_SHARE/.test(w.output().stderr) ? true : undefined,
      )
      const id = "22222222-2222-4333-8444-555555555555"
      const file = join(h.env.HOME, ".claude", "projects", h.project.replace(/[^A-Za-z0-9]/g, "-"), `${id}.jsonl`)
      write(file, claude(h.project, id, "A new session"))
      const events = () =>
        w
          .output()
          .stdout.split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { type: string; sessionID: string; agent: string; id: string })
      const shared = await until("the new Claude Code session to be shared", () =>
        events().find((e) => e.type === "shared" && e.sessionID === id),
      )
      assert.equal(shared.agent, "claude-code")
      assert.equal(
        events().filter((e) => e.type === "shared").length,
        1,
        "sessions that existed before watch started are not shared",
      )
      appendFileSync(file, claudeMore(h.project, id))
      await until("the appended answer on the page", async () =>
        /Done: it says hello world now\./.test(await (await fetch(`${server.url}/share/${shared.id}`)).text())
          ? true
          : undefined,
      )
      w.child.kill("SIGINT")
      assert.equal(await w.exited, 0, w.output().stderr)
    } finally {
      if (w.child.exitCode === null) w.child.kill("SIGKILL")
      h.dispose()
    }
  })
})
