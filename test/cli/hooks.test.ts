/**
 * `agentshare hooks install|uninstall` through the real CLI: what it writes into each agent's
 * settings, and that uninstall leaves the user's file byte for byte as it was (or, when the
 * user edited it since, takes out only agentshare's entries).
 */
import assert from "node:assert/strict"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Jsonc } from "../../src/client/index.ts"
import { home, type Home } from "../support/cli-run.ts"

type Hooks = {
  hooks: Record<string, { matcher: string; hooks: { type: string; command: string; timeout: number }[] }[]>
}

const run = async (h: Home, ...args: string[]) => {
  const r = await h.run(["hooks", ...args])
  return r
}
const settings = (h: Home, agent: string, project = false) =>
  agent === "claude"
    ? join(project ? h.project : h.env.HOME, ".claude", "settings.json")
    : agent === "codex"
      ? join(project ? join(h.project, ".codex") : join(h.env.HOME, ".codex"), "hooks.json")
      : join(project ? h.project : h.env.HOME, ".gemini", "settings.json")

// A user's own settings, with what a careful edit must keep: comments, tabs, CRLF, other hooks.
const CLAUDE = `{\r\n\t// my settings\r\n\t"model": "opus",\r\n\t"hooks": {\r\n\t\t"PostToolUse": [{ "matcher": "Bash", "hooks": [{ "type": "command", "command": "echo mine" }] }]\r\n\t},\r\n\t"env": { "FOO": "bar" }\r\n}\r\n`
const GEMINI = `{
    "security": { "auth": { "selectedType": "gemini-api-key" } },
    "hooksConfig": { "enabled": false, "notifications": true },
    "hooks": { "SessionStart": [ { "matcher": "*", "hooks": [ { "type": "command", "command": "echo hello" } ] } ] }
}
`

describe("agentshare hooks install and uninstall", () => {
  it("writes SessionStart, UserPromptSubmit and SessionEnd hooks into Claude Code's settings, and uninstall restores it byte for byte", async () => {
    const h = home({ database: "none" })
    const file = settings(h, "claude")
    mkdirSync(join(file, ".."), { recursive: true })
    writeFileSync(file, CLAUDE)
    const r = await run(h, "install", "--agent", "claude")
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /installed agentshare's hooks for Claude Code in ~\/\.claude\/settings\.json/)
    assert.match(r.stderr, /share mode is manual .*"share": "auto"/)
    const text = readFileSync(file, "utf8")
    assert.ok(text.includes("\t// my settings\r\n"), "comments and line ends stay")
    const v = Jsonc.parse(text) as Hooks & { model: string; env: unknown }
    assert.equal(v.model, "opus")
    assert.deepEqual(v.hooks.PostToolUse, [{ matcher: "Bash", hooks: [{ type: "command", command: "echo mine" }] }])
    for (const [event, verb] of [
      ["SessionStart", "start"],
      ["UserPromptSubmit", "prompt"],
      ["SessionEnd", "end"],
    ]) {
      const cmd = v.hooks[event]?.[0]?.hooks[0]?.command ?? ""
      assert.match(cmd, new RegExp(`main\\.ts hook ${verb} --agent claude-code$`), event)
    }
    assert.equal((await run(h, "install", "--agent", "claude")).code, 0, "installing again replaces, never doubles")
    assert.equal((Jsonc.parse(readFileSync(file, "utf8")) as Hooks).hooks.SessionStart.length, 1)
    const un = await run(h, "uninstall", "--agent", "claude")
    assert.equal(un.code, 0, un.stderr)
    assert.match(un.stdout, /restored it as it was/)
    assert.equal(readFileSync(file, "utf8"), CLAUDE, "byte for byte")
    assert.equal((await run(h, "uninstall", "--agent", "claude")).code, 4, "nothing left to remove")
    h.dispose()
  })

  it("creates Codex's hooks.json (and its folder) when there is none, and uninstall deletes exactly that", async () => {
    const h = home({ database: "none" })
    h.env.CODEX_HOME = join(h.root, "codex-home")
    const file = join(h.env.CODEX_HOME, "hooks.json")
    const r = await run(h, "install", "--agent", "codex")
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, /--dangerously-bypass-hook-trust/, "says what Codex needs before it runs the hooks")
    const v = Jsonc.parse(readFileSync(file, "utf8")) as Hooks
    assert.deepEqual(Object.keys(v.hooks), ["SessionStart", "UserPromptSubmit", "SessionEnd"])
    assert.equal(v.hooks.SessionEnd[0].hooks[0].timeout, 3, "Codex clamps SessionEnd hooks to 3 s")
    assert.equal((await run(h, "uninstall", "--agent", "codex")).code, 0)
    assert.equal(existsSync(file), false)
    assert.equal(existsSync(h.env.CODEX_HOME), false, "the folder install made goes too")
    h.dispose()
  })

  it("turns Gemini CLI's hooksConfig on, and restores the user's value, with --project", async () => {
    const h = home({ database: "none" })
    const file = settings(h, "gemini", true)
    mkdirSync(join(file, ".."), { recursive: true })
    writeFileSync(file, GEMINI)
    const r = await run(h, "install", "--agent", "gemini", "--project")
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, /trusted/)
    const v = Jsonc.parse(readFileSync(file, "utf8")) as Hooks & {
      hooksConfig: { enabled: boolean; notifications: boolean }
    }
    assert.deepEqual(v.hooksConfig, { enabled: true, notifications: true })
    assert.equal(v.hooks.SessionStart.length, 2, "the user's SessionStart hook stays, agentshare's is added")
    assert.equal(v.hooks.BeforeAgent[0].hooks[0].timeout, 30_000, "Gemini counts in milliseconds")
    assert.ok(readFileSync(file, "utf8").includes('\n    "hooksConfig"'), "four-space indentation kept")
    const status = JSON.parse((await run(h, "status", "--json")).stdout) as {
      agent: string
      scope: string
      installed: boolean
    }[]
    assert.deepEqual(
      status.filter((s) => s.installed).map((s) => [s.agent, s.scope]),
      [["gemini-cli", "project"]],
    )
    assert.equal((await run(h, "uninstall", "--agent", "gemini", "--project")).code, 0)
    assert.equal(readFileSync(file, "utf8"), GEMINI)
    h.dispose()
  })

  it("takes out only its own entries when the user edited the file after install", async () => {
    const h = home({ database: "none" })
    const file = settings(h, "gemini")
    assert.equal((await run(h, "install", "--agent", "gemini")).code, 0)
    const v = Jsonc.parse(readFileSync(file, "utf8")) as Hooks & Record<string, unknown>
    v.theme = "dark"
    v.hooks.SessionEnd.push({ matcher: "*", hooks: [{ type: "command", command: "echo bye", timeout: 5 }] })
    writeFileSync(file, JSON.stringify(v, null, 2))
    const un = await run(h, "uninstall", "--agent", "gemini")
    assert.equal(un.code, 0, un.stderr)
    assert.match(un.stdout, /removed agentshare's entries/)
    const left = Jsonc.parse(readFileSync(file, "utf8")) as Record<string, unknown>
    assert.deepEqual(left, {
      hooks: { SessionEnd: [{ matcher: "*", hooks: [{ type: "command", command: "echo bye", timeout: 5 }] }] },
      theme: "dark",
    })
    h.dispose()
  })

  it("refuses a settings file that is not JSON, and changes nothing", async () => {
    const h = home({ database: "none" })
    const file = settings(h, "claude")
    mkdirSync(join(file, ".."), { recursive: true })
    writeFileSync(file, "{ broken")
    const r = await run(h, "install", "--agent", "claude")
    assert.equal(r.code, 1)
    assert.match(r.stderr, /settings\.json: is not valid JSON/)
    assert.equal(readFileSync(file, "utf8"), "{ broken")
    assert.equal((await run(h, "install")).code, 2, "--agent is required")
    assert.equal((await run(h, "install", "--agent", "opencode")).code, 2)
    h.dispose()
  })
})
