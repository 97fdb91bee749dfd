import assert from "node:assert/strict"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"
import * as Server from "../../src/server/index.ts"
import * as Log from "../../src/server/log.ts"
import { addSession, home, manifest, until, type Home, type Running } from "../support/cli-run.ts"
import * as Oidc from "../support/oidc.ts"
import { freePort } from "../support/server-process.ts"
import { cookies, settings } from "./sso-support.ts"

const header = (res: Response) => [...cookies(res)].map(([k, v]) => `${k}=${v}`).join("; ")

/**
 * Does in a "browser" (fetch, with cookies per site) what the user does with the URL `login`
 * prints: logs in, and on the confirmation page checks that it names `port` and confirms.
 */
async function browse(loginUrl: string, user: string, port?: number): Promise<{ status: number; text: string }> {
  const start = await fetch(loginUrl, { redirect: "manual" })
  assert.equal(start.status, 302, await start.text())
  const back = await Oidc.login(start.headers.get("location")!, user)
  const done = await fetch(back, { redirect: "manual", headers: { cookie: header(start) } })
  if (done.status !== 303) return { status: done.status, text: await done.text() }
  // No code yet: the server asks the user to confirm the port first.
  const held = header(done)
  const page = await fetch(new URL(done.headers.get("location")!, loginUrl), { headers: { cookie: held } })
  const html = await page.text()
  if (port !== undefined) assert.match(html, new RegExp(`port ${port}\\b`), "the page names the CLI's port")
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ""
  const confirmed = await fetch(new URL("/auth/cli/confirm", loginUrl), {
    method: "POST",
    redirect: "manual",
    headers: { cookie: held, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf }),
  })
  assert.equal(confirmed.status, 303, await confirmed.clone().text())
  // The server sends the browser on to the CLI's loopback listener.
  const cli = await fetch(confirmed.headers.get("location")!)
  return { status: cli.status, text: await cli.text() }
}

async function loginAs(h: Home, user: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p: Running = h.start(["login", "--no-browser", "--json"])
  const url = await until("the login URL", () => /Log in at: (\S+)/.exec(p.output().stderr)?.[1], 30_000)
  const port = Number(/port (\d+)/.exec(p.output().stderr)?.[1])
  const seen = await browse(url, user, port)
  assert.equal(seen.status, 200, seen.text)
  const code = await p.exited
  return { code, ...p.output() }
}

const vaultOf = (h: Home) =>
  JSON.parse(readFileSync(join(h.dataHome, "agentshare", "state.json"), "utf8")) as {
    owners: Record<string, { ownerID: string; token: string }>
  }

describe("agentshare login: one SSO account across machines", () => {
  let idp: Oidc.Idp
  let server: Server.Running
  let dir: string
  const machines: Home[] = []
  /** alice's account, once the first test has made it. */
  let account = ""
  before(async () => {
    const port = await freePort()
    idp = await Oidc.start([`http://127.0.0.1:${port}/auth/callback`])
    dir = mkdtempSync(join(tmpdir(), "agentshare-sso-cli-"))
    const config = Config.defaults({
      port,
      host: "127.0.0.1",
      databaseUrl: `sqlite://${join(dir, "db.sqlite")}`,
      auth: settings(idp.issuer, "public"),
    })
    server = await Server.start(config, { log: Log.silent() })
  })
  after(async () => {
    await server.close()
    await idp.close()
    for (const h of machines) h.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  const machine = () => {
    const h = home()
    h.env.AGENTSHARE_URL = server.url
    machines.push(h)
    return h
  }

  it("has help and needs a server", async () => {
    const h = machine()
    const help = await h.run(["login", "--help"])
    assert.equal(help.code, 0)
    assert.match(help.stdout, /loopback|127\.0\.0\.1/)
    assert.equal((await h.run(["login"], { env: { AGENTSHARE_URL: "" } })).code, 2)
  })

  it("links each machine's token to the user, so shares from both are listed and revocable together", async () => {
    const a = machine()
    const b = machine()
    const shareOn = async (h: Home) => {
      const r = await h.run(["share", "--yes", "--json"])
      assert.equal(r.code, 0, r.stderr)
      return (JSON.parse(r.stdout) as { id: string }).id
    }
    const first = await shareOn(a)
    const second = await shareOn(b)
    const before = { a: vaultOf(a).owners[server.url], b: vaultOf(b).owners[server.url] }
    assert.notEqual(before.a.ownerID, before.b.ownerID)

    const la = await loginAs(a, "alice")
    assert.equal(la.code, 0, la.stderr)
    const ra = JSON.parse(la.stdout) as { ownerID: string; email: string; merged: boolean }
    assert.deepEqual([ra.ownerID, ra.email, ra.merged], [before.a.ownerID, "alice@corp.example", false])

    const lb = await loginAs(b, "alice")
    assert.equal(lb.code, 0, lb.stderr)
    const rb = JSON.parse(lb.stdout) as { ownerID: string; merged: boolean }
    assert.deepEqual([rb.ownerID, rb.merged], [ra.ownerID, true])
    account = ra.ownerID

    // Each machine stores a new token of the one account (the server keeps only hashes).
    const after = { a: vaultOf(a).owners[server.url], b: vaultOf(b).owners[server.url] }
    assert.equal(after.a.ownerID, after.b.ownerID)
    assert.notEqual(after.a.token, after.b.token)
    assert.ok(!la.stdout.includes(after.a.token) && !la.stderr.includes(after.a.token), "the token is never printed")

    for (const h of [a, b]) {
      const list = await h.run(["shares", "--json"])
      assert.equal(list.code, 0, list.stderr)
      assert.deepEqual((JSON.parse(list.stdout) as { id: string }[]).map((s) => s.id).sort(), [first, second].sort())
    }
    // Machine b's token from before its login still names the (merged) account.
    const old = await fetch(`${server.url}/api/owner/shares`, {
      headers: { authorization: `Bearer ${before.b.token}` },
    })
    assert.equal(old.status, 200)

    // Revocable together: machine a removes the share machine b made.
    const gone = await a.run(["unshare", "--all", "--yes", "--json"])
    assert.equal(gone.code, 0, gone.stderr)
    for (const id of [first, second]) assert.equal((await fetch(`${server.url}/api/share/${id}`)).status, 410)
  })

  it("gives a machine that never shared a token of the existing account", async () => {
    const c = machine()
    const r = await loginAs(c, "alice")
    assert.equal(r.code, 0, r.stderr)
    assert.equal((JSON.parse(r.stdout) as { ownerID: string }).ownerID, account)
  })

  it("refuses a user outside the allowed set: the CLI gets no code and keeps its own owner", async () => {
    const d = machine()
    const shared = await d.run(["share", "--yes", "--json"])
    assert.equal(shared.code, 0, shared.stderr)
    // mallory is outside the allowed domain: the server refuses at the callback, the CLI gets no code.
    const p = d.start(["login", "--no-browser", "--timeout", "30"])
    const url = await until("the login URL", () => /Log in at: (\S+)/.exec(p.output().stderr)?.[1], 30_000)
    const seen = await browse(url, "mallory")
    assert.equal(seen.status, 403)
    p.child.kill("SIGINT")
    assert.equal(await p.exited, 5)
    assert.notEqual(vaultOf(d).owners[server.url].ownerID, account)
  })

  it("shares with --sso: viewable only after an SSO login, from its creation on", async () => {
    const h = machine()
    const r = await h.run(["share", "--yes", "--sso", "--json"])
    assert.equal(r.code, 0, r.stderr)
    const out = JSON.parse(r.stdout) as { id: string; url: string; access: string; items: number }
    assert.equal(out.access, "sso")
    assert.ok(out.items > 0)
    const page = await fetch(out.url, { redirect: "manual" })
    assert.equal(page.status, 302)
    assert.match(page.headers.get("location") ?? "", /^\/auth\/login\?return=/)
    assert.equal((await fetch(`${server.url}/api/share/${out.id}/data`)).status, 401)
    const human = await h.run(["share", "--yes", "--sso"])
    assert.equal(human.code, 0, human.stderr)
    assert.match(human.stderr, /viewable only after logging in through this server's SSO/)
  })

  it("watch --sso makes the shares it creates in auto mode SSO-only", async (t) => {
    const h = machine()
    h.env.OPENCODE_AUTO_SHARE = "1"
    const w = h.start(["watch", "--sso", "--json", "--interval", "100"])
    t.after(() => void (w.child.exitCode === null && w.child.kill("SIGKILL")))
    await until("watch to start", () => (/watching/.test(w.output().stderr) ? true : undefined))
    const sid = await addSession(h, (await manifest()).sessionID, { text: "a new prompt" })
    const shared = await until("the shared event", () =>
      w
        .output()
        .stdout.split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; sessionID: string; id: string; url: string; access?: string })
        .find((e) => e.type === "shared"),
    )
    assert.deepEqual([shared.sessionID, shared.access], [sid, "sso"])
    await until("the first upload", async () =>
      (await fetch(`${server.url}/api/share/${shared.id}`)).ok ? true : undefined,
    )
    assert.equal((await fetch(shared.url, { redirect: "manual" })).status, 302)
    assert.equal((await fetch(`${server.url}/api/share/${shared.id}/data`)).status, 401)
    w.child.kill("SIGINT")
    assert.equal(await w.exited, 0, w.output().stderr)
  })

  it("deletes the share and fails when the server ignores --sso, so nothing is public by mistake", async (t) => {
    // Stands in for a share server that predates `access` (or another implementation): it
    // creates shares and ignores fields it does not know.
    const seen: string[] = []
    const other = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`)
      req.resume()
      req.on("end", () => {
        const create = req.method === "POST" && req.url === "/api/share"
        const remove = req.method === "DELETE" && req.url === "/api/share/s_other"
        res.writeHead(create ? 201 : remove ? 200 : 404, { "content-type": "application/json" })
        res.end(
          create
            ? JSON.stringify({ id: "s_other", url: "http://127.0.0.1/share/s_other", secret: "x".repeat(43) })
            : "{}",
        )
      })
    })
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve))
    t.after(() => new Promise<void>((resolve) => other.close(() => resolve())))
    const h = machine()
    h.env.AGENTSHARE_URL = `http://127.0.0.1:${(other.address() as AddressInfo).port}`
    const r = await h.run(["share", "--yes", "--sso"])
    assert.equal(r.code, 1, r.stderr)
    assert.match(r.stderr, /does not support SSO-only shares/)
    assert.deepEqual(
      seen.filter((r) => r.includes("/api/share")),
      ["POST /api/share", "DELETE /api/share/s_other"],
    )
  })
})
