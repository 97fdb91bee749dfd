/**
 * Drives the real OpenCode client (opencode-ai@1.18.33) in an isolated sandbox: its own HOME and
 * XDG_* directories, a git-initialised project with an `opencode.json` that points
 * `enterprise.url` at a share server and the model at a fake LLM. Other tests use this to get
 * real traffic and real OpenCode databases.
 *
 *   const client = await Opencode.client()             // installs on first use
 *   const box = await Opencode.sandbox({ bin, shareUrl, llmUrl })
 *   const run = await Opencode.run(box, "create file:a.txt", { share: true })
 *   const srv = await Opencode.serve(box); await srv.request("POST", "/session", {})
 *   await box.dispose()
 */
import { execFileSync } from "node:child_process"
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises"
import { freePort } from "./net.ts"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Proc from "./process.ts"

import { VERSION, ensure } from "./opencode-install.ts"

export { VERSION, ensure as client, type Client } from "./opencode-install.ts"

const RUN_TIMEOUT_MS = 120_000
const START_TIMEOUT_MS = 60_000

export type SandboxOptions = {
  /** The opencode binary (from `client()`). */
  bin: string
  /** `enterprise.url`: the share server's base URL. */
  shareUrl: string
  /** The fake model's base URL, ending in /v1. */
  llmUrl: string
  /** Sets OPENCODE_AUTO_SHARE=1, which shares every new session. */
  autoShare?: boolean
  /** Merged over the generated opencode.json. */
  config?: Record<string, unknown>
}

export type Sandbox = {
  bin: string
  root: string
  /** The git-initialised project directory every command runs in. */
  project: string
  /** XDG_DATA_HOME: OpenCode keeps its database under `<dataHome>/opencode/`. */
  dataHome: string
  env: Record<string, string>
  dispose(): Promise<void>
}

/** Keeps the user's own OpenCode settings, credentials and server password out of the sandbox. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith("OPENCODE") && !k.startsWith("XDG_")) env[k] = v
  return env
}

export function config(options: Pick<SandboxOptions, "shareUrl" | "llmUrl" | "config">): Record<string, unknown> {
  return {
    $schema: "https://opencode.ai/config.json",
    autoupdate: false,
    share: "manual",
    enterprise: { url: options.shareUrl },
    model: "fakellm/fake-model",
    small_model: "fakellm/fake-model",
    permission: { edit: "allow", bash: "allow", webfetch: "allow", external_directory: "allow" },
    provider: {
      fakellm: {
        npm: "@ai-sdk/openai-compatible",
        name: "Fake LLM",
        options: { baseURL: options.llmUrl, apiKey: "fake-key" },
        models: {
          "fake-model": {
            name: "Fake Model",
            tool_call: true,
            reasoning: true,
            attachment: false,
            temperature: true,
            limit: { context: 128000, output: 8192 },
            cost: { input: 0, output: 0 },
          },
        },
      },
    },
    ...options.config,
  }
}

export async function sandbox(options: SandboxOptions): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), "agentshare-opencode-"))
  const dirs = {
    HOME: "home",
    XDG_CONFIG_HOME: "config",
    XDG_DATA_HOME: "data",
    XDG_CACHE_HOME: "cache",
    XDG_STATE_HOME: "state",
  }
  const env: Record<string, string> = {
    ...baseEnv(),
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
    OPENCODE_DISABLE_DEFAULT_PLUGINS: "1",
    ...(options.autoShare ? { OPENCODE_AUTO_SHARE: "1" } : {}),
  }
  for (const [name, dir] of Object.entries(dirs)) {
    env[name] = join(root, dir)
    await mkdir(env[name], { recursive: true })
  }
  const project = join(root, "project")
  await mkdir(project)
  await writeFile(join(project, "opencode.json"), JSON.stringify(config(options), null, 2))
  // OpenCode takes its working directory from $PWD, not from the process's cwd.
  env.PWD = project
  // A git repository gives the session a project id, snapshots and therefore patch parts.
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=test@example.invalid", "-c", "user.name=test", ...args], {
      cwd: project,
      env,
      stdio: "ignore",
      timeout: 30_000,
    })
  git("init", "-q", ".")
  git("add", "-A")
  git("commit", "-qm", "init")
  return {
    bin: options.bin,
    root,
    project,
    dataHome: env.XDG_DATA_HOME,
    env,
    dispose: () => rm(root, { recursive: true, force: true, maxRetries: 3 }),
  }
}

/** Where the sandbox's OpenCode keeps its SQLite database. */
export function databasePath(box: Sandbox): string {
  return join(box.dataHome, "opencode", "opencode.db")
}

/** Runs `opencode <args>` in the project directory, bounded in time. */
export function exec(
  box: Sandbox,
  args: string[],
  options: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<Proc.Result> {
  return Proc.run(box.bin, args, {
    cwd: box.project,
    env: { ...box.env, ...options.env },
    timeoutMs: options.timeoutMs ?? RUN_TIMEOUT_MS,
  })
}

export type RunResult = Proc.Result & {
  /** The session the run created (from the JSON event stream). */
  sessionID: string | undefined
  /** The `~  <url>` line `--share` prints to stderr, if any. */
  shareUrl: string | undefined
  /** stdout's JSON events. */
  events: Record<string, unknown>[]
}

/** `opencode run [--share] --format json <prompt>`. A create failure is silent (no URL, exit 0). */
export async function run(
  box: Sandbox,
  prompt: string,
  options: { share?: boolean; timeoutMs?: number } = {},
): Promise<RunResult> {
  const args = [
    "run",
    ...(options.share === false ? [] : ["--share"]),
    "--format",
    "json",
    "--print-logs",
    "--log-level",
    "INFO",
    prompt,
  ]
  const r = await exec(box, args, { timeoutMs: options.timeoutMs })
  const events = r.stdout.split("\n").flatMap((line) => {
    try {
      const v: unknown = JSON.parse(line)
      return v && typeof v === "object" ? [v as Record<string, unknown>] : []
    } catch {
      return []
    }
  })
  const sessionID = events.map((e) => e.sessionID).find((s): s is string => typeof s === "string")
  const shareUrl = Proc.plain(r.stderr)
    .split("\n")
    .map((l) => /^~\s+(\S+)\s*$/.exec(l)?.[1])
    .filter((u) => u !== undefined)
    .at(-1)
  return { ...r, sessionID, shareUrl, events }
}

export type Serve = {
  url: string
  /** A JSON call to the serve API; `timeoutMs` bounds it (prompts are synchronous). */
  request(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<{ status: number; json: unknown }>
  /** Everything serve printed so far (its logs). */
  output(): string
  close(): Promise<void>
}

/** Starts `opencode serve` on a free 127.0.0.1 port and waits for its listening line: a request
 * that connects while it is still starting can hang forever (PROTOCOL.md §7). */
export async function serve(box: Sandbox, options: { timeoutMs?: number } = {}): Promise<Serve> {
  const port = await freePort()
  const child = Proc.start(
    box.bin,
    ["serve", "--port", String(port), "--hostname", "127.0.0.1", "--print-logs", "--log-level", "INFO"],
    { cwd: box.project, env: box.env },
  )
  let out = ""
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `opencode serve did not print its listening line within ${options.timeoutMs ?? START_TIMEOUT_MS} ms:\n${Proc.plain(out).slice(-2000)}`,
          ),
        ),
      options.timeoutMs ?? START_TIMEOUT_MS,
    )
    const seen = (d: string) => {
      out += d
      const url = /server listening on (http:\/\/[^\s]+)/.exec(Proc.plain(out))?.[1]
      if (url) {
        clearTimeout(timer)
        resolve(url.replace(/\/$/, ""))
      }
    }
    child.stdout?.setEncoding("utf8").on("data", seen)
    child.stderr?.setEncoding("utf8").on("data", seen)
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`opencode serve exited (${code}) before listening:\n${Proc.plain(out).slice(-2000)}`))
    })
  })
  let url: string
  try {
    url = await listening
  } catch (error) {
    await Proc.stop(child)
    throw error
  }
  return {
    url,
    output: () => Proc.plain(out),
    async request(method, path, body, timeoutMs = 20_000) {
      const res = await fetch(url + path, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      })
      const text = await res.text()
      let json: unknown = text
      try {
        json = JSON.parse(text)
      } catch {
        // Not JSON: keep the text for the failure message.
      }
      return { status: res.status, json }
    },
    close: () => Proc.stop(child),
  }
}

/** `opencode import <url>`: prints `Imported session: <id>` on success (and exits 0 on most failures). */
export async function importShare(box: Sandbox, url: string): Promise<Proc.Result & { sessionID: string | undefined }> {
  const r = await exec(box, ["import", url], { timeoutMs: 60_000 })
  const sessionID = /Imported session: (\S+)/.exec(Proc.plain(r.stdout + r.stderr))?.[1]
  return { ...r, sessionID }
}

export type Export = {
  info: Record<string, unknown>
  messages: { info: Record<string, unknown>; parts: Record<string, unknown>[] }[]
}

/** `opencode export <id>`: the session with every message and part, as OpenCode stores it. */
export async function exportSession(box: Sandbox, sessionID: string): Promise<Export> {
  const r = await exec(box, ["export", sessionID], { timeoutMs: 60_000 })
  if (r.code !== 0)
    throw new Error(`opencode export ${sessionID} exited ${r.code}: ${Proc.plain(r.stderr).slice(-1000)}`)
  // Export may print a status line before the JSON document.
  const start = r.stdout.indexOf("{")
  if (start < 0) throw new Error(`opencode export ${sessionID} printed no JSON: ${r.stdout.slice(0, 500)}`)
  return JSON.parse(r.stdout.slice(start)) as Export
}

export { freePort }

/**
 * The real client for a test file. Outside CI a missing client skips the suite with its reason
 * (`skip`); under CI every test runs, and `bin()` fails it with that reason.
 */
export async function required(): Promise<{ skip: string | false; bin(): string }> {
  const client = await ensure()
  const ci = process.env.CI === "true" || process.env.CI === "1"
  return {
    skip: client.ok || ci ? false : `the real OpenCode client is not available: ${client.reason}`,
    bin() {
      if (!client.ok) throw new Error(`the real OpenCode client (opencode-ai@${VERSION}) is required: ${client.reason}`)
      return client.bin
    },
  }
}
