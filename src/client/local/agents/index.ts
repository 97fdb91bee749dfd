/**
 * Local sessions of Claude Code, Codex CLI and Gemini CLI as share items in agentshare's data
 * model (the OpenCode shapes, plus `session.source` and tool metadata; docs/AGENTS.md).
 *
 *   const { items, sessions, stats } = Agents.read("claude-code", path)   // the whole tree
 *   const f = Agents.follower("codex", path); f.poll()                     // then what changed
 *   const recent = Agents.list({ home })                                    // newest first
 */
import { createHash } from "node:crypto"
import type { AgentName } from "../../../schema/index.ts"
import * as Claude from "./claude/index.ts"
import * as Codex from "./codex/index.ts"
import type { Driver, Homes, Local } from "./driver.ts"
import * as Gemini from "./gemini/index.ts"
import * as Tree from "./tree.ts"

export type Agent = Exclude<AgentName, "opencode">
export type { Homes, Local } from "./driver.ts"
export type { Follower, Info, Stats } from "./tree.ts"

const AGENTS: Record<Agent, { driver: () => Driver; list: (homes: Homes) => Local[] }> = {
  "claude-code": Claude,
  codex: Codex,
  "gemini-cli": Gemini,
}

/** The agents with a reader, in the order they are listed. */
export const NAMES = Object.keys(AGENTS) as Agent[]

export type Options = {
  /** Read the sub-agent sessions too (default true). */
  subagents?: boolean
}

/** A session file and its sub-agents' files, read whole: the items of a full sync. */
export function read(agent: Agent, path: string, options: Options = {}) {
  return Tree.read(AGENTS[agent].driver(), path, options)
}

/** Follows a session file while the agent appends to it: each `poll()` returns what changed. */
export function follower(agent: Agent, path: string, options: Options = {}): Tree.Follower {
  return Tree.follower(AGENTS[agent].driver(), path, options)
}

/** Local sessions of the given agents (default all), most recently changed first. */
export function list(homes: Homes, agents: Agent[] = NAMES): Local[] {
  return agents.flatMap((a) => AGENTS[a].list(homes)).sort((a, b) => b.updated - a.updated)
}

/** The most recently changed session that ran in `cwd`, whichever agent wrote it. */
export function latest(homes: Homes, cwd: string, agents: Agent[] = NAMES): Local | undefined {
  const hash = createHash("sha256").update(cwd).digest("hex")
  return list(homes, agents).find((l) => l.directory === cwd || (!l.directory && l.projectHash === hash))
}

/** Which agent wrote the session file at `path`, judged by where it lives. */
export function agentOf(path: string): Agent | undefined {
  if (/\/\.claude\/projects\//.test(path) || /\/projects\/[^/]+\/[0-9a-f-]{36}\.jsonl$/.test(path)) return "claude-code"
  if (/\/rollout-[^/]+\.jsonl$/.test(path)) return "codex"
  if (/\/chats\/(session-[^/]+|[^/]+\/[^/]+)\.jsonl$/.test(path)) return "gemini-cli"
  return undefined
}
