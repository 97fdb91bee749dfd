/**
 * End to end with the real OpenCode client (opencode-ai@1.18.33, installed on demand) and a
 * scripted fake model, against agentshare on 127.0.0.1 over a real SQLite file.
 */
import assert from "node:assert/strict"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { after, before, describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"
import * as Server from "../../src/server/index.ts"
import * as Log from "../../src/server/log.ts"
import { escape } from "../../src/viewer/escape.ts"
import * as FakeLlm from "../support/fake-llm.ts"
import type { Manifest } from "../support/make-opencode-fixture.ts"
import * as Opencode from "../support/opencode.ts"
import { until } from "../support/wait.ts"

type Item = { type: string; data: Record<string, any> }
type Message = { info: Record<string, any>; parts: Record<string, any>[] }

const PROMPT = "Please create file:notes.txt, run echo hi, and edit the file"
const SHARE_ID = /^s_[A-Za-z0-9_-]+$/

// Outside CI a missing client skips with its reason; under CI every test runs and fails with it.
const { skip, bin } = await Opencode.required()

describe(`OpenCode ${Opencode.VERSION} against agentshare`, { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "agentshare-e2e-"))
  const dbPath = join(dir, "share.db")
  const cleanups: (() => Promise<unknown>)[] = []
  let server: Server.Running
  let llm: FakeLlm.FakeLlm

  before(async () => {
    llm = await FakeLlm.start()
    server = await Server.start(Config.defaults({ port: 0, host: "127.0.0.1", databaseUrl: `sqlite://${dbPath}` }), {
      log: Log.silent(),
    })
  })

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined)
    await server?.close()
    await llm?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function sandbox(options: { autoShare?: boolean } = {}) {
    const box = await Opencode.sandbox({ bin: bin(), shareUrl: server.url, llmUrl: llm.url, ...options })
    cleanups.push(() => box.dispose())
    return box
  }

  async function serve(box: Opencode.Sandbox) {
    const srv = await Opencode.serve(box)
    cleanups.push(() => srv.close())
    return srv
  }

  async function data(id: string): Promise<{ status: number; items: Item[] }> {
    const res = await fetch(`${server.url}/api/share/${id}/data`)
    return { status: res.status, items: res.ok ? ((await res.json()) as Item[]) : [] }
  }

  function shareId(url: string | undefined): string {
    assert.ok(url, "the client reported no share URL")
    const prefix = `${server.url}/share/`
    assert.ok(url.startsWith(prefix), `share URL ${url} does not start with ${prefix}`)
    const id = url.slice(prefix.length)
    assert.match(id, SHARE_ID)
    return id
  }

  const parts = (items: Item[]) => items.filter((i) => i.type === "part").map((i) => i.data)
  const kinds = (items: Item[]) => new Set(parts(items).map((p) => (p.type === "tool" ? `tool:${p.tool}` : p.type)))

  function assertScenario(items: Item[], sessionID: string) {
    const session = items.find((i) => i.type === "session")
    assert.equal(session?.data.id, sessionID, "the share holds the session")
    const messages = items.filter((i) => i.type === "message").map((i) => i.data)
    assert.ok(
      messages.some((m) => m.role === "user"),
      "a user message",
    )
    assert.ok(
      messages.some((m) => m.role === "assistant"),
      "an assistant message",
    )
    for (const m of messages) assert.equal(m.sessionID, sessionID)
    const seen = kinds(items)
    for (const kind of [
      "text",
      "reasoning",
      "tool:write",
      "tool:bash",
      "tool:todowrite",
      "tool:edit",
      "step-start",
      "step-finish",
      "patch",
    ]) {
      assert.ok(seen.has(kind), `a ${kind} part reached the share (saw ${[...seen].join(", ")})`)
    }
  }

  // One `run --share` serves two tests: what it shared, and importing it elsewhere.
  type Shared = { id: string; url: string; sessionID: string; items: Item[]; exported: Opencode.Export }
  let shared: Promise<Shared> | undefined
  function runShared(): Promise<Shared> {
    shared ??= (async () => {
      const box = await sandbox()
      const run = await Opencode.run(box, PROMPT)
      assert.equal(run.code, 0, `opencode run exited ${run.code}:\n${run.stderr.slice(-2000)}`)
      assert.ok(run.sessionID, "opencode run printed no session id")
      const id = shareId(run.shareUrl)
      const { status, items } = await data(id)
      assert.equal(status, 200)
      // Keep the client's own record for comparison: the share must hold nothing it did not send.
      const exported = await Opencode.exportSession(box, run.sessionID)
      return { id, url: run.shareUrl!, sessionID: run.sessionID, items, exported }
    })()
    return shared
  }

  it("shares an `opencode run --share` session with its messages, tool calls and steps", async () => {
    const { id, sessionID, items, exported } = await runShared()
    // `run --share` exits without flushing its last changes (PROTOCOL.md §3.6), so the share is a
    // prefix of the session: complete up to the final step, every value as the client stored it.
    assertScenario(items, sessionID)
    const local = new Set(exported.messages.flatMap((m) => [m.info.id, ...m.parts.map((p) => p.id)]))
    for (const item of items.filter((i) => i.type === "message" || i.type === "part")) {
      assert.ok(local.has(item.data.id), `${item.type} ${item.data.id} is not in the client's export`)
    }
    // The same content through the store the server wrote, under the keys of src/schema/item.ts.
    const found = await server.deps.store.shares.find(id)
    assert.equal(found.state, "live")
    if (found.state !== "live") return
    const rows = new Map((await server.deps.store.shares.items(found.share)).map((r) => [r.key, r]))
    assert.equal(rows.size, items.length)
    for (const item of items) {
      const key =
        item.type === "message"
          ? `message/${sessionID}/${item.data.id}`
          : item.type === "part"
            ? `part/${sessionID}/${item.data.messageID}/${item.data.id}`
            : `${item.type}/${sessionID}`
      assert.ok(rows.has(key), `no stored row ${key}`)
      assert.deepEqual(rows.get(key)?.data, item.data)
    }
  })

  it("lets `opencode import` recreate a shared session from the share URL", async () => {
    const { url, sessionID, items } = await runShared()
    const box = await sandbox()
    const imported = await Opencode.importShare(box, url)
    assert.ok(
      imported.stdout.includes(`Imported session: ${sessionID}`),
      `opencode import said:\n${imported.stdout}\n${imported.stderr.slice(-1500)}`,
    )
    assert.equal(imported.sessionID, sessionID)
    const exported = await Opencode.exportSession(box, sessionID)
    assert.equal(exported.info.id, sessionID)
    const sharedMessages = items
      .filter((i) => i.type === "message")
      .map((i) => i.data.id)
      .sort()
    assert.deepEqual(exported.messages.map((m) => m.info.id).sort(), sharedMessages)
    const sharedParts = parts(items)
      .map((p) => p.id)
      .sort()
    assert.deepEqual(exported.messages.flatMap((m) => m.parts.map((p) => p.id)).sort(), sharedParts)
  })

  it("syncs a served session completely and deletes every item on unshare", async () => {
    const box = await sandbox()
    const srv = await serve(box)
    const created = await srv.request("POST", "/session", { title: "serve e2e" })
    assert.equal(created.status, 200, JSON.stringify(created.json))
    const sessionID = (created.json as { id: string }).id
    const sharedRes = await srv.request("POST", `/session/${sessionID}/share`)
    assert.equal(sharedRes.status, 200, JSON.stringify(sharedRes.json))
    const id = shareId((sharedRes.json as { share?: { url?: string } }).share?.url)

    const prompt = await srv.request(
      "POST",
      `/session/${sessionID}/message`,
      { parts: [{ type: "text", text: PROMPT }] },
      180_000,
    )
    assert.equal(prompt.status, 200, JSON.stringify(prompt.json).slice(0, 1000))

    // The client flushes about a second after each change; wait until the share holds every
    // message and part exactly as the client has them.
    let last = ""
    const items = await until(
      async () => {
        const local = await srv.request("GET", `/session/${sessionID}/message`)
        const { items } = await data(id)
        const remote = new Map(
          items.filter((i) => i.type === "message" || i.type === "part").map((i) => [i.data.id as string, i.data]),
        )
        const differ: string[] = []
        for (const m of local.json as Message[]) {
          for (const value of [m.info, ...m.parts]) {
            const theirs = remote.get(value.id)
            if (!theirs) differ.push(`${value.id} missing`)
            else if (!isDeepEqual(theirs, value)) differ.push(`${value.id} differs`)
          }
        }
        last = differ.join(", ")
        return differ.length === 0 && items.some((i) => i.type === "session_diff") ? items : undefined
      },
      { timeoutMs: 30_000, what: "the share to match the served session", describe: () => last },
    )
    assertScenario(items, sessionID)
    assert.ok(
      parts(items).some((p) => p.type === "step-finish"),
      "the final step-finish reached the share",
    )
    assert.ok(
      items.some((i) => i.type === "session_diff" && Array.isArray(i.data)),
      "a session_diff item",
    )

    const unshared = await srv.request("DELETE", `/session/${sessionID}/share`)
    assert.equal(
      unshared.status,
      200,
      `DELETE /session/${sessionID}/share -> ${unshared.status} ${JSON.stringify(unshared.json)}`,
    )
    assert.equal((await data(id)).status, 410)
    assert.equal((await fetch(`${server.url}/share/${id}`)).status, 410)
    const db = new DatabaseSync(dbPath, { readOnly: true })
    try {
      const count = (sql: string) => Number(db.prepare(sql).get(id)?.n)
      assert.equal(
        count("SELECT count(*) AS n FROM share_item WHERE share_id = ?"),
        0,
        "item rows of the unshared share remain",
      )
      assert.equal(count("SELECT count(*) AS n FROM share WHERE id = ?"), 0, "the unshared share's row remains")
      assert.equal(count("SELECT count(*) AS n FROM share_tombstone WHERE id = ?"), 1, "a tombstone answers 410")
    } finally {
      db.close()
    }
  })

  it("shows the session at the URL `run --share` prints under OPENCODE_AUTO_SHARE=1 (double create)", async (t) => {
    const box = await sandbox({ autoShare: true })
    const run = await Opencode.run(box, PROMPT)
    assert.equal(run.code, 0, `opencode run exited ${run.code}:\n${run.stderr.slice(-2000)}`)
    assert.ok(run.sessionID)
    const id = shareId(run.shareUrl)
    // Both creates must really have happened, or this test proves nothing about grouping.
    const creates = await server.deps.store.shares.bySession(run.sessionID)
    assert.ok(creates.length >= 2, `expected two shares for ${run.sessionID}, found ${creates.length}`)
    // Which of the two gets the syncs is up to the client; say which case this run exercised.
    t.diagnostic(`printed share ${id} holds ${creates.find((s) => s.id === id)?.itemCount ?? 0} items of its own`)
    const { status, items } = await data(id)
    assert.equal(status, 200)
    const session = items.find((i) => i.type === "session")
    assert.equal(session?.data.id, run.sessionID)
    assert.ok(
      items.some((i) => i.type === "message" && i.data.sessionID === run.sessionID),
      "the printed share shows messages",
    )
    const page = await fetch(`${server.url}/share/${id}`)
    assert.equal(page.status, 200)
    assert.ok(typeof session?.data.title === "string" && session.data.title.length > 0)
    assert.ok((await page.text()).includes(escape(session.data.title)), "the page shows the session title")
  })

  it("shares the parent's task part that names the subagent session", async () => {
    const box = await sandbox()
    const srv = await serve(box)
    const created = await srv.request("POST", "/session", { title: "subagent e2e" })
    const sessionID = (created.json as { id: string }).id
    const sharedRes = await srv.request("POST", `/session/${sessionID}/share`)
    const id = shareId((sharedRes.json as { share?: { url?: string } }).share?.url)
    const prompt = await srv.request(
      "POST",
      `/session/${sessionID}/message`,
      { parts: [{ type: "text", text: `${PROMPT} ${FakeLlm.SUBAGENT}` }] },
      180_000,
    )
    assert.equal(prompt.status, 200, JSON.stringify(prompt.json).slice(0, 1000))
    const children = await srv.request("GET", `/session/${sessionID}/children`)
    const child = (children.json as { id: string }[])[0]?.id
    assert.ok(child, `the task tool made no child session: ${JSON.stringify(children.json).slice(0, 500)}`)
    const task = await until(
      async () => {
        const { items } = await data(id)
        return parts(items).find((p) => p.type === "tool" && p.tool === "task" && p.state?.status === "completed")
      },
      { timeoutMs: 30_000, what: "the completed task part on the share" },
    )
    assert.equal(task.sessionID, sessionID)
    assert.equal(task.state.metadata?.sessionId, child)
    assert.match(String(task.state.output), /Subagent finished/)
  })
})

describe("the committed OpenCode fixture (test/fixtures/opencode)", () => {
  const FIXTURE = join(import.meta.dirname, "../fixtures/opencode")
  const read = <T>(name: string) => JSON.parse(readFileSync(join(FIXTURE, name), "utf8")) as T
  const manifest = read<Manifest>("manifest.json")
  const parent = read<Opencode.Export>("session.export.json")
  const child = read<Opencode.Export>("subagent.export.json")

  it("holds a parent session whose task part names the subagent session", () => {
    assert.equal(manifest.version, Opencode.VERSION)
    assert.equal(parent.info.id, manifest.sessionID)
    assert.equal(child.info.id, manifest.childSessionID)
    assert.equal(child.info.parentID, manifest.sessionID)
    const task = parent.messages.flatMap((m) => m.parts).find((p) => p.type === "tool" && p.tool === "task") as
      | Record<string, any>
      | undefined
    assert.equal(task?.state?.metadata?.sessionId, manifest.childSessionID)
  })

  it("has a database with the same sessions, messages and parts as the exports", {
    skip: !manifest.database && "no opencode.db was kept (over 1 MB)",
  }, () => {
    const db = new DatabaseSync(join(FIXTURE, "opencode.db"), { readOnly: true })
    try {
      const ids = (sql: string, arg: string) => (db.prepare(sql).all(arg) as { id: string }[]).map((r) => r.id).sort()
      for (const exported of [parent, child]) {
        const sid = exported.info.id as string
        assert.deepEqual(ids("SELECT id FROM session WHERE id = ?", sid), [sid])
        assert.deepEqual(
          ids("SELECT id FROM message WHERE session_id = ?", sid),
          exported.messages.map((m) => m.info.id as string).sort(),
        )
        assert.deepEqual(
          ids("SELECT id FROM part WHERE session_id = ?", sid),
          exported.messages.flatMap((m) => m.parts.map((p) => p.id as string)).sort(),
        )
      }
    } finally {
      db.close()
    }
  })
})

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b)
    return true
  } catch {
    return false
  }
}
