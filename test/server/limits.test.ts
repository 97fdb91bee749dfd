/**
 * Connection and storage limits against a real server on 127.0.0.1: a cap on live streams per
 * address, a server-wide connection cap, a body-read deadline, storage quotas per address and
 * per owner, and the free-disk guard.
 */
import assert from "node:assert/strict"
import { mkdtempSync, rmSync } from "node:fs"
import { connect, type Socket } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"
import { enterpriseDefaults } from "../../src/server/config.ts"
import * as Disk from "../../src/server/governance/disk.ts"
import * as Log from "../../src/server/log.ts"
import * as Server from "../../src/server/index.ts"
import { call, create, enterpriseApp } from "../enterprise/support.ts"
import { Stream } from "../viewer/sse.ts"

async function server(t: { after(fn: () => unknown): void }, overrides: Partial<Config.Config> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "agentshare-limits-"))
  const base = Config.defaults()
  const config = Config.defaults({
    port: 0,
    host: "127.0.0.1",
    databaseUrl: `sqlite://${join(dir, "l.db")}`,
    enterprise: enterpriseDefaults({ rateLimitCreate: null, rateLimitSync: null }),
    ...overrides,
    limits: { ...base.limits, ...overrides.limits },
  })
  const s = await Server.start(config, { log: Log.silent() })
  t.after(async () => {
    await s.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return s
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  })

/** Raw bytes on a socket, and what came back, until the server closes it. */
function rawRequest(
  port: number,
  head: string,
): { socket: Socket; reply: Promise<{ text: string; closedAfterMs: number }> } {
  const started = Date.now()
  const socket = connect(port, "127.0.0.1")
  let text = ""
  socket.on("data", (d) => (text += d.toString()))
  socket.on("error", () => {})
  const reply = new Promise<{ text: string; closedAfterMs: number }>((resolve) =>
    socket.on("close", () => resolve({ text, closedAfterMs: Date.now() - started })),
  )
  socket.write(head)
  return { socket, reply }
}

describe("connection limits", () => {
  it("caps the live streams one address holds, with 429 and Retry-After", async (t) => {
    const s = await server(t, { limits: { streamsPerAddress: 3 } as Config.Limits })
    const share = (await (await post(`${s.url}/api/share`, { sessionID: "ses_streams" })).json()) as { id: string }
    const open: Stream[] = []
    t.after(() =>
      open.forEach((x) => {
        x.close()
      }),
    )
    for (let i = 0; i < 3; i++) {
      const x = await Stream.open(`${s.url}/share/${share.id}/events`)
      open.push(x)
      assert.equal(x.response.status, 200)
      await x.next("ready")
    }
    const refused = await fetch(`${s.url}/share/${share.id}/events`)
    assert.equal(refused.status, 429)
    assert.ok(Number(refused.headers.get("retry-after")) > 0)
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "too_many_streams")
    // Closing one makes room again.
    open.shift()?.close()
    for (let i = 0; i < 50; i++) {
      const again = await Stream.open(`${s.url}/share/${share.id}/events`)
      if (again.response.status === 200) {
        open.push(again)
        return
      }
      await again.response.body?.cancel()
      await new Promise((r) => setTimeout(r, 50))
    }
    assert.fail("a stream slot never came free after one stream closed")
  })

  it("answers 503 with Retry-After past MAX_CONNECTIONS, and serves again once they close", async (t) => {
    const s = await server(t, { limits: { maxConnections: 20 } as Config.Limits })
    const held: Socket[] = []
    t.after(() =>
      held.forEach((x) => {
        x.destroy()
      }),
    )
    for (let i = 0; i < 20; i++) {
      const socket = connect(s.port, "127.0.0.1")
      await new Promise((r) => socket.once("connect", r))
      held.push(socket)
    }
    const over = rawRequest(s.port, "GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
    const { text } = await over.reply
    assert.match(text, /^HTTP\/1\.1 503 /)
    assert.match(text, /retry-after: \d+/i)
    held.splice(0).forEach((x) => {
      x.destroy()
    })
    for (let i = 0; i < 50; i++) {
      const r = await fetch(`${s.url}/healthz`).catch(() => undefined)
      if (r?.status === 200) return
      await new Promise((r) => setTimeout(r, 50))
    }
    assert.fail("the server did not serve again after the held connections closed")
  })

  it("cuts a trickling body at REQUEST_TIMEOUT", async (t) => {
    // Node alone checks its request timeout only every few seconds: 1.5x the setting here.
    const s = await server(t, { requestTimeoutMs: 4000 })
    const trickle = rawRequest(
      s.port,
      "POST /api/share HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{",
    )
    const drip = setInterval(() => trickle.socket.write(" "), 200)
    t.after(() => clearInterval(drip))
    const { text, closedAfterMs } = await trickle.reply
    clearInterval(drip)
    assert.match(text, /^HTTP\/1\.1 408 /)
    assert.ok(closedAfterMs < 5200, `the trickling request was cut after ${closedAfterMs} ms`)
  })
})

describe("storage limits", () => {
  const item = (sessionID: string, n: number, size: number) => ({
    type: "part",
    data: { id: `prt_${n}`, sessionID, messageID: "msg_1", type: "text", text: "q".repeat(size) },
  })

  it("holds the shares created from one address to QUOTA_PER_ADDRESS, with 507", async (t) => {
    const app = await enterpriseApp()
    t.after(() => app.close())
    app.deps.config.limits = { ...app.deps.config.limits, quotaPerAddress: 100_000, quotaPerOwner: null }
    const ip = "203.0.113.9"
    const a = await create(app, { ip, sessionID: "ses_qa" })
    const b = await create(app, { ip, sessionID: "ses_qb" })
    const c = await create(app, { ip: "198.51.100.1", sessionID: "ses_qc" })
    assert.equal(
      (
        await call(app, "POST", `/api/share/${a.id}/sync`, {
          ip,
          body: { secret: a.secret, data: [item("ses_qa", 1, 60_000)] },
        })
      ).status,
      200,
    )
    const r = await call(app, "POST", `/api/share/${b.id}/sync`, {
      ip,
      body: { secret: b.secret, data: [item("ses_qb", 1, 60_000)] },
    })
    assert.equal(r.status, 507)
    assert.equal(((await r.json()) as { error: { code: string } }).error.code, "quota_exceeded")
    // Nothing of the refused sync is stored; another address is not affected.
    assert.deepEqual(await (await call(app, "GET", `/api/share/${b.id}/data`)).json(), [])
    assert.equal(
      (
        await call(app, "POST", `/api/share/${c.id}/sync`, {
          body: { secret: c.secret, data: [item("ses_qc", 1, 60_000)] },
        })
      ).status,
      200,
    )
    // Unsharing frees the quota.
    assert.equal((await call(app, "DELETE", `/api/share/${a.id}`, { body: { secret: a.secret } })).status, 200)
    assert.equal(
      (
        await call(app, "POST", `/api/share/${b.id}/sync`, {
          ip,
          body: { secret: b.secret, data: [item("ses_qb", 1, 60_000)] },
        })
      ).status,
      200,
    )
  })

  it("holds an owner's shares to QUOTA_PER_OWNER, from any address", async (t) => {
    const app = await enterpriseApp()
    t.after(() => app.close())
    app.deps.config.limits = { ...app.deps.config.limits, quotaPerAddress: null, quotaPerOwner: 100_000 }
    const owner = (await (await call(app, "POST", "/api/owner")).json()) as { token: string }
    const auth = { authorization: `Bearer ${owner.token}` }
    const a = await create(app, { ip: "203.0.113.1", headers: auth, sessionID: "ses_oa" })
    const b = await create(app, { ip: "203.0.113.2", headers: auth, sessionID: "ses_ob" })
    assert.equal(
      (
        await call(app, "POST", `/api/share/${a.id}/sync`, {
          body: { secret: a.secret, data: [item("ses_oa", 1, 60_000)] },
        })
      ).status,
      200,
    )
    const r = await call(app, "POST", `/api/share/${b.id}/sync`, {
      body: { secret: b.secret, data: [item("ses_ob", 1, 60_000)] },
    })
    assert.equal(r.status, 507)
    assert.equal(((await r.json()) as { error: { code: string } }).error.code, "quota_exceeded")
  })

  it("refuses creates and syncs with 507 while the volume is below MIN_FREE_DISK, and still removes", async (t) => {
    const s = await server(t)
    const created = (await (await post(`${s.url}/api/share`, { sessionID: "ses_disk" })).json()) as {
      id: string
      secret: string
    }
    // More free space than any volume has: the guard reads the real volume and refuses.
    s.deps.disk = Disk.guard(s.deps.config.databaseUrl, 2 ** 60)
    const refused = await post(`${s.url}/api/share`, { sessionID: "ses_disk2" })
    assert.equal(refused.status, 507)
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "insufficient_storage")
    const sync = await post(`${s.url}/api/share/${created.id}/sync`, {
      secret: created.secret,
      data: [item("ses_disk", 1, 10)],
    })
    assert.equal(sync.status, 507)
    const removed = await fetch(`${s.url}/api/share/${created.id}`, {
      method: "DELETE",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ secret: created.secret }),
    })
    assert.equal(removed.status, 200)
  })
})
