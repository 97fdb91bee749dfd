/** The stock OpenCode client against a server with SSO-only shares: it still creates, syncs and
 * deletes with the share's secret, and `opencode import` of an sso share is refused (401)
 * without importing anything, while a public share on the same server imports. */
import assert from "node:assert/strict"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"
import * as Server from "../../src/server/index.ts"
import * as Log from "../../src/server/log.ts"
import * as FakeLlm from "../support/fake-llm.ts"
import * as Oidc from "../support/oidc.ts"
import * as Opencode from "../support/opencode.ts"
import * as Proc from "../support/process.ts"
import * as S from "../viewer/support.ts"
import { settings } from "./sso-support.ts"

const { skip, bin } = await Opencode.required()

describe(`OpenCode ${Opencode.VERSION} and SSO-only shares`, { skip }, () => {
  let idp: Oidc.Idp
  let server: Server.Running
  let llm: FakeLlm.FakeLlm
  let box: Opencode.Sandbox
  let dir: string
  before(async () => {
    idp = await Oidc.start(["http://127.0.0.1:1/auth/callback"])
    llm = await FakeLlm.start()
    dir = mkdtempSync(join(tmpdir(), "agentshare-sso-opencode-"))
    server = await Server.start(
      Config.defaults({
        port: 0,
        host: "127.0.0.1",
        databaseUrl: `sqlite://${join(dir, "db.sqlite")}`,
        auth: settings(idp.issuer, "public"),
      }),
      { log: Log.silent() },
    )
    box = await Opencode.sandbox({ bin: bin(), shareUrl: server.url, llmUrl: llm.url })
  })
  after(async () => {
    await box?.dispose()
    await server?.close()
    await llm?.close()
    await idp?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const publish = async (access: "public" | "sso") => {
    const share = await S.publish(server.url, S.realItems())
    const res = await fetch(`${server.url}/api/share/${share.id}/access`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ secret: share.secret, access }),
    })
    assert.equal(res.status, 200)
    return share
  }

  it("refuses `opencode import` of an sso share with 401, importing nothing", async () => {
    const share = await publish("sso")
    const res = await fetch(`${server.url}/api/share/${share.id}/data`)
    assert.equal(res.status, 401)
    const r = await Opencode.importShare(box, share.url)
    const said = Proc.plain(r.stdout + r.stderr)
    assert.equal(r.sessionID, undefined, `opencode import said:\n${said.slice(-1500)}`)
    // OpenCode 1.18.33 prints this and exits 0 (as it does on most import failures).
    assert.match(said, /Failed to fetch share data: Unauthorized/)
  })

  it("imports a public share from the same server", async () => {
    const share = await publish("public")
    const r = await Opencode.importShare(box, share.url)
    assert.ok(r.sessionID, `opencode import said:\n${Proc.plain(r.stdout + r.stderr).slice(-1500)}`)
  })
})
