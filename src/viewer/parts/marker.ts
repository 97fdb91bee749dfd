/** Parts that mark an event in the flow: retries, compaction, subtasks. */
import { escape } from "../escape.ts"
import * as Format from "../format.ts"
import { get, num, opt, str, type Rec } from "../read.ts"

export function retry(part: Rec): string {
  const message =
    str(get(part, "error", "data", "message")) || str(get(part, "error", "message")) || str(get(part, "error", "name"))
  const status = opt(get(part, "error", "data", "statusCode"))
  return `<div class="retry" id="p-${escape(str(part.id))}" data-part role="status">↻ Retry ${num(part.attempt)}${status !== undefined ? ` · HTTP ${status}` : ""}${message ? ` · ${escape(message)}` : ""} ${Format.time(opt(get(part, "time", "created")))}</div>`
}

export function compaction(part: Rec): string {
  const why = part.overflow === true ? "context overflow" : part.auto === true ? "automatic" : "manual"
  return `<div class="divider compaction" id="p-${escape(str(part.id))}" data-part role="separator"><span>Compaction · ${why}</span></div>`
}

export function subtask(part: Rec): string {
  const model = str(get(part, "model", "modelID"))
  return `<div class="subtask" id="p-${escape(str(part.id))}" data-part><span class="badge agent">${escape(str(part.agent) || "subagent")}</span> ${escape(str(part.description))}${model ? ` <span class="muted">${escape(model)}</span>` : ""}${str(part.command) ? ` <code>/${escape(str(part.command))}</code>` : ""}<pre class="plain">${escape(str(part.prompt))}</pre></div>`
}

export function agent(part: Rec): string {
  return `<span class="chip agent" id="p-${escape(str(part.id))}" data-part>@${escape(str(part.name))}</span>`
}
