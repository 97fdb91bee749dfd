/** `agentshare share --expire`: the real CLI asks the real server for an expiry at create. */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { home } from "../support/cli-run.ts"
import * as TestServer from "../support/cli-server.ts"

describe("agentshare share --expire", () => {
  let server: TestServer.TestServer
  before(async () => {
    server = await TestServer.start()
  })
  after(() => server.close())

  it("creates the share with the asked expiry and prints it", async (t) => {
    const h = home()
    t.after(() => h.dispose())
    Object.assign(h.env, { AGENTSHARE_URL: server.url, AGENTSHARE_SECRETS: "redact" })
    const before_ = Date.now()
    const r = await h.run(["share", "--yes", "--json", "--expire", "2h"])
    const after_ = Date.now()
    assert.equal(r.code, 0, r.stderr)
    const out = JSON.parse(r.stdout) as { id: string; url: string; expiresAt: number }
    assert.ok(
      out.expiresAt >= before_ + 2 * 3_600_000 && out.expiresAt <= after_ + 2 * 3_600_000,
      `expiresAt ${out.expiresAt}`,
    )
    const found = await server.running().deps.store.shares.find(out.id)
    assert.equal(found.state === "live" && found.share.expiresAt, out.expiresAt)
    // `agentshare shares` shows the server's view count and expiry.
    assert.equal((await fetch(out.url.replace(/^http:\/\/[^/]+/, server.url))).status, 200)
    const listed = JSON.parse((await h.run(["shares", "--json"])).stdout) as {
      id: string
      views: number
      expiresAt: number
    }[]
    const mine = listed.find((l) => l.id === out.id)
    assert.equal(mine?.views, 1)
    assert.equal(mine?.expiresAt, out.expiresAt)
    assert.match((await h.run(["shares"])).stdout, /VIEWS/)
    const plain = await h.run(["share", "--yes", "--expire", "7d"])
    assert.equal(plain.code, 0, plain.stderr)
    assert.match(plain.stderr, /\(expires \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)/)
    // One duration grammar on both sides: plain seconds, as the server's settings take them.
    const seconds = await h.run(["share", "--yes", "--json", "--expire", "5400"])
    assert.equal(seconds.code, 0, seconds.stderr)
    const s90 = JSON.parse(seconds.stdout) as { expiresAt: number }
    assert.ok(Math.abs(s90.expiresAt - (Date.now() + 5_400_000)) < 60_000)
  })

  it("refuses a malformed duration before creating anything", async (t) => {
    const h = home()
    t.after(() => h.dispose())
    Object.assign(h.env, { AGENTSHARE_URL: server.url })
    const r = await h.run(["share", "--yes", "--expire", "soon"])
    assert.equal(r.code, 2)
    assert.match(r.stderr, /--expire: "soon" is not a duration/)
  })
})
