import assert from "node:assert/strict"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, beforeEach, describe, it } from "node:test"
import { Jsonc, Modes } from "../../src/client/index.ts"

describe("JSONC", () => {
  it("reads comments and trailing commas but keeps them inside strings", () => {
    const text = `{
      // a line comment
      "share": "auto", /* block */
      "url": "http://x//y/*z*/",
      "list": [1, 2, /* c */],
    }`
    assert.deepEqual(Jsonc.parse(text), { share: "auto", url: "http://x//y/*z*/", list: [1, 2] })
  })
  it("still rejects what is not JSON", () => {
    assert.throws(() => Jsonc.parse("{ share: auto }"))
  })
})

describe("share modes as OpenCode resolves them", () => {
  let root: string
  let home: string
  let config: string
  let repo: string
  let sub: string
  const env = (extra: Record<string, string> = {}) => ({ XDG_CONFIG_HOME: config, ...extra })
  const resolve = (extra: Record<string, string> = {}, cwd = sub) => Modes.resolveModes({ cwd, env: env(extra), home })
  const write = (path: string, value: unknown) => {
    mkdirSync(join(path, ".."), { recursive: true })
    writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value))
  }

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "agentshare-modes-"))
    home = join(root, "home")
    config = join(root, "config")
    repo = join(root, "repo")
    sub = join(repo, "packages", "app")
    mkdirSync(join(repo, ".git"), { recursive: true })
    mkdirSync(sub, { recursive: true })
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  it("defaults to manual with no server", () => {
    const r = resolve()
    assert.equal(r.mode, "manual")
    assert.equal(r.modeSource, "default")
    assert.equal(r.server, undefined)
    assert.equal(r.root, repo)
  })

  it("reads the global config, .json or .jsonc, with enterprise.url", () => {
    write(
      join(config, "opencode", "opencode.jsonc"),
      `{ "share": "auto", // global\n "enterprise": { "url": "https://g.example" }, }`,
    )
    const r = resolve()
    assert.equal(r.mode, "auto")
    assert.equal(r.modeSource, join(config, "opencode", "opencode.jsonc"))
    assert.equal(r.server, "https://g.example")
  })

  it("lets the project win over global and OPENCODE_CONFIG, and the closer file win", () => {
    write(join(config, "opencode", "opencode.json"), { share: "auto" })
    write(join(root, "custom.json"), { share: "auto", enterprise: { url: "https://custom.example" } })
    write(join(repo, "opencode.json"), { share: "disabled" })
    let r = resolve({ OPENCODE_CONFIG: join(root, "custom.json") })
    assert.equal(r.mode, "disabled")
    assert.equal(r.modeSource, join(repo, "opencode.json"))
    assert.equal(r.server, "https://custom.example")
    write(join(sub, "opencode.jsonc"), `{"share": "manual",}`)
    r = resolve({ OPENCODE_CONFIG: join(root, "custom.json") })
    assert.equal(r.mode, "manual")
    assert.equal(r.modeSource, join(sub, "opencode.jsonc"))
  })

  it("stops at the git root", () => {
    write(join(root, "opencode.json"), { share: "disabled" })
    assert.equal(resolve().mode, "manual")
  })

  it("takes the legacy autoshare only when share is unset", () => {
    write(join(repo, "opencode.json"), { autoshare: true })
    assert.equal(resolve().mode, "auto")
    assert.match(resolve().modeSource, /autoshare/)
    write(join(repo, "opencode.json"), { autoshare: true, share: "manual" })
    assert.equal(resolve().mode, "manual")
  })

  it("applies OPENCODE_AUTO_SHARE and OPENCODE_DISABLE_SHARE, disable winning", () => {
    assert.equal(resolve({ OPENCODE_AUTO_SHARE: "1" }).mode, "auto")
    assert.equal(resolve({ OPENCODE_AUTO_SHARE: "true" }).modeSource, "OPENCODE_AUTO_SHARE")
    assert.equal(resolve({ OPENCODE_AUTO_SHARE: "0" }).mode, "manual")
    const off = resolve({ OPENCODE_AUTO_SHARE: "1", OPENCODE_DISABLE_SHARE: "true" })
    assert.equal(off.mode, "disabled")
    assert.throws(() => Modes.assertEnabled(off), /disabled by OPENCODE_DISABLE_SHARE/)
    write(join(repo, "opencode.json"), { share: "disabled" })
    assert.equal(resolve({ OPENCODE_AUTO_SHARE: "1" }).mode, "disabled")
  })

  it("takes the server from AGENTSHARE_URL over config, and --server over both", () => {
    write(join(repo, "opencode.json"), { enterprise: { url: "https://p.example" } })
    assert.equal(resolve({ AGENTSHARE_URL: "https://env.example" }).server, "https://env.example")
    const r = Modes.resolveModes({
      cwd: sub,
      env: env({ AGENTSHARE_URL: "https://env.example" }),
      home,
      server: "https://flag.example",
    })
    assert.equal(r.server, "https://flag.example")
    assert.equal(r.serverSource, "--server")
  })

  it("names the file when a config cannot be parsed", () => {
    write(join(repo, "opencode.json"), "{ nope")
    assert.throws(
      () => resolve(),
      (e: Error) => e.message.includes(join(repo, "opencode.json")),
    )
  })
})

describe("share modes of Claude Code, Codex CLI and Gemini CLI sessions, from agentshare's own files", () => {
  let root: string
  let home: string
  let config: string
  let repo: string
  let sub: string
  const env = (extra: Record<string, string> = {}) => ({ XDG_CONFIG_HOME: config, ...extra })
  const own = (extra: Record<string, string> = {}, cwd = sub) => Modes.own({ cwd, env: env(extra), home })
  const forAgent = (agent: string, extra: Record<string, string> = {}) =>
    Modes.forAgent(agent, { cwd: sub, env: env(extra), home })
  const write = (path: string, value: unknown) => {
    mkdirSync(join(path, ".."), { recursive: true })
    writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value))
  }
  const global = () => join(config, "agentshare", "config.json")

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "agentshare-own-modes-"))
    home = join(root, "home")
    config = join(root, "config")
    repo = join(root, "repo")
    sub = join(repo, "packages", "app")
    mkdirSync(join(repo, ".git"), { recursive: true })
    mkdirSync(sub, { recursive: true })
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  it("defaults to manual; reads the global config.json with its server", () => {
    assert.deepEqual([own().mode, own().modeSource, own().server], ["manual", "default", undefined])
    write(global(), `{ "share": "auto", "server": "https://g.example", // mine\n "secrets": "redact" }`)
    const r = own()
    assert.deepEqual(
      [r.mode, r.modeSource, r.server, r.serverSource],
      ["auto", global(), "https://g.example", `${global()} (server)`],
    )
  })

  it("lets a project's .agentshare.json win over the global file, the closer one winning, up to the git root", () => {
    write(global(), { share: "auto" })
    write(join(root, ".agentshare.json"), { share: "disabled" })
    assert.equal(own().mode, "auto", "above the git root is not the project")
    write(join(repo, ".agentshare.json"), { share: "disabled" })
    assert.deepEqual([own().mode, own().modeSource], ["disabled", join(repo, ".agentshare.json")])
    write(join(sub, ".agentshare.jsonc"), `{"share": "manual",}`)
    assert.deepEqual([own().mode, own().modeSource], ["manual", join(sub, ".agentshare.jsonc")])
    assert.equal(own({}, repo).mode, "disabled", "a directory above sees only the files from the root down to it")
  })

  it("takes AGENTSHARE_SHARE over the files, and AGENTSHARE_URL and --server over their server", () => {
    write(join(repo, ".agentshare.json"), { share: "disabled", server: "https://p.example" })
    assert.deepEqual(
      [own({ AGENTSHARE_SHARE: "auto" }).mode, own({ AGENTSHARE_SHARE: "AUTO" }).modeSource],
      ["auto", "AGENTSHARE_SHARE"],
    )
    assert.equal(own({ AGENTSHARE_URL: "https://env.example" }).server, "https://env.example")
    assert.equal(Modes.own({ cwd: sub, env: env(), home, server: "https://flag.example" }).serverSource, "--server")
  })

  it("refuses a mode or server that is not one, naming the file", () => {
    write(join(repo, ".agentshare.json"), { share: "on" })
    assert.throws(
      () => own(),
      (e: Error) => e.message.includes(join(repo, ".agentshare.json")) && /manual.*auto.*disabled/.test(e.message),
    )
    write(join(repo, ".agentshare.json"), { server: "ftp://x" })
    assert.throws(() => own(), /"server" must be an http\(s\) URL/)
    write(join(repo, ".agentshare.json"), "{ nope")
    assert.throws(
      () => own(),
      (e: Error) => e.message.includes(join(repo, ".agentshare.json")),
    )
    rmSync(join(repo, ".agentshare.json"))
    assert.throws(() => own({ AGENTSHARE_SHARE: "yes" }), /AGENTSHARE_SHARE must be manual, auto or disabled/)
  })

  it("gives each agent its own rules: OpenCode's config for OpenCode, agentshare's for the others", () => {
    write(join(repo, "opencode.json"), { share: "auto", enterprise: { url: "https://oc.example" } })
    write(global(), { share: "manual" })
    assert.deepEqual(
      [forAgent("opencode").mode, forAgent("opencode").modeSource],
      ["auto", join(repo, "opencode.json")],
    )
    assert.deepEqual([forAgent("claude-code").mode, forAgent("claude-code").modeSource], ["manual", global()])
    assert.equal(
      forAgent("codex").server,
      "https://oc.example",
      "without a server of agentshare's, OpenCode's enterprise.url serves",
    )
    write(global(), { share: "manual", server: "https://mine.example" })
    assert.equal(forAgent("opencode").server, "https://mine.example", "agentshare's own server comes first")
  })

  it("turns off every agent's sharing, OpenCode's too, when agentshare's own file says disabled", () => {
    write(join(repo, "opencode.json"), { share: "auto" })
    write(join(repo, ".agentshare.json"), { share: "disabled" })
    for (const agent of ["opencode", "claude-code", "gemini-cli"]) {
      const r = forAgent(agent)
      assert.deepEqual([r.mode, r.modeSource], ["disabled", join(repo, ".agentshare.json")], agent)
    }
    assert.deepEqual([forAgent("opencode", { AGENTSHARE_SHARE: "disabled" }).modeSource], ["AGENTSHARE_SHARE"])
  })
})
