/**
 * The share mode and server. OpenCode's sessions follow OpenCode's rules (`resolveModes`):
 * global config, then `OPENCODE_CONFIG`, then the project's `opencode.json{,c}` from the git
 * root down to the working directory (closer files win), then the environment. Claude Code,
 * Codex CLI and Gemini CLI sessions follow the same rules over agentshare's own files (`own`):
 * `$XDG_CONFIG_HOME/agentshare/config.json`, then `.agentshare.json{,c}` from the git root down,
 * then `AGENTSHARE_SHARE`. `forAgent` picks the rules for a session's agent. Every value
 * remembers where it came from, so a refusal can name the file or variable to change.
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

/** Directories from the project root down to `cwd`, root first. */
function down(cwd: string): string[] {
  const root = projectRoot(cwd)
  const dirs: string[] = []
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    dirs.push(dir)
    if (dir === root || dirname(dir) === dir) break
  }
  return dirs.reverse()
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
  for (const dir of down(options.cwd)) out.push(join(dir, "opencode.json"), join(dir, "opencode.jsonc"))
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
    if (
      typeof enterprise === "object" &&
      enterprise !== null &&
      "url" in enterprise &&
      typeof enterprise.url === "string" &&
      enterprise.url
    ) {
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

const MODES: readonly Mode[] = ["manual", "auto", "disabled"]

/** agentshare's own config files in precedence order, lowest first. */
export function ownFiles(options: Options): string[] {
  const configHome = options.env.XDG_CONFIG_HOME || join(options.home, ".config")
  const out = [join(configHome, "agentshare", "config.json")]
  for (const dir of down(options.cwd)) out.push(join(dir, ".agentshare.json"), join(dir, ".agentshare.jsonc"))
  return out
}

/**
 * The share mode and server from agentshare's own files, with OpenCode's rules: closer files
 * win, then `AGENTSHARE_SHARE` (manual, auto or disabled), `AGENTSHARE_URL` and `--server`. A
 * `share` that is not one of the three modes is an error naming the file (a typo must not
 * quietly leave auto sharing on or off).
 */
export function own(options: Options): Resolved {
  let mode: Mode = "manual"
  let modeSource = "default"
  let server: string | undefined
  let serverSource: string | undefined
  const used: string[] = []
  for (const path of ownFiles(options)) {
    const config = read(path)
    if (!config) continue
    used.push(path)
    if (config.share !== undefined) {
      if (!MODES.includes(config.share as Mode))
        throw new ConfigError(
          path,
          new Error(
            `"share" must be "manual", "auto" or "disabled" (got ${JSON.stringify(config.share).slice(0, 40)})`,
          ),
        )
      mode = config.share as Mode
      modeSource = path
    }
    if (config.server !== undefined) {
      if (typeof config.server !== "string" || !/^https?:\/\//.test(config.server))
        throw new ConfigError(path, new Error('"server" must be an http(s) URL'))
      server = config.server
      serverSource = `${path} (server)`
    }
  }
  const { env } = options
  const fromEnv = env.AGENTSHARE_SHARE?.trim().toLowerCase()
  if (fromEnv) {
    if (!MODES.includes(fromEnv as Mode))
      throw new Error(`AGENTSHARE_SHARE must be manual, auto or disabled (got "${fromEnv.slice(0, 20)}")`)
    mode = fromEnv as Mode
    modeSource = "AGENTSHARE_SHARE"
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

/**
 * The mode and server for a session of `agent`. OpenCode's sessions take OpenCode's mode, except
 * that `disabled` in agentshare's own files turns off sharing of every agent's sessions; the
 * others take agentshare's. The server is `--server`, `AGENTSHARE_URL`, agentshare's files,
 * then OpenCode's `enterprise.url`, whichever comes first.
 */
export function forAgent(agent: string, options: Options): Resolved {
  const mine = own(options)
  const theirs = resolveModes(options)
  const fromOwn = mine.serverSource !== undefined
  const picked = agent === "opencode" && mine.mode !== "disabled" ? theirs : mine
  return {
    ...picked,
    server: fromOwn ? mine.server : theirs.server,
    serverSource: fromOwn ? mine.serverSource : theirs.serverSource,
    files: [...theirs.files, ...mine.files],
  }
}

/** Throws ShareDisabled when the resolved mode forbids sharing. */
export function assertEnabled(resolved: Resolved): void {
  if (resolved.mode === "disabled") throw new ShareDisabled(resolved.modeSource)
}
