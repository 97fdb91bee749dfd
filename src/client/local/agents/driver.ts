/** What each agent's reader provides: a reducer per session file, and its sub-agent files. */
import type { AgentName } from "../../../schema/index.ts"
import type { Builder } from "./builder.ts"

/** Records a reducer saw but did not turn into conversation. */
export type Counts = {
  /** Records that are not conversation (vendor prompts, tool schemas, API shapes, UI state). */
  hidden: number
  /** Records of a type the reader does not know, kept as `raw` parts. */
  raw: number
}

/** Turns one session file's records, in file order, into a session. */
export type Reducer = {
  feed(record: Record<string, unknown>): void
  /** The session, once its first record told who it is. */
  builder(): Builder | undefined
  /** Call id -> child session id, for the calls of this session that started sub-agents. */
  links(): Iterable<[string, string]>
  /** Links a call of this session to the child session it started (learned elsewhere). */
  link(callID: string, sessionID: string): void
  /** Whether this session made the call `callID`. */
  owns(callID: string): boolean
  counts: Counts
}

/** A sub-agent's session file, and what its parent knows about it. */
export type Child = { path: string; parentID?: string; callID?: string; title?: string; agent?: string }

/** One per session tree: it may remember where it found sub-agent files. */
export type Driver = {
  agent: Exclude<AgentName, "opencode">
  open(path: string, child?: Child): Reducer
  /** Sub-agent files of the session at `path` that exist now. */
  children(path: string, reducer: Reducer): Child[]
}

/** A local session as listed: which agent, where, what it is about, when it last changed. */
export type Local = {
  agent: Exclude<AgentName, "opencode">
  path: string
  id: string
  directory?: string
  title?: string
  /** The file's last change (epoch ms). */
  updated: number
  /** Gemini CLI's sha256 of the project root, for sessions whose root is not known. */
  projectHash?: string
}

/** Where the agents keep their files: defaults under `home`, overridden as the agents allow. */
export type Homes = {
  home: string
  /** CLAUDE_CONFIG_DIR (default `<home>/.claude`). */
  claude?: string
  /** CODEX_HOME (default `<home>/.codex`). */
  codex?: string
  /** GEMINI_CLI_HOME's `.gemini` (default `<home>/.gemini`). */
  gemini?: string
}
