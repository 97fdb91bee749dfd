/** todowrite and todoread: the plan as a checklist with each item's status. */
import { escape } from "../escape.ts"
import { arr, isRec, str } from "../read.ts"
import { frame, type Tool } from "./frame.ts"

const MARK: Record<string, string> = { completed: "✓", in_progress: "◐", cancelled: "✕", pending: "○" }

export function todo(t: Tool): string {
  const todos = (Array.isArray(t.meta.todos) ? arr(t.meta.todos) : arr(t.input.todos)).filter(isRec)
  const done = todos.filter((x) => x.status === "completed").length
  const items = todos.map((x) => {
    const status = str(x.status) || "pending"
    const priority = str(x.priority)
    return `<li class="todo t-${escape(status)}"><span class="mark" aria-hidden="true">${Object.hasOwn(MARK, status) ? MARK[status] : "•"}</span> <span class="what">${escape(str(x.content))}</span> <span class="muted">${escape(status.replace("_", " "))}${priority ? ` · ${escape(priority)}` : ""}</span></li>`
  })
  const body = items.length ? `<ul class="todos">${items.join("")}</ul>` : ""
  return frame(t, { label: "To-dos", subtitle: `${done}/${todos.length} done`, body, open: true, cls: "todo" })
}
