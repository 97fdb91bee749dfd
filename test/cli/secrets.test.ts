/**
 * The CLI's secret scan, through the real CLI against a real server: a real OpenCode database
 * (the fixture) whose bash output holds a fake AWS key and a fake OpenAI key is blocked by
 * default, redacted with --redact, uploaded as it is with --allow-secrets; watch redacts (or
 * blocks) a secret that appears in the session later.
 */
import assert from "node:assert/strict"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { after, before, describe, it } from "node:test"
import { addSession, home, manifest, until, type Home, type Manifest, type Running } from "../support/cli-run.ts"
import * as Proxy from "../support/cli-proxy.ts"
import * as TestServer from "../support/cli-server.ts"

// Fake keys in real formats (the rules' alphabets and lengths); split so no scanner flags this file.
const AWS = "AKIA" + "Q3EGRHJ5KVMXTN4W"
const OPENAI = "sk-proj-" + "Zt8kQ2mV9xLp4RwN7bYc3HdF6jGs1TqU5eAo0iKl" + "T3BlbkFJ" + "Xw2Ry7Pn4Mk9Lb6Vc3Zq8Hs5Jd1Ft0Gu"
const KEYS = [AWS, OPENAI]
const OUTPUT = `AWS_ACCESS_KEY_ID=${AWS}\nOPENAI_API_KEY=${OPENAI}\n`

const leaks = (text: string) => KEYS.filter((k) => text.includes(k) || text.includes(k.slice(4, 16)))

/** The fixture's `echo hi` bash part, as a part whose output holds the keys. */
function plant(h: Home): string {
  const db = new DatabaseSync(h.dbPath)
  const row = db.prepare('select id, data from part where data like \'%"tool":"bash"%\' order by id limit 1').get() as {
    id: string
    data: string
  }
  const data = JSON.parse(row.data) as { state: { output: string; metadata: { output: string } } }
  data.state.output = OUTPUT
  data.state.metadata.output = OUTPUT
  db.prepare("update part set data = ?, time_updated = time_updated + 1000 where id = ?").run(
    JSON.stringify(data),
    row.id,
  )
  db.close()
  return row.id
}

/** A new bash part with the keys in an existing assistant message, as OpenCode writes one later. */
function append(h: Home, sessionID: string): string {
  // The CLI reads while this writes: wait out its short read locks instead of failing.
  const db = new DatabaseSync(h.dbPath, { timeout: 10_000 })
  const msg = db
    .prepare(
      'select id from message where session_id = ? and data like \'%"role":"assistant"%\' order by id desc limit 1',
    )
    .get(sessionID) as { id: string }
  const id = "prt_zzzzzzzzzzzzzzlatersecret"
  const now = Date.now() + 10_000
  const data = {
    type: "tool",
    tool: "bash",
    callID: "call_later",
    state: {
      status: "completed",
      input: { command: "cat .env", description: "Show env" },
      output: OUTPUT,
      metadata: { output: OUTPUT, exit: 0 },
      title: "cat .env",
      time: { start: now, end: now },
    },
  }
  db.prepare(
    "insert into part (id, message_id, session_id, time_created, time_updated, data) values (?, ?, ?, ?, ?, ?)",
  ).run(id, msg.id, sessionID, now, now, JSON.stringify(data))
  db.close()
  return id
}

describe("agentshare share and watch scan for secrets before anything leaves the machine", () => {
  let server: TestServer.TestServer
  let m: Manifest
  const running: Running[] = []
  before(async () => {
    server = await TestServer.start()
    m = await manifest()
  })
  after(async () => {
    // A failed test leaves its watch running; it would keep this process alive.
    for (const r of running) if (r.child.exitCode === null) r.child.kill("SIGKILL")
    await server.close()
  })
  const start = (h: Home, args: string[]) => {
    const r = h.start(args)
    running.push(r)
    return r
  }
  /** The exit code; a command that does not exit within a minute fails the test instead of hanging it. */
  const exited = (r: Running) =>
    Promise.race([
      r.exited,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`still running after 60 s: ${JSON.stringify(r.output()).slice(-2000)}`)),
          60_000,
        ).unref(),
      ),
    ])
  /** Complete JSON lines printed so far (a line may still be half written). */
  const events = (r: Running) => {
    const out = r.output().stdout
    return out
      .slice(0, out.lastIndexOf("\n") + 1)
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; id: string; secrets: number; rules: string })
  }

  const fresh = () => {
    const h = home()
    h.env.AGENTSHARE_URL = server.url
    return h
  }
  const stored = async (id: string) => {
    const found = await server.running().deps.store.shares.find(id)
    assert.equal(found.state, "live")
    return found.state === "live" ? server.running().deps.store.shares.items(found.share) : []
  }
  /** Secrets the server itself redacted on ingest (REDACT_ON_INGEST=redact): what reached it. */
  const arrived = async (id: string) => {
    const found = await server.running().deps.store.shares.find(id)
    return found.state === "live" ? found.share.redactions : -1
  }
  const shared = async () => (await server.running().deps.store.shares.bySession(m.sessionID)).length

  it("blocks a session holding secrets by default: a review table, exit 7, nothing created", async () => {
    const h = fresh()
    const part = plant(h)
    const before = await shared()
    const r = await h.run(["share", "--yes"])
    assert.equal(r.code, 7, r.stderr)
    // Two secrets, each in state.output and metadata.output of one part: counted once each.
    assert.match(r.stderr, /not shared: 2 secret\(s\) found/)
    assert.match(r.stderr, /where +field +at +rule +preview/)
    const rows = r.stderr.split("\n").filter((l) => /^ {2}bash #\d+ /.test(l))
    assert.deepEqual(rows.map((l) => l.trim().split(/\s+/).slice(2, 6)).sort(), [
      ["state.output", "+1", "1:19", "aws-access-key"],
      ["state.output", "+1", "2:16", "openai"],
    ])
    for (const line of r.stderr.split("\n")) assert.ok([...line].length <= 80, `fits 80 columns: ${line}`)
    assert.match(r.stderr, /AKIA…\(20 chars\)/)
    assert.match(r.stderr, /--redact/)
    assert.deepEqual(leaks(r.stdout + r.stderr), [])
    assert.equal(await shared(), before, "no share was created")

    const json = await h.run(["share", "--yes", "--json"])
    assert.equal(json.code, 7)
    const out = JSON.parse(json.stdout) as { error: string; findings: { key: string; rule: string; preview: string }[] }
    assert.equal(out.error, "secrets_found")
    assert.equal(out.findings.length, 2)
    assert.ok(
      out.findings.every((f) => JSON.stringify((f as { also?: string[] }).also) === '["state.metadata.output"]'),
      "the other copy is named, not counted",
    )
    assert.ok(out.findings.every((f) => f.key.endsWith(part)))
    assert.deepEqual(leaks(json.stdout), [])
    h.dispose()
  })

  it("uploads with each secret replaced by [redacted:<rule>] with --redact", async () => {
    const h = fresh()
    const part = plant(h)
    const r = await h.run(["share", "--yes", "--redact", "--json"])
    assert.equal(r.code, 0, r.stderr)
    const out = JSON.parse(r.stdout) as { id: string; redacted: number }
    assert.equal(out.redacted, 2)
    assert.match(r.stderr, /redacted 2 secret\(s\) before upload \(--redact\)/)
    assert.deepEqual(leaks(r.stdout + r.stderr), [])
    const items = await stored(out.id)
    assert.deepEqual(leaks(JSON.stringify(items)), [])
    const bash = items.find((i) => i.key.endsWith(part))?.data as { state: { output: string } }
    assert.equal(bash.state.output, "AWS_ACCESS_KEY_ID=[redacted:aws-access-key]\nOPENAI_API_KEY=[redacted:openai]\n")
    assert.equal(await arrived(out.id), 0, "no secret reached the server")
    h.dispose()
  })

  it("uploads secrets as they are with --allow-secrets, after listing them", async () => {
    const h = fresh()
    plant(h)
    const r = await h.run(["share", "--yes", "--allow-secrets", "--json"])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, /--allow-secrets: uploading 2 secret\(s\) as they are/)
    assert.deepEqual(leaks(r.stderr), [])
    // The server (REDACT_ON_INGEST=redact) redacted them: they left the machine.
    assert.equal(await arrived((JSON.parse(r.stdout) as { id: string }).id), 2)
    assert.equal((await h.run(["share", "--yes", "--redact", "--allow-secrets"])).code, 2)
    h.dispose()
  })

  it("takes its default from AGENTSHARE_SECRETS, else from $XDG_CONFIG_HOME/agentshare/config.json", async () => {
    const h = fresh()
    plant(h)
    const byEnv = await h.run(["share", "--yes", "--json"], { env: { AGENTSHARE_SECRETS: "redact" } })
    assert.equal(byEnv.code, 0, byEnv.stderr)
    assert.match(byEnv.stderr, /\(AGENTSHARE_SECRETS\)/)
    assert.equal(await arrived((JSON.parse(byEnv.stdout) as { id: string }).id), 0)

    mkdirSync(join(h.configHome, "agentshare"), { recursive: true })
    writeFileSync(join(h.configHome, "agentshare", "config.json"), '{ "secrets": "redact" } // redact by default\n')
    const byFile = await h.run(["share", "--yes", "--json"])
    assert.equal(byFile.code, 0, byFile.stderr)
    assert.equal(await arrived((JSON.parse(byFile.stdout) as { id: string }).id), 0)
    // The environment wins over the file.
    assert.equal((await h.run(["share", "--yes"], { env: { AGENTSHARE_SECRETS: "block" } })).code, 7)

    writeFileSync(join(h.configHome, "agentshare", "config.json"), '{ "secrets": "sometimes" }')
    const bad = await h.run(["share", "--yes"])
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /config\.json: secrets:/)
    assert.equal((await h.run(["share", "--yes"], { env: { AGENTSHARE_SECRETS: "maybe" } })).code, 2)
    h.dispose()
  })

  it("scans nothing with the policy off", async () => {
    const h = fresh()
    plant(h)
    const r = await h.run(["share", "--yes", "--json"], { env: { AGENTSHARE_SECRETS: "off" } })
    assert.equal(r.code, 0, r.stderr)
    assert.doesNotMatch(r.stderr, /secret/)
    assert.equal(await arrived((JSON.parse(r.stdout) as { id: string }).id), 2)
    h.dispose()
  })

  it("redacts a secret that appears later while share --watch --redact follows the session", async () => {
    const h = fresh()
    const watch = start(h, ["share", "--watch", "--yes", "--redact"])
    const url = await until("the share URL", () => /^(http:\/\/\S+\/share\/(\S+))$/m.exec(watch.output().stdout)?.[2])
    await until("watching", () => (/watching for changes/.test(watch.output().stderr) ? true : undefined))
    const part = append(h, m.sessionID)
    const later = await until("the new part on the server", async () =>
      (await stored(url)).find((i) => i.key.endsWith(part)),
    )
    assert.equal(
      (later.data as { state: { output: string } }).state.output,
      "AWS_ACCESS_KEY_ID=[redacted:aws-access-key]\nOPENAI_API_KEY=[redacted:openai]\n",
    )
    assert.deepEqual(leaks(JSON.stringify(await stored(url))), [])
    assert.equal(await arrived(url), 0)
    watch.child.kill("SIGINT")
    assert.equal(await exited(watch), 0, watch.output().stderr)
    assert.match(watch.output().stderr, /redacted 2 secret\(s\) before upload/)
    assert.deepEqual(leaks(watch.output().stdout + watch.output().stderr), [])
    h.dispose()
  })

  it("stops share --watch with exit 7 when a secret appears later in block mode, and never sends it", async () => {
    const h = fresh()
    const watch = start(h, ["share", "--watch", "--yes"])
    const id = await until("the share URL", () => /^http:\/\/\S+\/share\/(\S+)$/m.exec(watch.output().stdout)?.[1])
    await until("watching", () => (/watching for changes/.test(watch.output().stderr) ? true : undefined))
    const part = append(h, m.sessionID)
    const code = await exited(watch)
    assert.equal(code, 7, watch.output().stderr)
    assert.match(watch.output().stderr, /stopped uploading: 2 secret\(s\) found/)
    assert.match(
      watch.output().stderr,
      /\n {2}bash #\d+ +state\.output \+1 /,
      "the review table names the new part by its tool and turn",
    )
    assert.deepEqual(leaks(watch.output().stdout + watch.output().stderr), [])
    const items = await stored(id)
    assert.ok(!items.some((i) => i.key.endsWith(part)))
    assert.deepEqual(leaks(JSON.stringify(items)), [])
    assert.equal(await arrived(id), 0)
    h.dispose()
  })

  it("watch redacts each batch of a live share with --redact, and blocks it by default", async () => {
    for (const [flags, expected] of [
      [["--redact"], "redacted"],
      [[], "blocked"],
    ] as const) {
      const h = fresh()
      const share = await h.run(["share", "--yes", "--json"])
      assert.equal(share.code, 0, share.stderr)
      const id = (JSON.parse(share.stdout) as { id: string }).id
      const watch = start(h, ["watch", "--interval", "100", "--json", ...flags])
      await until("watch to start", () => (/watching/.test(watch.output().stderr) ? true : undefined))
      const part = append(h, m.sessionID)
      const event = await until(`the ${expected} event`, () => events(watch).find((e) => e.type === expected))
      assert.deepEqual(
        { id: event.id, secrets: event.secrets, rules: event.rules },
        { id, secrets: 2, rules: "aws-access-key, openai" },
      )
      if (expected === "redacted")
        await until("the redacted part on the server", async () => (await stored(id)).find((i) => i.key.endsWith(part)))
      watch.child.kill("SIGINT")
      assert.equal(await exited(watch), expected === "redacted" ? 0 : 7, watch.output().stderr)
      const items = await stored(id)
      assert.equal(
        items.some((i) => i.key.endsWith(part)),
        expected === "redacted",
      )
      assert.deepEqual(leaks(JSON.stringify(items) + watch.output().stdout + watch.output().stderr), [])
      assert.equal(await arrived(id), 0)
      h.dispose()
    }
  })
  it("watch in auto mode does not share a new session that already holds a secret", async () => {
    const h = fresh()
    h.env.OPENCODE_AUTO_SHARE = "1"
    const before = (await server.running().deps.store.shares.bySession("ses_0000addedbythetest00")).length
    const watch = start(h, ["watch", "--interval", "100", "--json"])
    await until("watch to start", () => (/watching/.test(watch.output().stderr) ? true : undefined))
    // Five polls see the session with no message yet: nothing is shared for it then either.
    const sid = await addSession(h, m.sessionID, { pauseMs: 500, text: `here is my env:\n${OUTPUT}` })
    const event = await until("the blocked event", () => events(watch).find((e) => e.type === "blocked"))
    assert.equal((event as unknown as { sessionID: string }).sessionID, sid)
    assert.equal(event.secrets, 2, "the AWS and OpenAI keys in the prompt")
    watch.child.kill("SIGINT")
    assert.equal(await exited(watch), 7, watch.output().stderr)
    // Nothing was created for it, or what was created is gone: no empty public share is left behind.
    assert.equal((await server.running().deps.store.shares.bySession(sid)).length, before)
    assert.equal(
      events(watch).filter((e) => e.type === "shared").length,
      events(watch).filter((e) => e.type === "discarded").length,
    )
    assert.deepEqual(leaks(watch.output().stdout + watch.output().stderr), [])
    h.dispose()
  })
  it("watch in auto mode deletes the share it created when the first batch for it is blocked", async (t) => {
    // The secret arrives between the clean scan that lets watch create the share and the first
    // upload: the create request is held at a proxy while the session gains a part with keys.
    const proxy = await Proxy.start(server.url)
    t.after(() => proxy.close())
    const h = fresh()
    h.env.AGENTSHARE_URL = proxy.url
    h.env.OPENCODE_AUTO_SHARE = "1"
    const watch = start(h, ["watch", "--interval", "100", "--json"])
    await until("watch to start", () => (/watching/.test(watch.output().stderr) ? true : undefined))
    const create = proxy.hold("POST", "/api/share")
    const sid = await addSession(h, m.sessionID, { text: "a clean first prompt" })
    await create.arrived
    const db = new DatabaseSync(h.dbPath, { timeout: 10_000 })
    const msg = (db.prepare("select id from message where session_id = ?").get(sid) as { id: string }).id
    const now = Date.now() + 30_000
    db.prepare(
      "insert into part (id, message_id, session_id, time_created, time_updated, data) values (?, ?, ?, ?, ?, ?)",
    ).run(
      "prt_zzzzzzzznewsessionpart2",
      msg,
      sid,
      now,
      now,
      JSON.stringify({ type: "text", text: `and my env:\n${OUTPUT}` }),
    )
    db.close()
    create.release()
    const discarded = await until("the discarded event", () => events(watch).find((e) => e.type === "discarded"))
    const shared = events(watch).find((e) => e.type === "shared")
    assert.equal(discarded.id, shared?.id)
    assert.equal((events(watch).find((e) => e.type === "blocked") as unknown as { sessionID: string }).sessionID, sid)
    watch.child.kill("SIGINT")
    assert.equal(await exited(watch), 7, watch.output().stderr)
    assert.equal((await server.running().deps.store.shares.bySession(sid)).length, 0)
    assert.equal((await server.running().deps.store.shares.find(discarded.id)).state, "gone")
    assert.ok(!proxy.seen.some((r) => r.path.endsWith("/sync") && r.status === 200), "nothing was uploaded to it")
    assert.deepEqual(leaks(JSON.stringify(proxy.seen) + watch.output().stdout + watch.output().stderr), [])
    h.dispose()
  })
})
