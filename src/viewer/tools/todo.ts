/** todowrite and todoread, and the other agents' lists and plans (TodoWrite, TaskCreate,
 * update_plan, write_todos, ExitPlanMode): a checklist with each item's status, or the plan. */
import { escape } from "../escape.ts"
import * as Markdown from "../markdown.ts"
import { arr, isRec, str, type Rec } from "../read.ts"
import { frame, pick, type Tool } from "./frame.ts"

const MARK: Record<string, string> = { completed: "✓", in_progress: "◐", cancelled: "✕", pending: "○" }

/** An item's text under its agent's name for it. */
const what = (x: Rec) => str(x.content) || str(x.description) || str(x.step) || str(x.subject)

export function todo(t: Tool): string {
  const plan = pick(t.input, "plan") || str(t.meta.plan)
  if (t.kind === "plan") {
    const body = plan ? `<div class="md plan">${Markdown.render(plan)}</div>` : ""
    return frame(t, { label: "Plan", subtitle: pick(t.input, "explanation", "reason"), body, cls: "todo" })
  }
  const todos = (
    Array.isArray(t.meta.todos) ? arr(t.meta.todos) : arr(t.input.todos).length ? arr(t.input.todos) : arr(t.input.plan)
  ).filter(isRec)
  const done = todos.filter((x) => x.status === "completed").length
  const items = todos.map((x) => {
    const status = str(x.status) || "pending"
    const priority = str(x.priority)
    return `<li class="todo t-${escape(status)}"><span class="mark" aria-hidden="true">${Object.hasOwn(MARK, status) ? MARK[status] : "•"}</span> <span class="what">${escape(what(x))}</span> <span class="muted">${escape(status.replace("_", " "))}${priority ? ` · ${escape(priority)}` : ""}</span></li>`
  })
  const explanation = pick(t.input, "explanation")
  const body =
    (explanation ? `<p class="muted">${escape(explanation)}</p>` : "") +
    (items.length ? `<ul class="todos">${items.join("")}</ul>` : "")
  return frame(t, {
    label: t.name === "update_plan" ? "Plan" : "To-dos",
    subtitle: `${done}/${todos.length} done`,
    body,
    cls: "todo",
  })
}
