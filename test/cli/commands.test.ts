import assert from "node:assert/strict"
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { DatabaseSync } from "node:sqlite"
import { FIXTURES, home, manifest, until, type Home, type Manifest } from "../support/cli-run.ts"
import * as TestServer from "../support/cli-server.ts"

type Item = { type: string; data: Record<string, unknown>; sessionID?: string }

describe("agentshare commands against a real server and a real OpenCode database", () => {
  let server: TestServer.TestServer
  let m: Manifest
  before(async () => {
    server = await TestServer.start()
    m = await manifest()
  })
  after(async () => {
    await server.close()
  })

  const stored = async (id: string) => {
    const deps = server.running().deps
    const found = await deps.store.shares.find(id)
    assert.equal(found.state, "live")
    return found.state === "live" ? deps.store.shares.items(found.share) : []
  }
  const withServer = (h: Home) => ({ ...h.env, AGENTSHARE_URL: server.url })
  const fresh = () => {
    const h = home()
    Object.assign(h.env, withServer(h))
    return h
  }

  it("documents every verb with --help", async () => {
    const h = fresh()
    for (const verb of [
      "sessions",
      "share",
      "watch",
      "hooks",
      "unshare",
      "shares",
      "status",
      "claim",
      "export",
      "import",
    ]) {
      const r = await h.run([verb, "--help"])
      assert.equal(r.code, 0, verb)
      assert.match(r.stdout, new RegExp(`usage: agentshare ${verb}`))
    }
    assert.equal((await h.run(["share", "--bogus"])).code, 2)
    assert.equal((await h.run(["nope"])).code, 2)
    h.dispose()
  })

  it("refuses the first share from a project without a terminal or --yes, and shows what and where", async () => {
    const h = fresh()
    const r = await h.run(["share"])
    assert.equal(r.code, 5)
    assert.match(r.stderr, /About to upload ".+"\n\(2 session\(s\), \d+ messages, \d+ parts/)
    assert.match(r.stderr, new RegExp(`to ${server.url.replace(/[.]/g, "\\.")}`))
    assert.equal((await server.running().deps.store.shares.bySession(m.sessionID)).length, 0)
    h.dispose()
  })

  it("shares the project's latest session with its subagent, keeps the secret 0600, and lists it", async () => {
    const h = fresh()
    const r = await h.run(["share", "--yes", "--json"])
    assert.equal(r.code, 0, r.stderr)
    const out = JSON.parse(r.stdout) as { id: string; url: string; sessionID: string; items: number }
    assert.equal(out.sessionID, m.sessionID)
    assert.equal(out.url, `${server.url}/share/${out.id}`)
    const items = await stored(out.id)
    assert.equal(items.length, out.items)
    assert.deepEqual([...new Set(items.map((i) => i.sessionID))], [m.sessionID, m.childSessionID])
    const exported = JSON.parse(readFileSync(join(FIXTURES, "subagent.export.json"), "utf8")) as {
      messages: { parts: unknown[] }[]
    }
    assert.equal(
      items.filter((i) => i.sessionID === m.childSessionID && i.type === "part").length,
      exported.messages.reduce((n, x) => n + x.parts.length, 0),
    )

    const state = join(h.dataHome, "agentshare", "state.json")
    assert.equal(statSync(state).mode & 0o777, 0o600)
    assert.equal(statSync(join(h.dataHome, "agentshare")).mode & 0o777, 0o700)
    const saved = JSON.parse(readFileSync(state, "utf8")) as {
      shares: { id: string; secret: string }[]
      owners: Record<string, { token: string }>
    }
    assert.equal(saved.shares[0].id, out.id)
    assert.ok(saved.owners[server.url].token.startsWith("agsh_"))
    assert.ok(
      !r.stdout.includes(saved.shares[0].secret) && !r.stderr.includes(saved.shares[0].secret),
      "the secret is never printed",
    )

    const list = await h.run(["shares", "--json"])
    assert.equal(list.code, 0)
    const listed = JSON.parse(list.stdout) as { id: string; title: string; source: string }[]
    assert.deepEqual(
      listed.map((s) => [s.id, s.source]),
      [[out.id, "both"]],
    )
    assert.match((await h.run(["shares"])).stdout, new RegExp(`${out.url}`))

    const status = JSON.parse((await h.run(["status", "--json"])).stdout) as {
      mode: string
      session: { id: string }
      shares: { id: string; server: string }[]
    }
    assert.equal(status.session.id, m.sessionID)
    assert.deepEqual(
      status.shares.map((s) => [s.id, s.server]),
      [[out.id, "live"]],
    )
    h.dispose()
  })

  it("leaves subagents out with --no-subagents and shares a named session", async () => {
    const h = fresh()
    const r = await h.run(["share", m.sessionID, "--yes", "--no-subagents", "--json"])
    assert.equal(r.code, 0, r.stderr)
    const items = await stored((JSON.parse(r.stdout) as { id: string }).id)
    assert.deepEqual([...new Set(items.map((i) => i.sessionID))], [m.sessionID])
    assert.equal((await h.run(["share", "ses_nope", "--yes"])).code, 4)
    h.dispose()
  })

  it("shares an opencode export file and one read from stdin", async () => {
    const h = fresh()
    const file = join(FIXTURES, "session.export.json")
    const a = await h.run(["share", "--file", file, "--yes", "--json"])
    assert.equal(a.code, 0, a.stderr)
    const b = await h.run(["share", "--file", "-", "--yes", "--json"], { input: readFileSync(file, "utf8") })
    assert.equal(b.code, 0, b.stderr)
    const doc = JSON.parse(readFileSync(file, "utf8")) as { messages: unknown[] }
    for (const r of [a, b]) {
      const items = await stored((JSON.parse(r.stdout) as { id: string }).id)
      assert.equal(items.filter((i) => i.type === "message").length, doc.messages.length)
    }
    const bad = await h.run(["share", "--file", "-", "--yes"], { input: "{}" })
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /not an opencode export/)
    h.dispose()
  })

  it("refuses every share when disabled, naming the file or variable", async () => {
    const h = fresh()
    writeFileSync(join(h.project, "opencode.jsonc"), `{ "share": "disabled", // team policy\n }`)
    const r = await h.run(["share", "--yes"])
    assert.equal(r.code, 3)
    assert.match(r.stderr, new RegExp(`disabled by ${join(h.project, "opencode.jsonc").replace(/[.]/g, "\\.")}`))
    writeFileSync(join(h.project, "opencode.jsonc"), `{ "share": "manual" }`)
    const env = await h.run(["share", "--yes"], { env: { OPENCODE_DISABLE_SHARE: "1" } })
    assert.equal(env.code, 3)
    assert.match(env.stderr, /disabled by OPENCODE_DISABLE_SHARE/)
    h.dispose()
  })

  it("takes the server from enterprise.url, and --server over it", async () => {
    const h = home()
    writeFileSync(join(h.project, "opencode.json"), JSON.stringify({ enterprise: { url: server.url } }))
    const status = JSON.parse((await h.run(["status", "--json"])).stdout) as { server: string; serverSource: string }
    assert.equal(status.server, server.url)
    assert.equal(status.serverSource, `${join(h.project, "opencode.json")} (enterprise.url)`)
    const r = await h.run(["share", "--yes", "--json"])
    assert.equal(r.code, 0, r.stderr)
    const flag = await h.run(["share", "--yes", "--server", "http://127.0.0.1:9"])
    assert.equal(flag.code, 1, "an unreachable --server fails")
    const none = home()
    const missing = await none.run(["share", "--yes"])
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /enterprise.*AGENTSHARE_URL.*--server/)
    h.dispose()
    none.dispose()
  })

  it("exports a share as JSON items and as Markdown, and imports it as an export document", async () => {
    const h = fresh()
    const out = JSON.parse((await h.run(["share", "--yes", "--json"])).stdout) as { id: string; url: string }
    const json = await h.run(["export", out.url, "--format", "json"])
    assert.equal(json.code, 0, json.stderr)
    const items = JSON.parse(json.stdout) as Item[]
    assert.equal(items[0].type, "session")
    const md = await h.run(["export", out.id, "--format", "md"])
    assert.equal(md.code, 0)
    assert.match(md.stdout, /^# /)
    assert.match(md.stdout, /\*\*Tool: write\*\*/)
    const file = join(h.root, "imported.json")
    const imp = await h.run(["import", out.url, "-o", file])
    assert.equal(imp.code, 0, imp.stderr)
    const doc = JSON.parse(readFileSync(file, "utf8"))
    const original = JSON.parse(readFileSync(join(FIXTURES, "session.export.json"), "utf8"))
    assert.deepEqual(doc, original, "the imported document equals what `opencode export` printed")
    assert.equal((await h.run(["export", "s_doesnotexist"])).code, 4)
    assert.equal((await h.run(["export", out.id, "--format", "pdf"])).code, 2)
    h.dispose()
  })

  it("unshares by URL, by id, by session and --all, also from the server's record alone", async () => {
    const h = fresh()
    // One session has one live link: the others are snapshots (fixed copies), still its shares.
    const share = async () =>
      JSON.parse((await h.run(["share", "--yes", "--snapshot", "--json"])).stdout) as { id: string; url: string }
    const [a, b, c, d] = [await share(), await share(), await share(), await share()]
    const byUrl = await h.run(["unshare", a.url])
    assert.equal(byUrl.code, 0, byUrl.stderr)
    assert.equal((await fetch(`${server.url}/api/share/${a.id}/data`)).status, 410)
    // Forget the local secrets, as if the store had been lost: the owner token still works.
    const state = join(h.dataHome, "agentshare", "state.json")
    const saved = JSON.parse(readFileSync(state, "utf8"))
    saved.shares = saved.shares.filter((s: { id: string }) => s.id !== b.id)
    writeFileSync(state, JSON.stringify(saved))
    const listed = JSON.parse((await h.run(["shares", "--json"])).stdout) as { id: string; source: string }[]
    assert.deepEqual(listed.find((s) => s.id === b.id)?.source, "server")
    assert.equal((await h.run(["unshare", b.id])).code, 0)
    assert.equal((await fetch(`${server.url}/api/share/${b.id}/data`)).status, 410)
    const bySession = JSON.parse((await h.run(["unshare", m.sessionID, "--json"])).stdout) as { removed: string[] }
    assert.deepEqual(bySession.removed.sort(), [c.id, d.id].sort())
    assert.equal((await h.run(["unshare", "--yes"])).code, 4, "nothing left to unshare")
    const e = await share()
    const asked = await h.run(["unshare", "--all"])
    assert.equal(asked.code, 5, "unshare --all asks first, and without a terminal deletes nothing")
    assert.match(asked.stderr, new RegExp(`About to delete 1 share\\(s\\)[\\s\\S]*${e.url}[\\s\\S]*pass --yes`))
    assert.equal((await fetch(`${server.url}/api/share/${e.id}/data`)).status, 200)
    const all = JSON.parse((await h.run(["unshare", "--all", "--yes", "--json"])).stdout) as { removed: string[] }
    assert.deepEqual(all.removed, [e.id])
    assert.deepEqual(JSON.parse((await h.run(["shares", "--json"])).stdout), [])
    h.dispose()
  })

  it("keeps one link per session: share again, share --watch after share, status live only while it syncs", async () => {
    const h = fresh()
    const first = JSON.parse((await h.run(["share", "--yes", "--json"])).stdout) as {
      id: string
      url: string
      reused: boolean
    }
    assert.equal(first.reused, false)
    const again = await h.run(["share", "--yes", "--json"])
    assert.equal(again.code, 0, again.stderr)
    assert.deepEqual(JSON.parse(again.stdout).id, first.id, "the same link")
    assert.equal(JSON.parse(again.stdout).reused, true)
    const notLive = JSON.parse((await h.run(["status", "--json"])).stdout) as {
      shares: { id: string; server: string; syncing: unknown }[]
    }
    assert.deepEqual(
      notLive.shares.map((s) => [s.id, s.server, s.syncing]),
      [[first.id, "live", null]],
    )
    assert.match((await h.run(["status"])).stdout, /on the server, not syncing now/)

    const watch = h.start(["share", "--watch", "--yes"])
    await until("share --watch to print its URL", () => (watch.output().stdout.includes(first.url) ? true : undefined))
    await until("watching", () => (/watching for changes/.test(watch.output().stderr) ? true : undefined))
    const live = JSON.parse((await h.run(["status", "--json"])).stdout) as {
      shares: { syncing: { pid: number; what: string } | null }[]
    }
    assert.deepEqual([live.shares[0].syncing?.pid, live.shares[0].syncing?.what], [watch.child.pid, "share --watch"])
    assert.match((await h.run(["status"])).stdout, /live: share --watch syncs it/)
    // A second follower of the same share is not started.
    const second = await h.run(["share", "--watch", "--yes"], { timeoutMs: 30_000 })
    assert.equal(second.code, 0, second.stderr)
    assert.match(second.stderr, /already being kept live \(share --watch, pid \d+\); not starting another follower/)
    watch.child.kill("SIGINT")
    assert.equal(await watch.exited, 0, watch.output().stderr)
    const after = JSON.parse((await h.run(["status", "--json"])).stdout) as { shares: { syncing: unknown }[] }
    assert.equal(after.shares[0].syncing, null, "not live once nothing syncs it")
    const saved = JSON.parse(readFileSync(join(h.dataHome, "agentshare", "state.json"), "utf8")) as {
      shares: { id: string }[]
    }
    assert.deepEqual(
      saved.shares.map((s) => s.id),
      [first.id],
      "one share made on this machine",
    )
    h.dispose()
  })

  it("keeps shares live with watch but never touches a --snapshot", async () => {
    const h = fresh()
    const snap = JSON.parse((await h.run(["share", "--snapshot", "--yes", "--json"])).stdout) as { id: string }
    const live = JSON.parse((await h.run(["share", "--yes", "--json"])).stdout) as { id: string }
    const watch = h.start(["watch", "--interval", "100"])
    await until("watch to start", () => (/watching/.test(watch.output().stderr) ? true : undefined))
    // What OpenCode does when it renames a session (test setup writes the copy of the fixture).
    const db = new DatabaseSync(h.dbPath)
    db.prepare("update session set title = 'Renamed', time_updated = time_updated + 1000 where id = ?").run(m.sessionID)
    db.close()
    const title = async (id: string) =>
      ((await stored(id)).find((i) => i.type === "session")!.data as { title: string }).title
    await until("the live share to follow the rename", async () =>
      (await title(live.id)) === "Renamed" ? true : undefined,
    )
    watch.child.kill("SIGINT")
    assert.equal(await watch.exited, 0, watch.output().stderr)
    assert.notEqual(await title(snap.id), "Renamed")
    h.dispose()
  })

  it("replaces an owner token the server no longer knows", async () => {
    const h = fresh()
    const dir = join(h.dataHome, "agentshare")
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    writeFileSync(
      join(dir, "state.json"),
      JSON.stringify({
        version: 1,
        owners: { [server.url]: { ownerID: "own_gone", token: "agsh_stale" } },
        shares: [],
        confirmed: [],
      }),
      { mode: 0o600 },
    )
    const r = await h.run(["share", "--yes", "--json"])
    assert.equal(r.code, 0, r.stderr)
    const state = JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as {
      owners: Record<string, { token: string }>
    }
    assert.notEqual(state.owners[server.url].token, "agsh_stale")
    const listed = JSON.parse((await h.run(["shares", "--json"])).stdout) as { id: string; source: string }[]
    assert.equal(listed[0].source, "both")
    h.dispose()
  })

  it("never lists or unshares another owner's shares", async () => {
    const alice = fresh()
    const bob = fresh()
    const share = JSON.parse((await alice.run(["share", "--yes", "--json"])).stdout) as { id: string }
    assert.equal((await bob.run(["share", "--yes"])).code, 0)
    const bobs = JSON.parse((await bob.run(["shares", "--json"])).stdout) as { id: string }[]
    assert.ok(!bobs.some((s) => s.id === share.id))
    const r = await bob.run(["unshare", share.id])
    assert.equal(r.code, 1)
    assert.equal((await fetch(`${server.url}/api/share/${share.id}/data`)).status, 200)
    alice.dispose()
    bob.dispose()
  })
})
