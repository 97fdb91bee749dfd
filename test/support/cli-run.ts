/**
 * Runs the real `agentshare` CLI (src/cli/main.ts under the pinned Node 24) as a child process in
 * an isolated home: its own HOME, XDG_* and project directory, and a copy of a real OpenCode
 * database made by the real client (test/fixtures/opencode/opencode.db).
 */
import { spawn, type ChildProcess } from "node:child_process"
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { fileURLToPath } from "node:url"
import * as Proc from "./process.ts"

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)))
export const NODE = join(ROOT, "node_modules", ".bin", "node")
export const MAIN = join(ROOT, "src", "cli", "main.ts")
export const FIXTURES = join(ROOT, "test", "fixtures", "opencode")

export type Home = {
  root: string
  /** A git project directory (has `.git`), the cwd of every command. */
  project: string
  env: Record<string, string>
  dataHome: string
  configHome: string
  dbPath: string
  run(
    args: string[],
    options?: { input?: string; env?: Record<string, string>; cwd?: string; timeoutMs?: number },
  ): Promise<Proc.Result>
  /** Starts a long-running command (watch, share --watch); stop it with SIGINT. */
  start(args: string[], options?: { env?: Record<string, string> }): Running
  dispose(): void
}

export type Running = {
  child: ChildProcess
  output(): { stdout: string; stderr: string }
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>
}

/** Keeps the developer's own OpenCode and agentshare settings out. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith("OPENCODE") || k.startsWith("XDG_") || k.startsWith("AGENTSHARE")) continue
    env[k] = v
  }
  return env
}

export function home(options: { database?: "fixture" | "none" | string } = {}): Home {
  const root = mkdtempSync(join(tmpdir(), "agentshare-cli-"))
  const project = join(root, "project")
  mkdirSync(join(project, ".git"), { recursive: true })
  const env: Record<string, string> = {
    ...baseEnv(),
    HOME: join(root, "home"),
    XDG_CONFIG_HOME: join(root, "config"),
    XDG_DATA_HOME: join(root, "data"),
    PWD: project,
  }
  for (const d of [env.HOME, env.XDG_CONFIG_HOME, join(env.XDG_DATA_HOME, "opencode")])
    mkdirSync(d, { recursive: true })
  const dbPath = join(env.XDG_DATA_HOME, "opencode", "opencode.db")
  const source = options.database ?? "fixture"
  if (source !== "none") {
    copyFileSync(source === "fixture" ? join(FIXTURES, "opencode.db") : source, dbPath)
    // The fixture's project lived in a temp dir that is gone: point it at this project, as if
    // OpenCode had run here (test setup writes the copy; the CLI only ever reads it).
    const db = new DatabaseSync(dbPath)
    db.prepare("update project set worktree = ? where id != 'global'").run(project)
    db.close()
  }
  return {
    root,
    project,
    env,
    dataHome: env.XDG_DATA_HOME,
    configHome: env.XDG_CONFIG_HOME,
    dbPath,
    ...runner(env, project),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  }
}

/** Runs the CLI with exactly `env` in `cwd` (e.g. a real OpenCode sandbox's environment). */
export function runner(env: Record<string, string>, cwd: string): Pick<Home, "run" | "start"> {
  return {
    run: (args, o = {}) =>
      Proc.run(NODE, [MAIN, ...args], {
        cwd: o.cwd ?? cwd,
        env: { ...env, ...o.env },
        input: o.input,
        timeoutMs: o.timeoutMs ?? 60_000,
      }),
    start(args, o = {}) {
      const child = spawn(NODE, [MAIN, ...args], { cwd, env: { ...env, ...o.env }, stdio: ["ignore", "pipe", "pipe"] })
      let stdout = ""
      let stderr = ""
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
      const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)))
      return { child, output: () => ({ stdout, stderr }), exited }
    },
  }
}

/** Waits until `check` returns a value (not undefined), polling; fails after `timeoutMs` with `what`. */
export async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

export type Manifest = { sessionID: string; childSessionID: string }
export const manifest = async (): Promise<Manifest> =>
  (await import(join(FIXTURES, "manifest.json"), { with: { type: "json" } })).default as Manifest

/**
 * A new top-level session in the home's OpenCode database, cloned from `fromID`, with one user
 * message holding `text`: what a user starts while `watch` runs in auto mode. Like OpenCode, it
 * writes the empty session first and its message `pauseMs` later, in separate transactions.
 */
export async function addSession(
  h: Home,
  fromID: string,
  options: { text: string; pauseMs?: number; id?: string },
): Promise<string> {
  const db = new DatabaseSync(h.dbPath, { timeout: 10_000 })
  const id = options.id ?? "ses_0000addedbythetest00"
  const msg = `msg_zzzzzzzz${id.slice(4)}`
  const now = Date.now() + 20_000
  const cols = (
    db.prepare("select group_concat(name) as c from pragma_table_info('session')").get() as { c: string }
  ).c.split(",")
  const picked = cols
    .map((c) =>
      c === "id" ? "?" : c === "time_created" || c === "time_updated" ? "?" : c === "title" ? "'new session'" : c,
    )
    .join(", ")
  const params: (string | number)[] = cols.flatMap((c): (string | number)[] =>
    c === "id" ? [id] : c === "time_created" || c === "time_updated" ? [now] : [],
  )
  db.prepare(`insert into session (${cols.join(", ")}) select ${picked} from session where id = ?`).run(
    ...params,
    fromID,
  )
  await new Promise((r) => setTimeout(r, options.pauseMs ?? 0))
  const user = {
    id: msg,
    sessionID: id,
    role: "user",
    time: { created: now },
    agent: "build",
    model: { providerID: "fakellm", modelID: "fake-model" },
  }
  db.prepare("insert into message (id, session_id, time_created, time_updated, data) values (?, ?, ?, ?, ?)").run(
    msg,
    id,
    now,
    now,
    JSON.stringify(user),
  )
  db.prepare(
    "insert into part (id, message_id, session_id, time_created, time_updated, data) values (?, ?, ?, ?, ?, ?)",
  ).run(`prt_zzzzzzzz${id.slice(4)}`, msg, id, now, now, JSON.stringify({ type: "text", text: options.text }))
  db.close()
  return id
}
