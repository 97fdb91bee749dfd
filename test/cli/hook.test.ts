/**
 * What the installed hooks run (`agentshare hook start|prompt|end`), fed the JSON an agent sends,
 * through the real CLI against a real server, on a synthetic Claude Code transcript: the share
 * and the link as `systemMessage`, one follower per session however often SessionStart fires,
 * the follower's end at SessionEnd (having uploaded everything), its idle end and its restart on
 * the next prompt, silence in manual mode, and the secret scan in the follower.
 */
import assert from "node:assert/strict"
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { after, before, describe, it } from "node:test"
import { home, until } from "../support/cli-run.ts"
import * as TestServer from "../support/cli-server.ts"

const SID = "44444444-2222-4333-8444-555555555555"
const T0 = Date.parse("2026-11-30T10:00:00.000Z")
const line = (r: unknown) => `${JSON.stringify(r)}\n`
const record = (cwd: string, uuid: string, s: number, body: Record<string, unknown>) =>
  line({
    parentUuid: null,
    isSidechain: false,
    sessionId: SID,
    uuid,
    timestamp: new Date(T0 + s * 1000).toISOString(),
    cwd,
    gitBranch: "main",
    version: "2.1.328",
    userType: "external",
    ...body,
  })
const prompt = (cwd: string) => record(cwd, "u1", 1, { type: "user", message: { role: "user", content: "Say hello" } })
const answer = (cwd: string, id: string, text: string, s: number) =>
  record(cwd, `a-${id}`, s, {
    type: "assistant",
    apiBlockIndex: 0,
    message: {
      id,
      type: "message",
      role: "assistant",
      model: "claude-opus-5-5",
      content: [{ type: "text", text }],
      stop_reason: "end_turn",
      usage: { input_tokens: 1, output_tokens: 1 },
    },
  })

describe("agentshare hook start, prompt and end", () => {
  let server: TestServer.TestServer
  before(async () => {
    server = await TestServer.start()
  })
  after(() => server.close())

  const setup = (config: Record<string, unknown>, extra: Record<string, string> = {}) => {
    const h = home({ database: "none" })
    Object.assign(h.env, { AGENTSHARE_URL: server.url, ...extra })
    mkdirSync(join(h.configHome, "agentshare"), { recursive: true })
    writeFileSync(join(h.configHome, "agentshare", "config.json"), JSON.stringify(config))
    const transcript = join(h.env.HOME, ".claude", "projects", "p", `${SID}.jsonl`)
    mkdirSync(dirname(transcript), { recursive: true })
    const input = JSON.stringify({
      session_id: SID,
      transcript_path: transcript,
      cwd: h.project,
      hook_event_name: "SessionStart",
      source: "startup",
    })
    const hook = (verb: string) => h.run(["hook", verb, "--agent", "claude-code"], { input, timeoutMs: 30_000 })
    const state = join(h.dataHome, "agentshare")
    const live = () =>
      existsSync(join(state, "live")) ? readdirSync(join(state, "live")).filter((f) => f.endsWith(".json")) : []
    const share = () =>
      (JSON.parse(readFileSync(join(state, "state.json"), "utf8")) as { shares: { id: string; url: string }[] }).shares
    const items = async (id: string) => {
      const found = await server.running().deps.store.shares.find(id)
      return found.state === "live"
        ? (await server.running().deps.store.shares.items(found.share)).map((i) => JSON.stringify(i.data)).join("\n")
        : ""
    }
    const log = () =>
      existsSync(join(state, "logs"))
        ? readdirSync(join(state, "logs"))
            .map((f) => readFileSync(join(state, "logs", f), "utf8"))
            .join("")
        : ""
    return { h, transcript, hook, live, share, items, log }
  }

  it("shares in auto mode, answers the link, keeps one follower however often SessionStart fires, and ends at SessionEnd", async () => {
    const t = setup({ share: "auto" })
    try {
      // SessionStart comes before the agent writes its transcript.
      const start = await t.hook("start")
      assert.equal(start.code, 0, start.stderr)
      const said = JSON.parse(start.stdout) as { systemMessage: string; suppressOutput: boolean }
      const [share] = t.share()
      assert.equal(said.systemMessage, `agentshare: sharing this Claude Code session live at ${share.url}`)
      assert.equal(said.suppressOutput, true)
      await until("the follower to take the share's lock", () => (t.live().length === 1 ? true : undefined))
      writeFileSync(t.transcript, prompt(t.h.project) + answer(t.h.project, "m1", "First answer.", 2))
      await until("the first answer on the server", async () =>
        (await t.items(share.id)).includes("First answer.") ? true : undefined,
      )

      // A resume or compaction fires SessionStart again; a prompt fires its own hook: still one follower, one link.
      const again = await t.hook("start")
      assert.equal(
        (JSON.parse(again.stdout) as { systemMessage: string }).systemMessage,
        `agentshare: this session is shared live at ${share.url}`,
      )
      const prompted = await t.hook("prompt")
      assert.equal(prompted.stdout, "", "a prompt hook says nothing (Claude Code would hand it to the model)")
      assert.equal(t.share().length, 1)
      assert.equal(t.live().length, 1)

      appendFileSync(t.transcript, answer(t.h.project, "m2", "Last answer, written as the session ends.", 3))
      assert.equal((await t.hook("end")).code, 0)
      await until("the follower to exit", () => (t.live().length === 0 ? true : undefined), 30_000)
      assert.match(
        await t.items(share.id),
        /Last answer, written as the session ends\./,
        "everything was uploaded before it exited",
      )
      assert.match(t.log(), /stopped \(the session ended\); 0 item\(s\) left unsent/)
    } finally {
      t.h.dispose()
    }
  })

  it("ends an idle follower, and the next prompt starts it again on the same link", async () => {
    const t = setup({ share: "auto" }, { AGENTSHARE_IDLE: "1" })
    try {
      writeFileSync(t.transcript, prompt(t.h.project) + answer(t.h.project, "m1", "Before the pause.", 2))
      assert.equal((await t.hook("start")).code, 0)
      const [share] = t.share()
      await until("the first answer", async () =>
        (await t.items(share.id)).includes("Before the pause.") ? true : undefined,
      )
      await until("the idle follower to exit", () => (t.live().length === 0 ? true : undefined), 30_000)
      assert.match(t.log(), /stopped \(no change for 1 s\)/)
      appendFileSync(t.transcript, answer(t.h.project, "m2", "After the pause.", 9))
      assert.equal((await t.hook("prompt")).code, 0)
      await until("the answer after the pause", async () =>
        (await t.items(share.id)).includes("After the pause.") ? true : undefined,
      )
      assert.deepEqual(
        t.share().map((s) => s.id),
        [share.id],
        "the same link",
      )
      await t.hook("end")
      await until("the follower to exit", () => (t.live().length === 0 ? true : undefined), 30_000)
    } finally {
      t.h.dispose()
    }
  })

  it("does nothing in manual mode or when agentshare's config disables sharing", async () => {
    for (const mode of ["manual", "disabled"]) {
      const t = setup({ share: mode })
      try {
        writeFileSync(t.transcript, prompt(t.h.project))
        const r = await t.hook("start")
        assert.deepEqual([r.code, r.stdout], [0, ""], mode)
        assert.equal(existsSync(join(t.h.dataHome, "agentshare", "state.json")), false, `${mode}: nothing shared`)
      } finally {
        t.h.dispose()
      }
    }
  })

  it("scans the follower's batches: under block a secret stops it and the share it made is deleted", async () => {
    const t = setup({ share: "auto" })
    try {
      const key = "AKIA" + "Q3EGRHJ5KVMXTN4W"
      writeFileSync(t.transcript, prompt(t.h.project) + answer(t.h.project, "m1", `The key is ${key}`, 2))
      assert.equal((await t.hook("start")).code, 0)
      const [share] = t.share()
      await until(
        "the follower to stop",
        () => (/stopped syncing/.test(t.log()) && t.live().length === 0 ? true : undefined),
        30_000,
      )
      assert.match(t.log(), /deleted the share: nothing could be uploaded to it/)
      assert.equal((await fetch(`${server.url}/api/share/${share.id}`)).status, 410)
      assert.ok(!t.log().includes(key))
    } finally {
      t.h.dispose()
    }
  })

  it("never fails the agent: bad input is ignored, a failure is told as a systemMessage with exit 0", async () => {
    const h = home({ database: "none" })
    try {
      mkdirSync(join(h.configHome, "agentshare"), { recursive: true })
      writeFileSync(
        join(h.configHome, "agentshare", "config.json"),
        JSON.stringify({ share: "auto", server: "http://127.0.0.1:9" }),
      )
      const junk = await h.run(["hook", "start", "--agent", "claude-code"], { input: "not json" })
      assert.deepEqual([junk.code, junk.stdout], [0, ""])
      const input = JSON.stringify({ session_id: SID, transcript_path: join(h.root, "x.jsonl"), cwd: h.project })
      const down = await h.run(["hook", "start", "--agent", "claude-code"], { input })
      assert.equal(down.code, 0)
      assert.match(
        (JSON.parse(down.stdout) as { systemMessage: string }).systemMessage,
        /^agentshare: could not share this session: /,
      )
    } finally {
      h.dispose()
    }
  })
})
