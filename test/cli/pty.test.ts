/** The CLI in a real pseudo-terminal (util-linux `script`): the first-share prompt, the progress
 * bar, OSC 52, and the clipboard fallbacks when the terminal cannot take OSC 52. */
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import * as Proc from "../support/process.ts"
import { home, MAIN, NODE, type Home } from "../support/cli-run.ts"
import * as TestServer from "../support/cli-server.ts"

const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
})()
const skip = hasScript ? false : "util-linux `script` is not installed (apt-get install bsdutils)"
if (skip && process.env.CI === "true") throw new Error(`required suite cannot run under CI: ${skip}`)

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

describe("the CLI in a pseudo-terminal", { skip }, () => {
  let server: TestServer.TestServer
  before(async () => {
    server = await TestServer.start()
  })
  after(async () => {
    await server.close()
  })

  /** Runs `agentshare args` inside `script`, typing `input` into the terminal. */
  const tty = (h: Home, args: string[], input: string, env: Record<string, string> = {}) =>
    Proc.run("script", ["-qefc", [NODE, MAIN, ...args].map(quote).join(" "), "/dev/null"], {
      cwd: h.project,
      env: { ...h.env, AGENTSHARE_URL: server.url, TERM: "xterm-256color", ...env },
      input,
      timeoutMs: 60_000,
    })

  it("asks before the first share, draws a progress bar and copies the URL with OSC 52", async () => {
    const h = home()
    const r = await tty(h, ["share"], "y\n")
    assert.equal(r.code, 0, r.stdout)
    assert.match(r.stdout, /About to upload "[^"]+"\r?\n\(2 session\(s\)/)
    assert.match(r.stdout, /Share it\? \[y\/N\]/)
    assert.match(r.stdout, /uploading \[#{30}\] (\d+)\/\1 items/)
    const url = new RegExp(`(${server.url}/share/[A-Za-z0-9_-]+)`).exec(r.stdout)?.[1]
    assert.ok(url)
    assert.ok(r.stdout.includes(`\x1b]52;c;${Buffer.from(url).toString("base64")}\x07`), "OSC 52 carries the URL")
    assert.match(r.stdout, /copied to the clipboard via osc52/)
    // The project is confirmed now: the next share does not ask.
    const again = await tty(h, ["share"], "")
    assert.equal(again.code, 0, again.stdout)
    assert.doesNotMatch(again.stdout, /Share it\?/)
    h.dispose()
  })

  it("fits `shares` to the terminal's width by cutting titles, never a URL", async () => {
    const h = home()
    const shared = await tty(h, ["share", "--yes"], "")
    assert.equal(shared.code, 0, shared.stdout)
    const url = new RegExp(`(${server.url}/share/[A-Za-z0-9_-]+)`).exec(shared.stdout)?.[1]
    assert.ok(url)
    const command = [NODE, MAIN, "shares"].map(quote).join(" ")
    const r = await Proc.run("script", ["-qefc", `stty cols 100 rows 24; ${command}`, "/dev/null"], {
      cwd: h.project,
      env: { ...h.env, AGENTSHARE_URL: server.url, TERM: "xterm-256color" },
      timeoutMs: 60_000,
    })
    assert.equal(r.code, 0, r.stdout)
    const lines = r.stdout.split(/\r?\n/).filter((l) => l.trim() !== "")
    for (const l of lines) assert.ok([...l].length <= 100, `fits 100 columns: ${l}`)
    const row = lines.find((l) => l.includes(url))
    assert.ok(row, `the URL is whole: ${r.stdout}`)
    assert.match(row, /…  http/, "the title was cut to make room")
    h.dispose()
  })

  it("shares nothing when the prompt is declined", async () => {
    const h = home()
    const r = await tty(h, ["share"], "n\n")
    assert.equal(r.code, 5, r.stdout)
    assert.match(r.stdout, /not shared/)
    const state = join(h.dataHome, "agentshare", "state.json")
    assert.ok(!existsSync(state) || JSON.parse(readFileSync(state, "utf8")).shares.length === 0)
    h.dispose()
  })

  it("falls back to a clipboard tool, then to just printing, when OSC 52 is not available", async () => {
    const h = home()
    const bin = join(h.root, "bin")
    mkdirSync(bin)
    const path = `${bin}:/usr/bin:/bin`
    const none = await tty(h, ["share", "--yes"], "", { TERM: "dumb", PATH: path })
    assert.equal(none.code, 0, none.stdout)
    assert.doesNotMatch(none.stdout, /\x1b\]52;/)
    assert.match(none.stdout, /no clipboard available: copy the URL above/)
    // A stand-in for xclip (not installed here): records what it was given on stdin.
    const clip = join(h.root, "clipboard.txt")
    writeFileSync(join(bin, "xclip"), `#!/bin/sh\ncat > ${quote(clip)}\n`)
    chmodSync(join(bin, "xclip"), 0o755)
    const tool = await tty(h, ["share", "--yes"], "", { TERM: "dumb", PATH: path })
    assert.equal(tool.code, 0, tool.stdout)
    assert.match(tool.stdout, /copied to the clipboard via xclip/)
    const url = new RegExp(`(${server.url}/share/[A-Za-z0-9_-]+)`).exec(tool.stdout)?.[1]
    assert.equal(readFileSync(clip, "utf8"), url)
    h.dispose()
  })

  it("asks before unshare with no argument and before unshare --all, and deletes only on yes", async () => {
    const h = home()
    const shared = await h.run(["share", "--yes", "--json"], { env: { AGENTSHARE_URL: server.url } })
    const { id, url } = JSON.parse(shared.stdout) as { id: string; url: string }
    const no = await tty(h, ["unshare"], "n\n")
    assert.equal(no.code, 5, no.stdout)
    assert.ok(no.stdout.includes(url), "it lists what it would delete")
    assert.match(no.stdout, /Delete them\? \[y\/N\]/)
    assert.equal((await fetch(`${server.url}/api/share/${id}`)).status, 200, "declined: still shared")
    const all = await tty(h, ["unshare", "--all"], "y\n")
    assert.equal(all.code, 0, all.stdout)
    assert.match(all.stdout, /About to delete 1 share\(s\)/)
    assert.equal((await fetch(`${server.url}/api/share/${id}`)).status, 410)
    h.dispose()
  })

  it("prints only the URL, with no prompt, bar or escape codes, when not on a terminal", async () => {
    const h = home()
    const r = await h.run(["share", "--yes"], { env: { AGENTSHARE_URL: server.url, TERM: "xterm-256color" } })
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, new RegExp(`^${server.url}/share/[A-Za-z0-9_-]+\\n$`))
    assert.doesNotMatch(r.stderr, /uploading|\x1b/)
    h.dispose()
  })
})
