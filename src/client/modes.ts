/**
 * The share mode and server as OpenCode resolves them: global config, then `OPENCODE_CONFIG`,
 * then the project's `opencode.json{,c}` from the git root down to the working directory
 * (closer files win), then the environment. Every value remembers where it came from, so a
 * refusal can name the file or variable to change.
 */
import { existsSync, readFileSync, statSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import * as Jsonc from "./jsonc.ts"

export type Mode = "manual" | "auto" | "disabled"

export type Resolved = {
  mode: Mode
  /** Where the mode was set: a file path, an environment variable, or "default". */
  modeSource: string
  /** The share server, if configured anywhere. */
  server: string | undefined
  serverSource: string | undefined
  /** The config files read, lowest precedence first. */
  files: string[]
  /** The project root (git worktree) the search stopped at. */
  root: string
}

export type Options = {
  cwd: string
  env: Record<string, string | undefined>
  home: string
  /** `--server` on the command line: wins over everything. */
  server?: string
}

export class ConfigError extends Error {
  constructor(path: string, cause: unknown) {
    super(`cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = "ConfigError"
  }
}

/** Sharing is turned off; the message names what turned it off. */
export class ShareDisabled extends Error {
  readonly source: string
  constructor(source: string) {
    super(`sharing is disabled by ${source}`)
    this.name = "ShareDisabled"
    this.source = source
  }
}

const truthy = (v: string | undefined) => v === "1" || v?.toLowerCase() === "true"

/** The git worktree containing `cwd` (the directory holding `.git`), else `cwd` itself. */
export function projectRoot(cwd: string): string {
  let dir = resolve(cwd)
  for (;;) {
    if (existsSync(join(dir, ".git"))) return dir
    const up = dirname(dir)
    if (up === dir) return resolve(cwd)
    dir = up
  }
}

function read(path: string): Record<string, unknown> | undefined {
  if (!existsSync(path) || !statSync(path).isFile()) return undefined
  try {
    const v = Jsonc.parse(readFileSync(path, "utf8"))
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  } catch (error) {
    throw new ConfigError(path, error)
  }
}

/** Config files in precedence order, lowest first. */
export function files(options: Options): string[] {
  const { env, home } = options
  const configHome = env.XDG_CONFIG_HOME || join(home, ".config")
  const out = ["config.json", "opencode.json", "opencode.jsonc"].map((f) => join(configHome, "opencode", f))
  if (env.OPENCODE_CONFIG) out.push(resolve(options.cwd, env.OPENCODE_CONFIG))
  const root = projectRoot(options.cwd)
  const dirs: string[] = []
  for (let dir = resolve(options.cwd); ; dir = dirname(dir)) {
    dirs.push(dir)
    if (dir === root || dirname(dir) === dir) break
  }
  for (const dir of dirs.reverse()) out.push(join(dir, "opencode.json"), join(dir, "opencode.jsonc"))
  return out
}

export function resolveModes(options: Options): Resolved {
  let mode: Mode = "manual"
  let modeSource = "default"
  let server: string | undefined
  let serverSource: string | undefined
  const used: string[] = []
  for (const path of files(options)) {
    const config = read(path)
    if (!config) continue
    used.push(path)
    if (config.share === "manual" || config.share === "auto" || config.share === "disabled") {
      mode = config.share
      modeSource = path
    } else if (config.autoshare === true && config.share === undefined) {
      // The legacy spelling of "share": "auto".
      mode = "auto"
      modeSource = `${path} ("autoshare": true)`
    }
    const enterprise = config.enterprise
    if (typeof enterprise === "object" && enterprise !== null && "url" in enterprise && typeof enterprise.url === "string" && enterprise.url) {
      server = enterprise.url
      serverSource = `${path} (enterprise.url)`
    }
  }
  const { env } = options
  if (truthy(env.OPENCODE_AUTO_SHARE) && mode !== "disabled") {
    mode = "auto"
    modeSource = "OPENCODE_AUTO_SHARE"
  }
  if (truthy(env.OPENCODE_DISABLE_SHARE)) {
    mode = "disabled"
    modeSource = "OPENCODE_DISABLE_SHARE"
  }
  if (env.AGENTSHARE_URL) {
    server = env.AGENTSHARE_URL
    serverSource = "AGENTSHARE_URL"
  }
  if (options.server) {
    server = options.server
    serverSource = "--server"
  }
  return { mode, modeSource, server, serverSource, files: used, root: projectRoot(options.cwd) }
}

/** Throws ShareDisabled when the resolved mode forbids sharing. */
export function assertEnabled(resolved: Resolved): void {
  if (resolved.mode === "disabled") throw new ShareDisabled(resolved.modeSource)
}
