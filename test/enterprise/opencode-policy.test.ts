/**
 * The real OpenCode client (opencode-ai@1.18.33) under the creation policy: a stock client,
 * which sends no credentials, still shares under CREATE_ACCESS=open and is refused cleanly
 * (a 403 JSON answer, no share, no crash) once creation is disabled.
 */
import assert from "node:assert/strict"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"
import { enterpriseDefaults } from "../../src/server/config.ts"
import * as Server from "../../src/server/index.ts"
import * as Log from "../../src/server/log.ts"
import * as FakeLlm from "../support/fake-llm.ts"
import * as Opencode from "../support/opencode.ts"
import * as Proc from "../support/process.ts"
import { ADMIN_TOKEN } from "./support.ts"

const { skip, bin } = await Opencode.required()

describe(`OpenCode ${Opencode.VERSION} under the creation policy`, { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "agentshare-policy-"))
  let server: Server.Running
  let llm: FakeLlm.FakeLlm
  // Access log lines: what the client's requests got.
  const lines: { method?: string; path?: string; status?: number }[] = []

  before(async () => {
    llm = await FakeLlm.start()
    const config = Config.defaults({
      port: 0,
      host: "127.0.0.1",
      databaseUrl: `sqlite://${join(dir, "share.db")}`,
      enterprise: enterpriseDefaults({ adminToken: ADMIN_TOKEN }),
    })
    const log = Log.create(
      { logLevel: "info", logFormat: "json" },
      {
        write: (s: string) => {
          lines.push(JSON.parse(s))
        },
      },
    )
    server = await Server.start(config, { log })
  })

  after(async () => {
    await server?.close()
    await llm?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function run() {
    const box = await Opencode.sandbox({ bin: bin(), shareUrl: server.url, llmUrl: llm.url })
    try {
      return await Opencode.run(box, "create file:a.txt")
    } finally {
      await box.dispose()
    }
  }

  async function killSwitch(on: boolean) {
    const res = await fetch(`${server.url}/api/admin/policy`, {
      method: "PUT",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ killSwitch: on }),
    })
    assert.equal(res.status, 200)
  }

  it("shares under CREATE_ACCESS=open", async () => {
    const r = await run()
    assert.equal(r.code, 0, r.stderr.slice(-2000))
    assert.ok(r.shareUrl?.startsWith(`${server.url}/share/`), `no share URL in:\n${Proc.plain(r.stderr).slice(-2000)}`)
    const id = (r.shareUrl as string).slice(`${server.url}/share/`.length)
    assert.equal((await fetch(`${server.url}/api/share/${id}/data`)).status, 200)
  })

  it("is refused cleanly while creation is disabled, and its session still runs", async () => {
    await killSwitch(true)
    const usage = (await (
      await fetch(`${server.url}/api/admin/storage`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).json()) as { shares: number }
    const seen = lines.length
    const r = await run()
    // The run itself completes: the model answered and the session exists; only sharing failed.
    assert.equal(r.code, 0, r.stderr.slice(-2000))
    assert.ok(r.sessionID, "the session ran")
    assert.equal(r.shareUrl, undefined, "no share URL is printed")
    const after_ = (await (
      await fetch(`${server.url}/api/admin/storage`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).json()) as { shares: number }
    assert.equal(after_.shares, usage.shares, "no share was created")
    // What the client got was our 403, never a 500.
    const creates = lines.slice(seen).filter((l) => l.method === "POST" && l.path === "/api/share")
    assert.ok(creates.length >= 1, "the client asked to create a share")
    assert.deepEqual([...new Set(creates.map((l) => l.status))], [403])
    assert.ok(!lines.some((l) => (l.status ?? 0) >= 500), "no request failed on the server")
    await killSwitch(false)
  })
})
