/** Live locks (client/live.ts): one syncing process per share, its heartbeat, the end request. */
import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import { Live } from "../../src/client/index.ts"

describe("Live", () => {
  const dir = mkdtempSync(join(tmpdir(), "agentshare-live-"))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it("gives a share's lock to one holder; the next sees who holds it until it is released", () => {
    const a = Live.claim(dir, "s_one", { what: "watch" })
    assert.ok(!("held" in a))
    const b = Live.claim(dir, "s_one", { what: "share --watch" })
    assert.ok("held" in b && b.held.pid === process.pid && b.held.what === "watch")
    assert.equal(Live.read(dir, "s_one")?.what, "watch")
    a.release()
    assert.equal(Live.read(dir, "s_one"), undefined)
    const c = Live.claim(dir, "s_one", { what: "hook follow", path: "/x.jsonl" })
    assert.ok(!("held" in c))
    assert.equal(Live.read(dir, "s_one")?.path, "/x.jsonl")
    c.release()
  })

  it("frees a lock whose process is gone or whose heartbeat is stale", async () => {
    const dead = spawn(process.execPath, ["-e", ""])
    await new Promise((r) => dead.once("exit", r))
    writeFileSync(
      join(dir, "s_dead.json"),
      JSON.stringify({ pid: dead.pid, beat: Date.now(), since: Date.now(), what: "watch" }),
    )
    assert.equal(Live.read(dir, "s_dead"), undefined, "a dead holder is none")
    const taken = Live.claim(dir, "s_dead", { what: "watch" })
    assert.ok(!("held" in taken))
    taken.release()
    writeFileSync(
      join(dir, "s_stale.json"),
      JSON.stringify({ pid: process.pid, beat: Date.now() - Live.STALE_MS - 1, since: 0, what: "watch" }),
    )
    assert.equal(Live.read(dir, "s_stale"), undefined, "a holder that stopped beating is none")
    const again = Live.claim(dir, "s_stale", { what: "watch" })
    assert.ok(!("held" in again))
    again.beat(true)
    assert.ok(
      (JSON.parse(readFileSync(join(dir, "s_stale.json"), "utf8")) as { beat: number }).beat > Date.now() - 1000,
    )
    again.release()
  })

  it("carries an end request to the holder, and none when nothing holds the share", () => {
    assert.equal(Live.end(dir, "s_nobody"), false)
    const h = Live.claim(dir, "s_end", { what: "hook follow" })
    assert.ok(!("held" in h))
    assert.equal(h.ending(), false)
    assert.equal(Live.end(dir, "s_end"), true)
    assert.equal(h.ending(), true)
    h.release()
    const next = Live.claim(dir, "s_end", { what: "hook follow" })
    assert.ok(!("held" in next))
    assert.equal(next.ending(), false, "an end asked of an earlier follower is not the next one's")
    next.release()
  })

  it("lets exactly one of many processes starting at once take the lock", async () => {
    const code = `import("${new URL("../../src/client/live.ts", import.meta.url).href}").then((L) => { const h = L.claim(${JSON.stringify(dir)}, "s_race", { what: "race" }); console.log("held" in h ? "lost" : "won"); setTimeout(() => {}, 300) })`
    const runs = Array.from(
      { length: 6 },
      () =>
        new Promise<string>((resolve) => {
          const p = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] })
          let out = ""
          p.stdout.on("data", (d) => (out += d))
          p.once("exit", () => resolve(out.trim()))
        }),
    )
    const results = await Promise.all(runs)
    assert.equal(results.filter((r) => r === "won").length, 1, results.join(","))
  })
})
