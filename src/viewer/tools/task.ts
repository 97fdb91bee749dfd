/** task: a subagent card with its prompt and result, and the child session inline when the
 * share holds it (items whose session is `metadata.sessionId`). */
import { escape } from "../escape.ts"
import * as Markdown from "../markdown.ts"
import { arr, get, isRec, str } from "../read.ts"
import type { Ctx } from "../context.ts"
import { frame, type Tool } from "./frame.ts"

export function task(t: Tool, ctx: Ctx): string {
  const agent = str(t.input.subagent_type) || "subagent"
  const child = str(t.meta.sessionId)
  const prompt = str(t.input.prompt)
  // The output wraps the result in <task …><task_result>…</task_result></task>.
  const result = /<task_result>\n?([\s\S]*?)\n?<\/task_result>/.exec(t.output)?.[1] ?? t.output.replace(/<task_metadata>[\s\S]*?<\/task_metadata>/g, "").trim()
  const steps = arr(t.meta.summary).filter(isRec).map((s) => `<li><code>${escape(str(s.tool))}</code> ${escape(str(get(s, "state", "title")))} <span class="muted">${escape(str(get(s, "state", "status")))}</span></li>`)
  const inline = child ? ctx.session(child, ctx.depth + 1) : ""
  const body = [
    prompt ? `<div class="prompt"><div class="label">Prompt</div>${Markdown.render(prompt)}</div>` : "",
    steps.length ? `<details class="steps"><summary>${steps.length} steps</summary><ul>${steps.join("")}</ul></details>` : "",
    inline ? `<details class="child" open><summary>Subagent session</summary>${inline}</details>` : "",
    result ? `<div class="result"><div class="label">Result</div>${Markdown.render(result)}</div>` : "",
  ].join("")
  const badge = ` <span class="badge agent">${escape(agent)}</span>${t.meta.background === true ? ' <span class="muted">(background)</span>' : ""}`
  return frame(t, { label: "Task", subtitle: str(t.input.description) || t.title, extra: badge, body, open: true, cls: "task" })
}
