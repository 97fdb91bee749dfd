/**
 * The real Claude Code, Codex CLI and Gemini CLI for tests, pinned, installed on demand into the
 * cache (../install.ts), each run offline in a temp git repo with its own HOME against a scripted
 * fake model (the fake-*.mjs servers here, vendored from the agents harness). The run happens in
 * a private network namespace when `unshare` allows it; otherwise the settings alone keep the
 * agents offline (every phone-home switch below was found by running them in the namespace).
 *
 *   const { skip, installed } = await Agents.required("codex")
 *   const run = await Agents.run("codex", installed())   // session files under run.home
 */
import { execFileSync, spawnSync } from "node:child_process"
import { connect, createServer } from "node:net"
import { randomUUID } from "node:crypto"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Install from "../install.ts"
import * as Proc from "../process.ts"

export type Agent = "claude-code" | "codex" | "gemini-cli"

const HERE = fileURLToPath(new URL(".", import.meta.url))
const RUN_TIMEOUT_MS = 180_000

/** What the fake models do; each script ignores the prompt's words. */
export const PROMPT = "Create hello.txt, run echo hi, edit the file, keep a plan and ask a sub-agent to run a command."

const arch = process.arch === "arm64" ? "arm64" : "x64"

export const PACKAGES: Record<Agent, Install.Package> = {
  "claude-code": {
    name: "claude-code",
    pkg: "@anthropic-ai/claude-code",
    version: "2.1.328",
    // The npm package is a wrapper around a native executable in a platform package.
    program: (dir) => ({
      command: join(dir, "node_modules", "@anthropic-ai", `claude-code-linux-${arch}`, "claude"),
      args: [],
    }),
    matches: (s) => s.startsWith("2.1.328"),
  },
  codex: {
    name: "codex",
    pkg: "@openai/codex",
    version: "0.169.0",
    program: (dir) => ({
      command: process.execPath,
      args: [join(dir, "node_modules", "@openai", "codex", "bin", "codex.js")],
    }),
    matches: (s) => s.endsWith("0.169.0"),
  },
  "gemini-cli": {
    name: "gemini-cli",
    pkg: "@google/gemini-cli",
    version: "0.61.0",
    program: (dir) => ({
      command: process.execPath,
      args: [join(dir, "node_modules", "@google", "gemini-cli", "bundle", "gemini.js")],
    }),
  },
}

export type Installed = Extract<Install.Installed, { ok: true }>

/**
 * The agent for a test file. Outside CI a missing install skips the suite with its reason
 * (`skip`); under CI every test runs, and `installed()` fails it with that reason.
 */
export async function required(agent: Agent): Promise<{ skip: string | false; installed(): Installed }> {
  const r = await Install.ensure(PACKAGES[agent])
  const ci = process.env.CI === "true" || process.env.CI === "1"
  return {
    skip: r.ok || ci ? false : `${PACKAGES[agent].pkg}@${PACKAGES[agent].version} is not available: ${r.reason}`,
    installed() {
      if (!r.ok) throw new Error(`${PACKAGES[agent].pkg}@${PACKAGES[agent].version} is required: ${r.reason}`)
      return r
    },
  }
}

let jail: string[] | null | undefined

/** `unshare` arguments for a loopback-only network namespace, or null when it cannot be made
 * (or AGENTSHARE_TEST_NETJAIL=0 turns it off, to check the agents stay offline without it). */
export function netjail(): string[] | null {
  if (jail !== undefined) return jail
  if (process.env.AGENTSHARE_TEST_NETJAIL === "0") return (jail = null)
  const root = process.getuid?.() === 0
  const args = ["--net", ...(root ? [] : ["--user", "--map-root-user"]), "--fork"]
  const probe = spawnSync("unshare", [...args, "sh", "-c", "ip link set lo up"], { stdio: "ignore", timeout: 10_000 })
  jail = probe.status === 0 ? args : null
  return jail
}

export type Run = {
  agent: Agent
  version: string
  work: string
  home: string
  repo: string
  /** The session id the agent was told to use (Claude Code, Gemini CLI). */
  sessionID: string
  code: number | null
  stdout: string
  stderr: string
  jailed: boolean
  ms: number
  dispose(): void
}

export type Started = { work: string; home: string; repo: string; sessionID: string; done: Promise<Run> }

export type Options = {
  stepDelayMs?: number
  timeoutMs?: number
  /** More arguments for the agent (e.g. Codex's --dangerously-bypass-hook-trust). */
  args?: string[]
  /** More environment for the agent (e.g. agentshare's own settings for its hooks). */
  env?: Record<string, string>
  /** A way out of the network namespace to one server (`bridge()`): the agent's environment may
   * name it as http://127.0.0.1:{{BRIDGE_PORT}}. */
  bridge?: Bridge
  /** Codex only: its interactive UI (in a tmux pane, `Prepared.tmux()`) instead of `codex exec`. */
  tui?: boolean
}

/**
 * The agents run where only loopback exists; their hooks must still reach the agentshare
 * server. bridge.mjs, inside, listens on loopback and carries each connection over a Unix socket
 * (filesystems are shared across network namespaces) to this end, which carries it on to
 * `target`. `close()` stops both ends.
 */
export type Bridge = { socket: string; portFile: string; pidFile: string; close(): Promise<void> }

export async function bridge(dir: string, target: { host: string; port: number }): Promise<Bridge> {
  const socket = join(dir, "bridge.sock")
  const server = createServer((conn) => {
    const up = connect(target.port, target.host)
    conn.pipe(up).pipe(conn)
    const close = () => {
      conn.destroy()
      up.destroy()
    }
    conn.on("error", close)
    up.on("error", close)
  })
  await new Promise<void>((resolve) => server.listen(socket, resolve))
  const pidFile = join(dir, "bridge.pid")
  return {
    socket,
    portFile: join(dir, "bridge.port"),
    pidFile,
    async close() {
      const pid = Number(readFileSyncSafe(pidFile))
      if (pid > 0) {
        try {
          process.kill(pid, "SIGKILL")
        } catch {}
      }
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function readFileSyncSafe(path: string): string {
  try {
    return readFileSync(path, "utf8")
  } catch {
    return ""
  }
}

/** A run set up but not started: its home and repo exist and the agent's settings are written,
 * so a test can change them (`agentshare hooks install`) before `launch()`. */
export type Prepared = { work: string; home: string; repo: string; sessionID: string; launch(): Started; tmux(): Tmux }

/** An agent's interactive UI running in a detached tmux session: read its screen, type into it. */
export type Tmux = {
  screen(): string
  keys(...keys: string[]): void
  /** The agent's exit status once it has exited, else undefined. */
  exited(): number | undefined
  kill(): void
}

export function prepare(agent: Agent, installed: Installed, options: Options = {}): Prepared {
  const work = realpathSync(mkdtempSync(join(tmpdir(), `agentshare-${agent}-`)))
  const home = join(work, "home")
  const repo = join(work, "repo")
  for (const d of [home, repo, join(work, "tmp")]) mkdirSync(d, { recursive: true })
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "ignore" })
  git("init", "-q", "-b", "main")
  writeFileSync(join(repo, "README.md"), "# demo\n")
  git("add", "README.md")
  git("-c", "user.email=test@example.invalid", "-c", "user.name=test", "commit", "-q", "-m", "init")
  const sessionID = randomUUID()
  const timeoutMs = options.timeoutMs ?? RUN_TIMEOUT_MS
  const base = SPECS[agent]({ work, home, repo, sessionID, installed, tui: Boolean(options.tui) })
  // Settings that do not name the fake model's port are written now, where a test can edit them;
  // the runner fills in and writes the others once the port is known.
  const files = (base.files ?? []).filter((f) => {
    if (f.content.includes("{{PORT}}")) return true
    writeFileSync(f.path, f.content)
    return false
  })
  const spec = {
    ...base,
    files,
    args: [...base.args, ...(options.args ?? [])],
    env: { ...base.env, ...options.env },
    bridge: options.bridge
      ? {
          script: join(HERE, "bridge.mjs"),
          socket: options.bridge.socket,
          portFile: options.bridge.portFile,
          pidFile: options.bridge.pidFile,
          maxSeconds: Math.ceil(timeoutMs / 1000) + 120,
        }
      : undefined,
    cwd: repo,
    timeoutMs,
    stepDelayMs: options.stepDelayMs ?? 0,
    portFile: join(work, "port"),
    serverLog: join(work, "fake-server.log"),
    stdout: join(work, "stdout.txt"),
    stderr: join(work, "stderr.txt"),
    tty: Boolean(options.tui),
    exitFile: join(work, "exit"),
  }
  const launch = (): Started => {
    writeFileSync(join(work, "spec.json"), JSON.stringify(spec))
    const runner = [process.execPath, join(HERE, "runner.mjs"), join(work, "spec.json")]
    const j = netjail()
    // Inside the namespace loopback starts down; the fake server and the agent share it.
    const [command, args] = j
      ? ["unshare", [...j, "sh", "-c", 'ip link set lo up && exec "$@"', "sh", ...runner]]
      : [runner[0], runner.slice(1)]
    const t0 = Date.now()
    const done = Proc.run(command, args, {
      cwd: repo,
      env: { PATH: process.env.PATH ?? "" },
      timeoutMs: timeoutMs + 60_000,
    }).then(
      (r): Run => ({
        agent,
        version: installed.version,
        work,
        home,
        repo,
        sessionID,
        code: r.code,
        stdout: readFileSync(spec.stdout, "utf8"),
        stderr: `${r.stderr}${readFileSync(spec.stderr, "utf8")}`,
        jailed: j !== null,
        ms: Date.now() - t0,
        dispose: () => rmSync(work, { recursive: true, force: true }),
      }),
    )
    return { work, home, repo, sessionID, done }
  }
  const tmux = (): Tmux => {
    writeFileSync(join(work, "spec.json"), JSON.stringify(spec))
    const socket = join(work, "tmux.sock")
    const inner = [
      "tmux",
      "-S",
      socket,
      "new-session",
      "-d",
      "-x",
      "120",
      "-y",
      "40",
      process.execPath,
      join(HERE, "runner.mjs"),
      join(work, "spec.json"),
    ]
    const j = netjail()
    // The tmux server starts inside the namespace and stays there; its socket is a file, which
    // the test reaches from outside.
    if (j)
      execFileSync("unshare", [...j, "sh", "-c", 'ip link set lo up && exec "$@"', "sh", ...inner], {
        stdio: "ignore",
        env: { PATH: process.env.PATH ?? "" },
      })
    else execFileSync(inner[0], inner.slice(1), { stdio: "ignore", env: { PATH: process.env.PATH ?? "" } })
    const tm = (...args: string[]) => spawnSync("tmux", ["-S", socket, ...args], { encoding: "utf8", timeout: 10_000 })
    return {
      screen: () => tm("capture-pane", "-p", "-J", "-t", "0").stdout ?? "",
      keys: (...keys: string[]) => void tm("send-keys", "-t", "0", ...keys),
      exited: () => {
        const t = readFileSyncSafe(join(work, "exit"))
        return t ? Number(t) : undefined
      },
      kill: () => void tm("kill-server"),
    }
  }
  return { work, home, repo, sessionID, launch, tmux }
}

/** Starts the scripted session; `done` settles when the agent exits. */
export function start(agent: Agent, installed: Installed, options: Options = {}): Started {
  return prepare(agent, installed, options).launch()
}

export function run(agent: Agent, installed: Installed, options: Options = {}): Promise<Run> {
  return start(agent, installed, options).done
}

/** Files under `dir` (recursively) whose path matches `re`. */
export function find(dir: string, re: RegExp): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    let entries: import("node:fs").Dirent[] = []
    try {
      entries = readdirSync(d, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (re.test(p)) out.push(p)
    }
  }
  walk(dir)
  return out.sort()
}

/** The main session file of a run (Codex names it after the thread, not after our id). */
export function sessionFile(agent: Agent, home: string, sessionID: string, stdout = ""): string | undefined {
  if (agent === "claude-code") return find(join(home, ".claude", "projects"), new RegExp(`/${sessionID}\\.jsonl$`))[0]
  if (agent === "gemini-cli")
    return find(join(home, ".gemini", "tmp"), new RegExp(`/chats/session-[^/]*-${sessionID.slice(0, 8)}\\.jsonl$`))[0]
  const thread = /"thread_id":"([0-9a-f-]{36})"/.exec(stdout)?.[1]
  const all = find(join(home, ".codex", "sessions"), /\/rollout-[^/]+\.jsonl$/)
  return thread ? all.find((p) => p.endsWith(`-${thread}.jsonl`)) : all[0]
}

type SpecInput = { work: string; home: string; repo: string; sessionID: string; installed: Installed; tui: boolean }
type Spec = {
  server: string
  command: string
  args: string[]
  env: Record<string, string>
  files?: { path: string; content: string }[]
}

/** A clean environment: nothing of the caller's (API keys, proxies, settings) reaches the agent. */
function base(i: SpecInput): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: i.home,
    USER: process.env.USER ?? "test",
    LANG: "C.UTF-8",
    TERM: "dumb",
    SHELL: "/bin/bash",
    TMPDIR: join(i.work, "tmp"),
    XDG_CONFIG_HOME: join(i.home, ".config"),
    XDG_CACHE_HOME: join(i.home, ".cache"),
    XDG_DATA_HOME: join(i.home, ".local", "share"),
    XDG_STATE_HOME: join(i.home, ".local", "state"),
  }
}

const SPECS: Record<Agent, (i: SpecInput) => Spec> = {
  "claude-code": (i) => ({
    server: join(HERE, "fake-anthropic.mjs"),
    command: i.installed.command,
    args: [
      ...i.installed.args,
      "-p",
      PROMPT,
      "--session-id",
      i.sessionID,
      "--output-format",
      "stream-json",
      "--verbose",
      "--dangerously-skip-permissions",
    ],
    env: {
      ...base(i),
      ANTHROPIC_BASE_URL: "http://127.0.0.1:{{PORT}}",
      ANTHROPIC_API_KEY: "sk-ant-fake-offline-key",
      // The one that silences it: without it Claude Code asks DNS for api.anthropic.com.
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      DISABLE_AUTOUPDATER: "1",
      DISABLE_TELEMETRY: "1",
      DISABLE_ERROR_REPORTING: "1",
      // TaskCreate/TaskUpdate for the default model (TodoWrite is gone in 2.1).
      CLAUDE_CODE_ENABLE_TODO_TOOLS: "1",
      // --dangerously-skip-permissions is refused as root unless the run says it is sandboxed.
      ...(process.getuid?.() === 0 ? { IS_SANDBOX: "1" } : {}),
    },
  }),
  codex: (i) => {
    const codexHome = join(i.home, ".codex")
    mkdirSync(codexHome, { recursive: true })
    return {
      server: join(HERE, "fake-openai-responses.mjs"),
      command: i.installed.command,
      args: i.tui
        ? [...i.installed.args, PROMPT]
        : [...i.installed.args, "exec", "--strict-config", "--json", "--skip-git-repo-check", PROMPT],
      env: {
        ...base(i),
        CODEX_HOME: codexHome,
        FAKE_OPENAI_API_KEY: "sk-fake-offline-key",
        ...(i.tui ? { TERM: "xterm-256color" } : {}),
      },
      // The TUI asks whether to trust the folder first: this one is.
      files: [
        {
          path: join(codexHome, "config.toml"),
          content: CODEX_CONFIG + (i.tui ? `\n[projects.${JSON.stringify(i.repo)}]\ntrust_level = "trusted"\n` : ""),
        },
      ],
    }
  },
  "gemini-cli": (i) => {
    const dir = join(i.home, ".gemini")
    mkdirSync(dir, { recursive: true })
    const settings = {
      security: { auth: { selectedType: "gemini-api-key" }, folderTrust: { enabled: false } },
      general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
      // The one that silences it: otherwise Clearcut usage statistics go to play.googleapis.com.
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
    }
    return {
      server: join(HERE, "fake-gemini.mjs"),
      command: i.installed.command,
      // write_todos is offered only to Gemini 2.x models.
      args: [
        ...i.installed.args,
        "-p",
        PROMPT,
        "-m",
        "gemini-2.5-flash",
        "--yolo",
        "--skip-trust",
        "--session-id",
        i.sessionID,
        "-o",
        "stream-json",
      ],
      env: {
        ...base(i),
        GEMINI_API_KEY: "fake-offline-key",
        GOOGLE_GEMINI_BASE_URL: "http://127.0.0.1:{{PORT}}",
        GEMINI_CLI_TRUST_WORKSPACE: "true",
        NO_COLOR: "1",
      },
      files: [{ path: join(dir, "settings.json"), content: JSON.stringify(settings, null, 2) }],
    }
  },
}

/** Codex 0.169 config: a provider on the fake Responses API, every phone-home switched off. */
const CODEX_CONFIG = `# a slug from the bundled catalog: an unknown one gets a reduced tool set (no apply_patch)
model = "gpt-5.5"
model_provider = "fake"
approval_policy = "never"
sandbox_mode = "danger-full-access"
check_for_update_on_startup = false

[analytics]
# else DNS for ab.chatgpt.com
enabled = false

[feedback]
enabled = false

[otel]
exporter = "none"

[features]
# else github.com, api.github.com and chatgpt.com (plugin sync)
plugins = false
# spawn_agent / wait_agent
multi_agent_v2 = true

[tools.update_plan]
# the plan tool is off by default
enabled = true

[model_providers.fake]
name = "Fake (agentshare tests)"
base_url = "http://127.0.0.1:{{PORT}}/v1"
# "chat" is refused by this version
wire_api = "responses"
env_key = "FAKE_OPENAI_API_KEY"
request_max_retries = 0
stream_max_retries = 0
`
