/**
 * This machine's sessions of every agent, for the CLI: OpenCode's (its database) and Claude
 * Code's, Codex CLI's and Gemini CLI's (their session files), listed newest first, the latest
 * of a directory, or the one a user named (an id, a unique part of one, or a session file).
 */
import { existsSync, statSync } from "node:fs"
import { join, resolve } from "node:path"
import * as Client from "../client/index.ts"
import type { AgentName } from "../schema/index.ts"
import { type Env, opencodeDb } from "./env.ts"
import { usage } from "./exit.ts"

export type Agent = AgentName

/** A local session as the CLI lists and picks it. */
export type Local = {
  agent: Agent
  id: string
  title: string
  /** Where it ran; absent when the agent did not record it. */
  directory?: string
  /** Last change (epoch ms). */
  updated: number
  /** The session file (not for OpenCode). */
  path?: string
}

/** What `--agent` accepts, and the agent each name means. */
const NAMES: Record<string, Agent> = {
  opencode: "opencode",
  claude: "claude-code",
  "claude-code": "claude-code",
  codex: "codex",
  gemini: "gemini-cli",
  "gemini-cli": "gemini-cli",
}

/** `--agent` as a list of agents (all four when absent). */
export function agents(flag: string | undefined, verb: string): Agent[] {
  if (flag === undefined) return ["opencode", ...Client.Agents.NAMES]
  const a = NAMES[flag.toLowerCase()]
  if (!a)
    throw usage(`agentshare ${verb}: --agent must be opencode, claude, codex or gemini (got "${flag.slice(0, 40)}")`)
  return [a]
}

/** Where the agents keep their sessions, as their own environment variables move them. */
export function homes(env: Env): Client.Agents.Homes {
  const v = env.vars
  return {
    home: env.home,
    ...(v.CLAUDE_CONFIG_DIR ? { claude: v.CLAUDE_CONFIG_DIR } : {}),
    ...(v.CODEX_HOME ? { codex: v.CODEX_HOME } : {}),
    ...(v.GEMINI_CLI_HOME ? { gemini: join(v.GEMINI_CLI_HOME, ".gemini") } : {}),
  }
}

/** OpenCode's database when there is one (this machine may run only the other agents). */
export function database(env: Env): Client.Database.Database | undefined {
  if (!existsSync(opencodeDb(env))) return undefined
  try {
    return Client.Database.open(opencodeDb(env))
  } catch {
    return undefined
  }
}

const agentsOnly = (list: Agent[]) => list.filter((a): a is Client.Agents.Agent => a !== "opencode")

/** Every top-level session of the given agents, newest first. */
export function list(env: Env, which: Agent[], db: Client.Database.Database | undefined): Local[] {
  const out: Local[] = []
  if (db && which.includes("opencode")) {
    for (const s of db.sessions({ roots: true }))
      out.push({ agent: "opencode", id: s.id, title: s.title, directory: s.directory, updated: s.updated })
  }
  for (const l of Client.Agents.list(homes(env), agentsOnly(which)))
    out.push({
      agent: l.agent,
      id: l.id,
      title: l.title ?? "",
      ...(l.directory ? { directory: l.directory } : {}),
      updated: l.updated,
      path: l.path,
    })
  return out.sort((a, b) => b.updated - a.updated)
}

/** The most recently updated session of this directory (OpenCode's: of this project), whichever agent wrote it. */
export function latest(
  env: Env,
  root: string,
  which: Agent[],
  db: Client.Database.Database | undefined,
): Local | undefined {
  const found: Local[] = []
  if (db && which.includes("opencode")) {
    const s = Client.Session.project(db, root, env.cwd)[0]
    if (s) found.push({ agent: "opencode", id: s.id, title: s.title, directory: s.directory, updated: s.updated })
  }
  const a =
    agentsOnly(which).length > 0 ? Client.Agents.latest(homes(env), resolve(env.cwd), agentsOnly(which)) : undefined
  if (a)
    found.push({
      agent: a.agent,
      id: a.id,
      title: a.title ?? "",
      ...(a.directory ? { directory: a.directory } : {}),
      updated: a.updated,
      path: a.path,
    })
  return found.sort((x, y) => y.updated - x.updated)[0]
}

/**
 * The session `value` names: a session file's path, an id, or a part of one (its start or its
 * end, at least 4 characters) that only one session has. Throws a usage error when a part
 * matches several.
 */
export function find(
  env: Env,
  value: string,
  which: Agent[],
  db: Client.Database.Database | undefined,
): Local | undefined {
  const path = resolve(env.cwd, value)
  if (value.endsWith(".jsonl") && existsSync(path) && statSync(path).isFile()) {
    const agent = Client.Agents.agentOf(path)
    const allowed = agentsOnly(which)
    const chosen = agent && allowed.includes(agent) ? agent : allowed.length === 1 ? allowed[0] : undefined
    if (!chosen) throw usage(`agentshare: cannot tell which agent wrote ${value}; pass --agent claude, codex or gemini`)
    const s = Client.Agents.read(chosen, path, { subagents: false }).sessions[0]
    return {
      agent: chosen,
      id: s?.id ?? value,
      title: s?.title ?? "",
      ...(s?.directory ? { directory: s.directory } : {}),
      updated: statSync(path).mtimeMs,
      path,
    }
  }
  const all = list(env, which, db)
  const exact = all.filter((s) => s.id === value)
  if (exact.length > 0) return exact[0]
  if (value.length < 4) return undefined
  const partial = all.filter((s) => s.id.startsWith(value) || s.id.endsWith(value))
  if (partial.length > 1)
    throw usage(
      `agentshare: "${value.slice(0, 40)}" matches ${partial.length} sessions (${partial
        .slice(0, 3)
        .map((s) => s.id)
        .join(", ")}…); give more of the id`,
    )
  return partial[0]
}

/** A directory as a person reads it: under the home directory as `~/…`. */
export function tilde(env: Env, dir: string | undefined): string {
  if (!dir) return ""
  const home = env.home.replace(/\/+$/, "")
  if (home && (dir === home || dir.startsWith(`${home}/`))) return `~${dir.slice(home.length)}`
  return dir
}
