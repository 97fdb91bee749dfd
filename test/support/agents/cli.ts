/**
 * The agentshare CLI (a real child process) on a real agent's sessions, against a real server:
 * `share` after a run, `share --watch` while one runs, and a run with agentshare's hooks
 * installed. What each returns is checked by the agent's own test file.
 */
import assert from "node:assert/strict"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Agents from "../../../src/client/local/agents/index.ts"
import { runner, until } from "../cli-run.ts"
import type * as TestServer from "../cli-server.ts"
import * as A from "./agents.ts"
import * as S from "./share.ts"

/** The CLI's environment for a run's home: where the agent wrote its sessions, and our server. */
export function env(agent: A.Agent, home: string, server?: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    ...(agent === "codex" ? { CODEX_HOME: join(home, ".codex") } : {}),
    ...(server ? { AGENTSHARE_URL: server } : {}),
  }
}

/** The CLI run in the agent's project, as a user there would. */
export const cli = (agent: A.Agent, home: string, repo: string, server?: string) =>
  runner(env(agent, home, server), repo)

/** A share's items as the server stores them: key -> JSON. */
export async function stored(server: TestServer.TestServer, id: string): Promise<Map<string, string>> {
  const deps = server.running().deps
  const found = await deps.store.shares.find(id)
  if (found.state !== "live") return new Map()
  return new Map((await deps.store.shares.items(found.share)).map((i) => [i.key, JSON.stringify(i.data)]))
}

export async function seq(server: TestServer.TestServer, id: string): Promise<number> {
  const found = await server.running().deps.store.shares.find(id)
  return found.state === "live" ? found.share.seq : -1
}

/** Whether the server holds exactly what a full read of the session file gives. */
export async function complete(
  server: TestServer.TestServer,
  id: string,
  agent: A.Agent,
  file: string,
  root: string,
): Promise<boolean> {
  const full = S.apply(new Map(), Agents.read(agent, file).items, root)
  const have = await stored(server, id)
  if (have.size !== full.size) return false
  for (const [k, v] of full) if (have.get(k) !== v) return false
  return true
}

export async function page(server: TestServer.TestServer, id: string): Promise<string> {
  return (await fetch(`${server.url}/share/${id}`)).text()
}

/**
 * `agentshare share --watch` started as soon as the agent's session file appears, while the
 * agent still runs (a delay per model turn keeps it running): the server's seq, sampled while
 * the agent runs, and the share once everything is up.
 */
export async function watchWhileRunning(agent: A.Agent, installed: A.Installed, server: TestServer.TestServer) {
  // Steps a second apart: the watch (a CLI that starts, reads the session and creates its share)
  // must come in while most of the run is still ahead, on a loaded CI machine too.
  const live = A.start(agent, installed, { stepDelayMs: 1000 })
  let exited = false
  void live.done.then(() => (exited = true))
  const file = await until(
    "the session file",
    () => A.sessionFile(agent, live.home, live.sessionID) ?? (exited ? "" : undefined),
    120_000,
  )
  assert.ok(file, "the agent wrote its session file")
  const c = cli(agent, live.home, live.repo, server.url)
  const watch = c.start(["share", "--watch", "--yes"])
  try {
    const url = await until(
      "the share URL",
      () => /^(http:\/\/\S+\/share\/(\S+))$/m.exec(watch.output().stdout)?.[1],
      60_000,
    )
    const id = url.split("/share/")[1]
    const seqs: number[] = []
    while (!exited) {
      const s = await seq(server, id)
      if (s !== seqs.at(-1)) seqs.push(s)
      await new Promise((r) => setTimeout(r, 100))
    }
    const run = await live.done
    assert.equal(run.code, 0, run.stderr.slice(-1500))
    const root = Agents.read(agent, file).sessions[0].id
    await until(
      "the share to hold the whole session",
      async () => ((await complete(server, id, agent, file, root)) ? true : undefined),
      60_000,
    )
    watch.child.kill("SIGINT")
    const code = await watch.exited
    return { run, url, id, seqs, code, output: watch.output(), file, root }
  } finally {
    if (watch.child.exitCode === null) watch.child.kill("SIGKILL")
  }
}

/** Settings a user already has in the file the hooks go in; uninstall must leave them as they are. */
const OWN: Record<A.Agent, ((home: string) => { file: string; text: string }) | undefined> = {
  "claude-code": (home) => ({
    file: join(home, ".claude", "settings.json"),
    text: `{\n  "permissions": { "allow": ["Bash(echo *)"] },\n  "hooks": {\n    "PostToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "true" } ] } ]\n  }\n}\n`,
  }),
  codex: (home) => ({
    file: join(home, ".codex", "hooks.json"),
    text: `{\n  "hooks": {\n    "Stop": [{ "matcher": "*", "hooks": [{ "type": "command", "command": "true", "timeout": 5 }] }]\n  }\n}\n`,
  }),
  // The harness's own settings.json (auth, privacy, telemetry) is the user's file here.
  "gemini-cli": undefined,
}

export const HOOK_FLAGS: Record<A.Agent, string[]> = {
  "claude-code": [],
  codex: ["--dangerously-bypass-hook-trust"],
  "gemini-cli": [],
}

const SHORT: Record<A.Agent, string> = { "claude-code": "claude", codex: "codex", "gemini-cli": "gemini" }

/**
 * `agentshare hooks install`, a share mode of auto, then an agent run: its output, the share the
 * hooks made and its seq while the agent ran, and what uninstall left of the settings.
 */
export async function hooked(
  agent: A.Agent,
  installed: A.Installed,
  server: TestServer.TestServer,
  options: { tui?: boolean } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), "agentshare-bridge-"))
  const bridge = await A.bridge(dir, { host: "127.0.0.1", port: server.port })
  const p = A.prepare(agent, installed, {
    bridge,
    stepDelayMs: 300,
    args: HOOK_FLAGS[agent],
    env: { AGENTSHARE_URL: "http://127.0.0.1:{{BRIDGE_PORT}}" },
    tui: options.tui,
  })
  let tmux: A.Tmux | undefined
  try {
    const own = OWN[agent]?.(p.home)
    if (own) {
      mkdirSync(join(own.file, ".."), { recursive: true })
      writeFileSync(own.file, own.text)
    }
    const settingsFile = own?.file ?? join(p.home, ".gemini", "settings.json")
    const before = readFileSync(settingsFile, "utf8")
    const c = cli(agent, p.home, p.repo)
    const install = await c.run(["hooks", "install", "--agent", SHORT[agent]])
    assert.equal(install.code, 0, install.stderr)
    assert.notEqual(readFileSync(settingsFile, "utf8"), before, "install wrote the hooks")
    mkdirSync(join(p.home, ".config", "agentshare"), { recursive: true })
    writeFileSync(join(p.home, ".config", "agentshare", "config.json"), JSON.stringify({ share: "auto" }))

    let screen = ""
    const started = options.tui ? undefined : p.launch()
    let exited = false
    void started?.done.then(() => (exited = true))
    if (options.tui) {
      tmux = p.tmux()
      const t = tmux
      // Drives the interactive UI as a user would: past the model notice, until the answer, then out.
      void (async () => {
        const deadline = Date.now() + 150_000
        let quitting = 0
        while (t.exited() === undefined && Date.now() < deadline) {
          const now = t.screen()
          // Everything the screen showed: a UI redraws, and clears it on exit.
          if (now && !screen.endsWith(now)) screen += `\n${now}`
          if (/Use existing model/.test(now)) t.keys("Down", "Enter")
          else if (/Trust this folder/.test(now)) t.keys("Enter")
          else if (/All done: hello\.txt now says/.test(now) && quitting < 4) {
            quitting += 1
            t.keys("C-c")
          }
          await new Promise((r) => setTimeout(r, 500))
        }
        exited = true
      })()
    }
    const state = join(p.home, ".local", "share", "agentshare", "state.json")
    const shareOf = () =>
      existsSync(state)
        ? (JSON.parse(readFileSync(state, "utf8")) as { shares: { id: string; url: string; sessionID: string }[] })
            .shares[0]
        : undefined
    const share = await until("the hook to share the session", () => shareOf() ?? (exited ? null : undefined), 120_000)
    assert.ok(share, `the SessionStart hook shared the session (${JSON.stringify(logs(p.home)).slice(0, 2000)})`)
    const seqs: number[] = []
    while (!exited) {
      const s = await seq(server, share.id)
      if (s !== seqs.at(-1)) seqs.push(s)
      await new Promise((r) => setTimeout(r, 100))
    }
    const run = started
      ? await started.done
      : { code: tmux?.exited() ?? null, stdout: screen, stderr: "", dispose() {} }
    if (started) assert.equal(run.code, 0, run.stderr.slice(-1500))
    else assert.notEqual(run.code, undefined, `the TUI exited: ${screen}`)
    // The follower outlives the agent by the time it takes to upload the rest, then exits.
    const liveDir = join(p.home, ".local", "share", "agentshare", "live")
    await until(
      "the follower to finish and exit",
      () => (!existsSync(liveDir) || readdirSync(liveDir).length === 0 ? true : undefined),
      60_000,
    )
    const file = A.sessionFile(agent, p.home, p.sessionID, run.stdout)!
    const root = Agents.read(agent, file).sessions[0].id
    const whole = await complete(server, share.id, agent, file, root)
    const uninstall = await c.run(["hooks", "uninstall", "--agent", SHORT[agent]])
    assert.equal(uninstall.code, 0, uninstall.stderr)
    return {
      run,
      share,
      seqs,
      whole,
      file,
      root,
      before,
      after: readFileSync(settingsFile, "utf8"),
      logs: logs(p.home),
      home: p.home,
      screen,
    }
  } finally {
    tmux?.kill()
    await bridge.close()
    rmSync(dir, { recursive: true, force: true })
    rmSync(p.work, { recursive: true, force: true })
  }
}

function logs(home: string): string {
  const dir = join(home, ".local", "share", "agentshare", "logs")
  return existsSync(dir)
    ? readdirSync(dir)
        .map((f) => readFileSync(join(dir, f), "utf8"))
        .join("\n")
    : ""
}
