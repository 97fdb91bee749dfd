/**
 * The render thread (src/server/view/renderer.ts): pages of a share come from it on every
 * backend, follow syncs, never show text taken down, survive the thread's crash with a clear
 * answer, and let the process exit once the server closes.
 */
import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import * as Store from "../../src/store/index.ts"
import { long } from "../viewer/fixtures.ts"
import { backends } from "../support/backends.ts"
import { share, testApp, type TestApp } from "../support/app.ts"

type Item = { type: string; data: unknown }

async function publish(t: TestApp, sessionID: string, items: Item[]) {
  const s = await share(t, sessionID)
  for (let i = 0; i < items.length; i += 500) {
    const res = await t.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data: items.slice(i, i + 500) })
    assert.equal(res.status, 200, await res.text())
  }
  return s
}

async function text(t: TestApp, path: string) {
  const r = await t.app.request(path)
  return { status: r.status, body: await r.text() }
}

for (const backend of backends) {
  describe(`render thread on ${backend.name}`, () => {
    it("renders pages off the main thread and follows each sync", async (c) => {
      const t = await testApp({}, Date.now, backend)
      c.after(() => t.close())
      const root = "ses_zzrender0000000000000000"
      const s = await publish(t, root, long(40, root))
      const first = await text(t, `/share/${s.id}`)
      assert.equal(first.status, 200)
      assert.match(first.body, /Prompt number 19:/)
      assert.ok((await t.deps.transcripts.renderer.held()).includes(s.id))
      const more = long(44, root).slice(long(40, root).length)
      const res = await t.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data: more })
      assert.equal(res.status, 200)
      const md = await text(t, `/share/${s.id}.md`)
      assert.match(md.body, /Prompt number 21:/)
    })

    it("never serves text an owner took down, on any route", async (c) => {
      const t = await testApp({}, Date.now, backend)
      c.after(() => t.close())
      const root = "ses_zztakedown00000000000000"
      const s = await publish(t, root, long(6, root))
      for (const path of [`/share/${s.id}`, `/share/${s.id}.md`])
        assert.match((await text(t, path)).body, /Prompt number 1:/)
      const res = await t.send("POST", `/api/share/${s.id}/redact`, { secret: s.secret, literal: "Prompt number 1:" })
      assert.equal(res.status, 200, await res.text())
      for (const path of [`/share/${s.id}`, `/share/${s.id}.md`]) {
        const after = await text(t, path)
        assert.equal(after.status, 200)
        assert.doesNotMatch(after.body, /Prompt number 1:/, path)
        assert.match(after.body, /Prompt number 2:/, path)
      }
    })
  })
}

describe("render thread failures", () => {
  it("refuses sqlite::memory: clearly: the writer, the readers and the render thread need one file", async () => {
    const clear = /sqlite::memory: cannot be shared by the writer thread and the readers; use a file/
    await assert.rejects(Store.open("sqlite::memory:"), clear)
    await assert.rejects(Store.reader("sqlite::memory:"), clear)
  })

  it("answers 503 render_unavailable when the thread stops mid-render, and renders again after", async (c) => {
    const t = await testApp()
    c.after(() => t.close())
    const root = "ses_zzcrash00000000000000000"
    const s = await publish(t, root, long(3000, root))
    const renderer = t.deps.transcripts.renderer
    const pending = t.app.request(`/share/${s.id}.md`)
    while (renderer.busy() === 0) await new Promise((r) => setImmediate(r))
    await renderer.kill()
    const failed = await pending
    assert.equal(failed.status, 503)
    assert.equal(failed.headers.get("retry-after"), "1")
    assert.match(await failed.text(), /page renderer stopped/)
    const html = await t.app.request(`/share/${s.id}`)
    assert.equal(html.status, 200)
    assert.match(await html.text(), /Prompt number 1499:/)
    // Stopped while idle, it starts again at the next request.
    await renderer.kill()
    assert.equal((await text(t, `/share/${s.id}.md`)).status, 200)
  })

  it("lets the process exit once the server closed, with the thread started", async (c) => {
    const server = new URL("../../src/server/index.ts", import.meta.url).href
    const config = new URL("../../src/server/config.ts", import.meta.url).href
    const log = new URL("../../src/server/log.ts", import.meta.url).href
    const script = `
      import { mkdtempSync } from "node:fs"; import { tmpdir } from "node:os"; import { join } from "node:path"
      const Server = await import(${JSON.stringify(server)}); const Config = await import(${JSON.stringify(config)})
      const Log = await import(${JSON.stringify(log)})
      const dir = mkdtempSync(join(tmpdir(), "agentshare-exit-"))
      const s = await Server.start(Config.defaults({ port: 0, host: "127.0.0.1", databaseUrl: "sqlite://" + join(dir, "s.db") }), { log: Log.silent() })
      const base = "http://127.0.0.1:" + s.port
      const share = await (await fetch(base + "/api/share", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sessionID: "ses_exit" }) })).json()
      const page = await fetch(base + "/share/" + share.id)
      await page.text()
      if (page.status !== 200) process.exit(2)
      await s.close()
      console.log("closed")`
    // A file, not --input-type: worker threads inherit the flags of the process.
    const dir = mkdtempSync(join(tmpdir(), "agentshare-exit-"))
    c.after(() => rmSync(dir, { recursive: true, force: true }))
    writeFileSync(join(dir, "run.mjs"), script)
    const child = spawn(process.execPath, [join(dir, "run.mjs")], { stdio: ["ignore", "pipe", "inherit"] })
    let out = ""
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString()
    })
    // A hang is the failure: nothing but the closed server may hold the process.
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000)
    const [code, signal] = await new Promise<[number | null, string | null]>((r) =>
      child.once("exit", (code, signal) => r([code, signal])),
    )
    clearTimeout(killer)
    assert.equal(signal, null, "the process did not exit on its own")
    assert.equal(code, 0)
    assert.match(out, /closed/)
  })
})
