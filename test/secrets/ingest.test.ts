import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import * as Secrets from "../../src/secrets/index.ts"
import * as Log from "../../src/server/log.ts"
import * as Server from "../../src/server/index.ts"
import { leaked } from "./corpus.ts"
import { ROOT, sessionWithSecrets, start, type Running } from "./server.ts"

const { items, secrets } = sessionWithSecrets()
const leaks = (text: string) => secrets.filter((s) => leaked(s, text))

/** Reads a share's event stream until its first data line (bounded: 10 s). */
async function firstEvent(t: Running, id: string): Promise<string> {
  const ac = new AbortController()
  const timer = setTimeout(() => ac.abort(), 10_000)
  try {
    const res = await fetch(`${t.server.url}/share/${id}/events?since=0`, { signal: ac.signal })
    const reader = res.body!.getReader()
    let text = ""
    while (!text.includes("\ndata:") && !text.startsWith("data:")) {
      const { value, done } = await reader.read()
      if (done) break
      text += new TextDecoder().decode(value)
    }
    return text
  } finally {
    clearTimeout(timer)
    ac.abort()
  }
}

describe("REDACT_ON_INGEST=redact (the default)", () => {
  let t: Running
  let share: { id: string; secret: string }
  before(async () => {
    t = await start("redact")
    share = await t.share(ROOT)
    const res = await t.post(`/api/share/${share.id}/sync`, { secret: share.secret, data: items })
    assert.equal(res.status, 200, await res.clone().text())
  })
  after(() => t.close())

  it("stores and serves the session with every secret replaced by its marker", async () => {
    const data = await (await t.get(`/api/share/${share.id}/data`)).text()
    assert.deepEqual(leaks(data), [])
    assert.match(data, /\[redacted:openai\]/)
    assert.match(data, /\[redacted:private-key\]/)
  })

  it("never writes a secret to the database file", () => {
    assert.deepEqual(leaks(t.database()), [])
  })

  it("never shows a secret on the page or in its live stream and events", async () => {
    const page = await (await t.get(`/share/${share.id}`)).text()
    assert.deepEqual(leaks(page), [])
    assert.match(page, /redacted:github/)
    assert.deepEqual(leaks(await firstEvent(t, share.id)), [])
    assert.ok(t.events.some((e) => e.type === "sync"))
    assert.deepEqual(leaks(JSON.stringify(t.events)), [])
  })

  it("never logs a secret or a preview of one", () => {
    const logs = t.logs.join("")
    assert.match(logs, /secrets redacted on ingest/)
    assert.deepEqual(leaks(logs), [])
    assert.ok(!logs.includes("…("), "no masked preview in logs")
  })

  it("counts the redactions of the share's current items, once per secret however often it is resent", async () => {
    const meta = (await (await t.get(`/api/share/${share.id}`)).json()) as { redactions: number }
    assert.equal(meta.redactions, (await Secrets.redact(items, { root: ROOT })).findings.length)
    assert.ok(meta.redactions >= 20)
    const again = await t.post(`/api/share/${share.id}/sync`, { secret: share.secret, data: items })
    assert.equal(again.status, 200)
    const after = (await (await t.get(`/api/share/${share.id}`)).json()) as { redactions: number }
    assert.equal(after.redactions, meta.redactions)
  })

  it("counts a secret in a shell part's state.output and metadata.output once, on the page too", async () => {
    const token = secrets.find((x) => x.startsWith("ghp_"))!
    const fresh = await t.share(ROOT)
    const out = `remote: ${token}\n`
    const shell = {
      type: "part",
      data: {
        id: "prt_zzzzshellcopies",
        sessionID: ROOT,
        messageID: "msg_zzzzshellcopies",
        type: "tool",
        tool: "bash",
        callID: "c1",
        state: {
          status: "completed",
          input: { command: "git remote -v" },
          output: out,
          metadata: { output: out, exit: 0 },
          time: { start: 1, end: 2 },
        },
      },
    }
    const res = await t.post(`/api/share/${fresh.id}/sync`, { secret: fresh.secret, data: [shell] })
    assert.equal(res.status, 200, await res.clone().text())
    const meta = (await (await t.get(`/api/share/${fresh.id}`)).json()) as { redactions: number }
    assert.equal(meta.redactions, 1)
    assert.match(await (await t.get(`/share/${fresh.id}`)).text(), /1 secret was redacted on upload/)
  })

  it("redacts what the legacy /share_sync protocol sends too", async () => {
    const legacy = (await (await t.post("/share_create", { sessionID: "ses_legacy" })).json()) as {
      url: string
      secret: string
    }
    const part = items.find((i) => i.type === "part" && JSON.stringify(i.data).includes("T3BlbkFJ"))!
    const key = `session/part/ses_legacy/${part.data.messageID}/${part.data.id}`
    const res = await t.post("/share_sync", {
      sessionID: "ses_legacy",
      secret: legacy.secret,
      key,
      content: { ...part.data, sessionID: "ses_legacy" },
    })
    assert.equal(res.status, 200)
    const id = legacy.url.split("/").at(-1)
    const stored = await (await t.get(`/api/share/${id}/data`)).text()
    assert.match(stored, /\[redacted:openai\]/)
    assert.deepEqual(leaks(stored), [])
  })

  it("refuses an item whose id holds a secret, since an id cannot be redacted", async () => {
    const token = secrets.find((s) => s.startsWith("ghp_"))!
    const res = await t.post(`/api/share/${share.id}/sync`, {
      secret: share.secret,
      data: [{ type: "part", data: { id: token, sessionID: ROOT, messageID: "msg_x", type: "text", text: "hi" } }],
    })
    assert.equal(res.status, 400)
    const body = (await res.json()) as { error: { code: string; message: string } }
    assert.equal(body.error.code, "secret_detected")
    assert.ok(!leaked(token, JSON.stringify(body)))
  })
})

describe("REDACT_ON_INGEST=reject", () => {
  let t: Running
  before(async () => {
    t = await start("reject")
  })
  after(() => t.close())

  it("answers 400 secret_detected naming the rule and field, and stores nothing of that sync", async () => {
    const share = await t.share(ROOT)
    const res = await t.post(`/api/share/${share.id}/sync`, { secret: share.secret, data: items })
    assert.equal(res.status, 400)
    const body = (await res.json()) as { error: { code: string; message: string } }
    assert.equal(body.error.code, "secret_detected")
    assert.match(
      body.error.message,
      /^data\[\d+\] part\/\S+ state\.\S+ line \d+: a secret matching rule [a-z-]+ was found \(and \d+ more\); nothing of this sync was stored$/,
    )
    assert.deepEqual(leaks(JSON.stringify(body)), [])
    assert.equal(await (await t.get(`/api/share/${share.id}/data`)).text(), "[]")
    assert.deepEqual(t.events, [])
    assert.deepEqual(leaks(t.database()), [])
    assert.deepEqual(leaks(t.logs.join("")), [])
  })

  it("stores a sync without secrets as usual", async () => {
    const share = await t.share("ses_clean")
    const clean = items.filter((i) => !secrets.some((s) => JSON.stringify(i.data).includes(s.slice(0, 12))))
    const res = await t.post(`/api/share/${share.id}/sync`, { secret: share.secret, data: clean })
    assert.equal(res.status, 200, await res.clone().text())
    assert.ok(((await res.json()) as { accepted: number }).accepted > 0)
  })
})

describe("REDACT_ON_INGEST=off", () => {
  let t: Running
  before(async () => {
    t = await start("off")
  })
  after(() => t.close())

  it("stores what arrives, so the checks above are not vacuous", async () => {
    const share = await t.share(ROOT)
    const res = await t.post(`/api/share/${share.id}/sync`, { secret: share.secret, data: items })
    assert.equal(res.status, 200)
    const data = await (await t.get(`/api/share/${share.id}/data`)).text()
    assert.deepEqual(leaks(data).length, secrets.length)
    assert.ok(leaks(t.database()).length > 0)
    assert.ok(leaks(await (await t.get(`/share/${share.id}`)).text()).length > 0)
  })
})

describe("SCAN_BUDGET", () => {
  // Slow to scan (several MiB, a finding every few bytes), so it runs over a 50 ms budget.
  const heavy = (n: number) => ({
    type: "part",
    data: {
      id: `prt_heavy${n}`,
      sessionID: ROOT,
      messageID: "msg_heavy",
      type: "text",
      text: '"apiKey": "Zq4Xw8Pl2Mn7", '.repeat(200_000),
    },
  })

  for (const mode of ["redact", "reject"] as const) {
    it(`refuses a sync whose scan runs over the budget with 413 scan_timeout, and stores nothing of it (${mode})`, async () => {
      const other = await start(mode, { scanWorkers: 1, scanBudgetMs: 50 })
      try {
        const share = await other.share(ROOT)
        const res = await other.post(`/api/share/${share.id}/sync`, {
          secret: share.secret,
          data: [items[0], heavy(1)],
        })
        assert.equal(res.status, 413)
        const body = (await res.json()) as { error: { code: string; message: string } }
        assert.equal(body.error.code, "scan_timeout")
        assert.match(
          body.error.message,
          /SCAN_BUDGET, 0\.05 s.*nothing of it was stored; send its items in smaller batches/,
        )
        assert.equal(await (await other.get(`/api/share/${share.id}/data`)).text(), "[]")
        assert.deepEqual(other.events, [])
        assert.match(other.logs.join(""), /secret scan over budget/)
        // The worker that ran over was replaced: the next sync is scanned and stored.
        const next = await other.post(`/api/share/${share.id}/sync`, { secret: share.secret, data: [items[0]] })
        assert.equal(next.status, 200, await next.clone().text())
      } finally {
        await other.close()
      }
    })
  }

  it("refuses a takedown whose rescan runs over the budget, and leaves the share as it was", async () => {
    const fast = await start("redact", { scanWorkers: 1, scanBudgetMs: 30_000 })
    try {
      const share = await fast.share(ROOT)
      // Slow to scan too (millions of lines), but with nothing to redact, so it stays this size.
      const lines = {
        type: "part",
        data: {
          id: "prt_lines",
          sessionID: ROOT,
          messageID: "msg_heavy",
          type: "text",
          text: `Zq4Xw8Pl2Mn7\n${"x\n".repeat(2_000_000)}`,
        },
      }
      const synced = await fast.post(`/api/share/${share.id}/sync`, { secret: share.secret, data: [items[0], lines] })
      assert.equal(synced.status, 200, await synced.clone().text())
      const before = await (await fast.get(`/api/share/${share.id}/data`)).text()
      // The same database served with a budget the takedown's rescan cannot meet.
      const slow = await Server.start({ ...fast.server.deps.config, scanBudgetMs: 50 }, { log: Log.silent() })
      try {
        const res = await fetch(`${slow.url}/api/share/${share.id}/redact`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ secret: share.secret, literal: "Zq4Xw8Pl2Mn7" }),
        })
        assert.equal(res.status, 413)
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, "scan_timeout")
      } finally {
        await slow.close()
      }
      assert.equal(await (await fast.get(`/api/share/${share.id}/data`)).text(), before)
    } finally {
      await fast.close()
    }
  })
})
