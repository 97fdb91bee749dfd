/** task: a subagent card with its prompt and result, and the child session inline when the
 * share holds it (items whose session is `metadata.sessionId`). Other agents' sub-agent tools
 * (Agent, spawn_agent, invoke_agent, and Codex's wait/send tools) use it too. */
import { escape } from "../escape.ts"
import * as Markdown from "../markdown.ts"
import { arr, get, isRec, str } from "../read.ts"
import type { Ctx } from "../context.ts"
import { frame, pick, type Tool } from "./frame.ts"

/** Tools that start a sub-agent, and (Codex) those that talk to one already running. */
const SPAWN = new Set(["task", "Task", "Agent", "spawn_agent", "invoke_agent"])
const COLLAB = new Set([
  "wait_agent",
  "wait",
  "send_message",
  "followup_task",
  "interrupt_agent",
  "close_agent",
  "list_agents",
])

export function task(t: Tool, ctx: Ctx): string {
  // Gemini's older sub-agents are tools named after the agent (codebase_investigator).
  const named = t.agent && !SPAWN.has(t.name) && !COLLAB.has(t.name) ? t.name : ""
  const agent = pick(t.input, "subagent_type", "agent_name", "task_name") || named || "subagent"
  const child = str(t.meta.sessionId)
  const prompt = pick(t.input, "prompt", "message", "objective", "task")
  // The output wraps the result in <task …><task_result>…</task_result></task>.
  const result =
    /<task_result>\n?([\s\S]*?)\n?<\/task_result>/.exec(t.output)?.[1] ??
    t.output.replace(/<task_metadata>[\s\S]*?<\/task_metadata>/g, "").trim()
  const steps = arr(t.meta.summary)
    .filter(isRec)
    .map(
      (s) =>
        `<li><code>${escape(str(s.tool))}</code> ${escape(str(get(s, "state", "title")))} <span class="muted">${escape(str(get(s, "state", "status")))}</span></li>`,
    )
  const inline = child ? ctx.session(child, ctx.depth + 1) : ""
  const body = [
    prompt ? `<div class="prompt"><div class="label">Prompt</div>${Markdown.render(prompt)}</div>` : "",
    steps.length
      ? `<details class="steps"><summary>${steps.length} steps</summary><ul>${steps.join("")}</ul></details>`
      : "",
    inline ? `<details class="child"><summary>Subagent session</summary>${inline}</details>` : "",
    result ? `<div class="result"><div class="label">Result</div>${Markdown.render(result)}</div>` : "",
  ].join("")
  const badge = `<span class="badge agent">${escape(agent)}</span>${t.meta.background === true ? ' <span class="muted">(background)</span>' : ""}`
  const label = t.agent && COLLAB.has(t.name) ? t.name.replace(/_/g, " ") : "Task"
  return frame(t, { label, subtitle: str(t.input.description) || t.title, extra: badge, body, cls: "task" })
}
