/** Which agent wrote a session (`session.source`, agentshare's): shown in the header and the
 * Markdown export, and used to pick tool renderers. OpenCode's own sessions have none. */
import { AGENT_LABELS } from "../schema/index.ts"
import type { Transcript } from "./model.ts"
import { rec, str, type Rec } from "./read.ts"

/** The agent of session `sessionID` (or of the root), "" for OpenCode's own. */
export function of(t: Transcript, sessionID: string): string {
  const own = str(rec(t.sessions.get(sessionID)?.info.source).agent)
  return own || str(rec(t.root.info.source).agent)
}

/** The agent's name as shown: "Claude Code", or the string the share gave. */
export function name(agent: string): string {
  return Object.hasOwn(AGENT_LABELS, agent) ? AGENT_LABELS[agent as keyof typeof AGENT_LABELS] : agent
}

/** "Claude Code 2.1.328" from a session's `source`, or "" when it has none. */
export function label(info: Rec): string {
  const source = rec(info.source)
  const agent = str(source.agent)
  if (!agent) return ""
  const version = str(source.version)
  return `${name(agent)}${version ? ` ${version.replace(/^v/, "")}` : ""}`
}
