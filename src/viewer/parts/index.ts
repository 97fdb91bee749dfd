/** Parts: one renderer per part type; a renderer that fails on odd data falls back to raw. */
import * as Agent from "../agent.ts"
import type { Ctx } from "../context.ts"
import { isRec, str, type Rec } from "../read.ts"
import * as Tools from "../tools/index.ts"
import { file } from "./file.ts"
import { agent, compaction, retry, subtask } from "./marker.ts"
import { raw } from "./raw.ts"
import { assistant, reasoning, user } from "./text.ts"

/** Bookkeeping parts: their content appears elsewhere (usage table, diffs) or nowhere. */
const QUIET = new Set(["step-start", "step-finish", "snapshot"])

export function part(p: Rec, role: string, siblings: Rec[], ctx: Ctx): string {
  try {
    return render(p, role, siblings, ctx)
  } catch {
    return raw(p, `Part "${str(p.type)}" could not be shown`)
  }
}

function render(p: Rec, role: string, siblings: Rec[], ctx: Ctx): string {
  const type = str(p.type)
  if (QUIET.has(type)) return ""
  // A record an agent's reader did not understand, kept as it was (docs/AGENTS.md).
  if (type === "raw" && str(p.agent))
    return raw(p.record ?? p, `${Agent.name(str(p.agent))} record "${str(p.recordType)}" this viewer does not know`)
  switch (type) {
    case "text":
      return role === "user"
        ? user(p, siblings, Agent.name(Agent.of(ctx.transcript, str(p.sessionID))) || "OpenCode")
        : assistant(p, ctx.idle)
    case "reasoning":
      return reasoning(p, ctx.idle)
    case "tool":
      return Tools.tool(p, ctx)
    case "file":
      return file(p)
    // In a prompt, an @agent with offsets is highlighted in the text instead.
    case "agent":
      return role === "user" && isRec(p.source) ? "" : agent(p)
    case "retry":
      return retry(p)
    case "compaction":
      return compaction(p)
    case "subtask":
      return subtask(p)
    // The files a step changed: its edit calls show them, and the Changes view.
    case "patch":
      return ""
    default:
      return raw(p, `Unrecognised part "${type}"`)
  }
}
