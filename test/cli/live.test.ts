/**
 * The CLI with the real OpenCode 1.18.33 client: a session that grows while `share --watch`
 * follows it (with a subagent, a deleted message and a share server restarted mid-watch),
 * `watch` in auto mode, `claim` of a stock client's share, and `opencode import` of our import.
 */
import assert from "node:assert/strict"
import { isDeepStrictEqual } from "node:util"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import * as Document from "../../src/cli/document.ts"
import type { SyncItem } from "../../src/schema/index.ts"
import { runner, until, type Running } from "../support/cli-run.ts"
import * as FakeLlm from "../support/fake-llm.ts"
import * as Opencode from "../support/opencode.ts"
import * as TestServer from "../support/cli-server.ts"

const client = await Opencode.client()
const skip = client.ok ? false : `the real OpenCode client is not available: ${client.reason}`
if (skip && process.env.CI === "true") throw new Error(`required suite cannot run under CI: ${skip}`)

describe("the CLI with the real OpenCode client", { skip }, () => {
  let server: TestServer.TestServer
  let llm: FakeLlm.FakeLlm
  let box: Opencode.Sandbox
  let serve: Opencode.Serve
  let cli: ReturnType<typeof runner>
  const running: Running[] = []

  before(async () => {
    if (!client.ok) return
    server = await TestServer.start()
    llm = await FakeLlm.start()
    box = await Opencode.sandbox({ bin: client.bin, shareUrl: server.url, llmUrl: llm.url })
    serve = await Opencode.serve(box)
    cli = runner(box.env, box.project)
  })
  after(async () => {
    for (const r of running) if (r.child.exitCode === null) r.child.kill("SIGKILL")
    await serve?.close()
    await llm?.close()
    await server?.close()
    await box?.dispose()
  })

  const api = async (method: string, path: string, body?: unknown) => {
    const r = await serve.request(method, path, body, 120_000)
    assert.ok(r.status < 300, `${method} ${path} -> ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`)
    return r.json as Record<string, unknown>
  }
  const data = async (id: string) => (await (await fetch(`${server.url}/api/share/${id}/data`)).json()) as SyncItem[]
  /** Waits until the share shows exactly what `opencode export` prints for the session. */
  const mirrors = (id: string, sessionID: string) =>
    until(
      `share ${id} to mirror ${sessionID}`,
      async () => {
        const [shared, local] = [Document.exported(await data(id)), await Opencode.exportSession(box, sessionID)]
        return isDeepStrictEqual(JSON.parse(JSON.stringify(shared)), JSON.parse(JSON.stringify(local)))
          ? true
          : undefined
      },
      90_000,
    )
  const stored = async (id: string) => {
    const found = await server.running().deps.store.shares.find(id)
    return found.state === "live" ? server.running().deps.store.shares.items(found.share) : []
  }
  const idOf = (url: string) => url.split("/share/")[1]

  it("follows a growing session live, with its subagent, a deletion and a server restart", async () => {
    const session = await api("POST", "/session", {})
    const sid = String(session.id)
    const watch = cli.start(["share", sid, "--watch", "--yes"])
    running.push(watch)
    const url = await until("the share URL", () => /^(http:\/\/\S+\/share\/\S+)$/m.exec(watch.output().stdout)?.[1])
    const id = idOf(url)

    await api("POST", `/session/${sid}/message`, {
      parts: [{ type: "text", text: `Please create file:live.txt ${FakeLlm.SUBAGENT}` }],
    })
    await mirrors(id, sid)
    const children = (await api("GET", `/session/${sid}/children`)) as unknown as { id: string }[]
    assert.equal(children.length, 1)
    await until("the subagent's items", async () =>
      (await stored(id)).some((i) => i.sessionID === children[0].id && i.type === "part") ? true : undefined,
    )

    // A message deleted in OpenCode disappears from the share (stock clients never sync this).
    const before = Document.exported(await data(id))
    const victim = before.messages.at(-1)!
    await api("DELETE", `/session/${sid}/message/${String(victim.info.id)}`)
    await until("the deleted message to leave the share", async () =>
      Document.exported(await data(id)).messages.some((m) => m.info.id === victim.info.id) ? undefined : true,
    )
    assert.ok(!(await stored(id)).some((i) => i.key.includes(String(victim.info.id))), "its parts are gone too")

    // The share server goes away while the session keeps growing, then comes back.
    await server.stop()
    await api("POST", `/session/${sid}/message`, { parts: [{ type: "text", text: `more please ${FakeLlm.PLAIN}` }] })
    await server.restart()
    await mirrors(id, sid)

    watch.child.kill("SIGINT")
    assert.equal(await watch.exited, 0, watch.output().stderr)
    assert.match(watch.output().stderr, /flushing/)
  })

  it("shares each new root session in auto mode and keeps it live", async () => {
    const watch = cli.start(["watch", "--json", "--interval", "200"], { env: { OPENCODE_AUTO_SHARE: "1" } })
    running.push(watch)
    await until("watch to start", () =>
      /watching .*share mode auto, from OPENCODE_AUTO_SHARE/.test(watch.output().stderr) ? true : undefined,
    ).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(watch.output())}`)
    })
    const session = await api("POST", "/session", {})
    const sid = String(session.id)
    // Under the default secrets policy (block) a new session is shared once it has content to scan.
    await api("POST", `/session/${sid}/message`, { parts: [{ type: "text", text: `auto ${FakeLlm.PLAIN}` }] })
    const shared = await until("the new session to be shared", () =>
      watch
        .output()
        .stdout.split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; sessionID: string; url: string })
        .find((e) => e.type === "shared" && e.sessionID === sid),
    )
    await mirrors(idOf(shared.url), sid)
    // The session shared before this watch started is not shared again.
    assert.equal(
      watch
        .output()
        .stdout.split("\n")
        .filter((l) => l.includes('"shared"')).length,
      1,
    )
    watch.child.kill("SIGINT")
    assert.equal(await watch.exited, 0, watch.output().stderr)
  })

  it("claims a stock client's share so it stays revocable after OpenCode deletes the session", async () => {
    const run = await Opencode.run(box, `stock share ${FakeLlm.PLAIN}`, { share: true })
    assert.equal(run.code, 0, run.stderr.slice(-1000))
    assert.ok(run.shareUrl && run.sessionID, "the stock client printed its share URL")
    const claim = await cli.run(["claim", "--json"])
    assert.equal(claim.code, 0, claim.stderr)
    const outcomes = JSON.parse(claim.stdout) as { id: string; result: string }[]
    assert.deepEqual(
      outcomes.map((o) => [o.id, o.result]),
      [[idOf(run.shareUrl), "claimed"]],
    )
    const listed = JSON.parse((await cli.run(["shares", "--json"])).stdout) as { id: string; source: string }[]
    assert.equal(listed.find((s) => s.id === idOf(run.shareUrl!))?.source, "both")

    // OpenCode deletes the session while the share server is down: its own unshare fails and
    // its secret is gone with the session row.
    await server.stop()
    await serve.request("DELETE", `/session/${run.sessionID}`, undefined, 60_000)
    await server.restart()
    assert.equal(
      (await fetch(`${server.url}/api/share/${idOf(run.shareUrl)}/data`)).status,
      200,
      "the share outlived the session",
    )
    const un = await cli.run(["unshare", run.shareUrl])
    assert.equal(un.code, 0, un.stderr)
    assert.equal((await fetch(`${server.url}/api/share/${idOf(run.shareUrl)}/data`)).status, 410)
  })

  it("writes an export file that `opencode import` loads", async () => {
    const listed = JSON.parse((await cli.run(["shares", "--json"])).stdout) as { url: string; sessionID: string }[]
    const target = listed[0]
    const file = join(box.root, "imported.json")
    const r = await cli.run(["import", target.url, "-o", file])
    assert.equal(r.code, 0, r.stderr)
    const other = await Opencode.sandbox({ bin: box.bin, shareUrl: server.url, llmUrl: llm.url })
    try {
      const imported = await Opencode.exec(other, ["import", file], { timeoutMs: 60_000 })
      assert.match(imported.stdout + imported.stderr, new RegExp(`Imported session: ${target.sessionID}`))
    } finally {
      await other.dispose()
    }
  })

  it("completes a share `opencode run --share` left half done, on the same link, and status reports it", async (t) => {
    const run = await Opencode.run(box, `finish me ${FakeLlm.PLAIN}`, { share: true })
    assert.equal(run.code, 0, run.stderr.slice(-1000))
    assert.ok(run.shareUrl && run.sessionID, "the stock client printed its share URL")
    const page = async () => (await fetch(run.shareUrl!.replace(/^http:\/\/[^/]+/, server.url))).text()
    // The stock client usually exits before its last flush, leaving the turn running; on a busy
    // machine its exit can take long enough for that flush to go out. Either way the share must
    // end up complete, on the same link, mirroring the local session (asserted below).
    const before = await page()
    t.diagnostic(
      /working…/.test(before) ? "the stock client left its share half done" : "the stock client's last flush made it",
    )
    const status = JSON.parse((await cli.run(["status", run.sessionID!, "--json"])).stdout) as {
      shares: { id: string; madeBy: string; server: string; syncing: unknown }[]
    }
    assert.deepEqual(
      status.shares.map((s) => [s.id, s.madeBy, s.server, s.syncing]),
      [[idOf(run.shareUrl), "opencode", "live", null]],
      "status reports OpenCode's own share, not live",
    )

    const r = await cli.run(["share", run.sessionID!, "--yes", "--json"])
    assert.equal(r.code, 0, r.stderr)
    const out = JSON.parse(r.stdout) as { id: string; url: string; reused: boolean }
    assert.deepEqual([out.id, out.reused], [idOf(run.shareUrl), true], "the same link, not another share")
    assert.match(r.stderr, /already has a share \(from OpenCode's \/share\)/)
    const after = await page()
    assert.match(after, /Plain answer, no tools\./)
    assert.doesNotMatch(after, /working…/)
    assert.equal(
      (await server.running().deps.store.shares.bySession(run.sessionID!)).length,
      1,
      "one session, one share",
    )
    await mirrors(out.id, run.sessionID!)
  })
})
