/** read, grep, glob, list and tool search: context the agent gathered. Consecutive calls are
 * grouped into one "Gathered context" row; each call expands to its output (the official viewer
 * hides it). Arguments are read under every agent's names (file_path, dir_path, glob, …). */
import * as Code from "../code.ts"
import { escape } from "../escape.ts"
import * as Format from "../format.ts"
import { arr, num, str } from "../read.ts"
import type { Ctx } from "../context.ts"
import { frame, output, pick, type Tool } from "./frame.ts"

export const GATHER = new Set(["read", "grep", "glob", "list", "toolsearch"])

export function gather(t: Tool, ctx: Ctx): string {
  const body = (t.output ? output(t.output) : output(str(t.meta.preview))) + loaded(t)
  const rel = (p: string) => Format.relative(p, ctx.root)
  const where = pick(t.input, "path", "dir_path", "directory")
  if (t.kind === "read") {
    const range = [
      t.input.offset !== undefined ? `offset=${num(t.input.offset)}` : "",
      t.input.limit !== undefined ? `limit=${num(t.input.limit)}` : "",
    ]
      .filter(Boolean)
      .join(" ")
    const many = [...arr(t.input.paths), ...arr(t.input.include)].filter((p): p is string => typeof p === "string")
    const file =
      pick(t.input, "filePath", "file_path", "absolute_path", "notebook_path", "path") ||
      (many.length ? many.map(rel).join(", ") : t.title)
    const shown = rel(file)
    return frame(t, {
      label: "Read",
      subtitle: shown + (range ? ` ${range}` : ""),
      body: many.length > 1 ? body : read(t, shown),
      cls: "gather",
      icon: "read",
    })
  }
  if (t.kind === "grep") {
    const scope = [
      where && rel(where),
      pick(t.input, "include", "glob", "type") && `include=${pick(t.input, "include", "glob", "type")}`,
    ]
      .filter(Boolean)
      .join(" ")
    const matches =
      t.meta.matches !== undefined
        ? ` <span class="muted">${Format.plural(num(t.meta.matches), "match", "matches")}</span>`
        : ""
    return frame(t, {
      label: "Grep",
      subtitle: `"${str(t.input.pattern)}"${scope ? ` in ${scope}` : ""}`,
      extra: matches,
      body,
      cls: "gather",
      icon: "search",
    })
  }
  if (t.kind === "toolsearch") {
    const matches =
      t.meta.matches !== undefined ? ` <span class="muted">${Format.plural(num(t.meta.matches), "tool")}</span>` : ""
    return frame(t, {
      label: "Tool search",
      subtitle: pick(t.input, "query"),
      extra: matches,
      body,
      cls: "gather",
      icon: "search",
    })
  }
  const counted =
    t.meta.count !== undefined ? ` <span class="muted">${Format.plural(num(t.meta.count), "result")}</span>` : ""
  if (t.kind === "glob")
    return frame(t, {
      label: "Glob",
      subtitle: str(t.input.pattern) + (where ? ` in ${rel(where)}` : ""),
      extra: counted,
      body,
      cls: "gather",
      icon: "search",
    })
  return frame(t, {
    label: "List",
    subtitle: rel(where || t.title || "."),
    extra: counted,
    body,
    cls: "gather",
    icon: "list",
  })
}

/** A file read: its lines as code, without the envelope the model was sent. */
function read(t: Tool, file: string): string {
  const out = t.output || str(t.meta.preview)
  if (!out) return loaded(t)
  const first = num(t.input.offset) > 0 ? num(t.input.offset) + (t.agent === "claude-code" ? 0 : 1) : 1
  const u = Code.unwrap(out, first)
  if (u.kind === "directory") return output(u.lines.map((l) => l.text).join("\n")) + loaded(t)
  const notes =
    u.notes.map((n) => `<p class="muted read-note">${escape(n)}</p>`).join("") +
    (u.reminders.length
      ? `<details class="reminder"><summary>Note the agent's harness added for the model</summary><pre class="plain">${escape(u.reminders.join("\n\n"))}</pre></details>`
      : "")
  return (u.lines.length ? Code.block(u.lines, file) : '<p class="muted">Empty file.</p>') + notes + loaded(t)
}

function loaded(t: Tool): string {
  const files = arr(t.meta.loaded).filter((f): f is string => typeof f === "string")
  return files.length
    ? `<ul class="loaded">${files.map((f) => `<li>Loaded <code>${escape(f)}</code></li>`).join("")}</ul>`
    : ""
}

/** The group's summary line: "3 reads, 1 search". */
export function group(tools: Tool[], inner: string): string {
  const reads = tools.filter((t) => t.kind === "read").length
  const searches = tools.filter((t) => t.kind === "grep" || t.kind === "glob" || t.kind === "toolsearch").length
  const lists = tools.filter((t) => t.kind === "list").length
  const label = [
    reads && Format.plural(reads, "read"),
    searches && Format.plural(searches, "search", "searches"),
    lists && Format.plural(lists, "list"),
  ]
    .filter(Boolean)
    .join(", ")
  const busy = tools.some((t) => !t.idle && (t.status === "pending" || t.status === "running"))
  const failed = tools.filter((t) => t.status === "error").length
  const status = busy
    ? '<span class="status s-running">running…</span>'
    : failed
      ? `<span class="status s-error">${failed} failed</span>`
      : ""
  const files = [
    ...new Set(
      tools
        .filter((t) => t.kind === "read")
        .map((t) => Format.splitPath(pick(t.input, "filePath", "file_path", "absolute_path", "path")).name)
        .filter(Boolean),
    ),
  ]
  const which = files.length
    ? ` <span class="sub">${escape(files.slice(0, 4).join(", "))}${files.length > 4 ? ` +${files.length - 4}` : ""}</span>`
    : ""
  return `<details class="gathered${busy ? " st-running" : ""}"${tools[0]?.expand ? " open" : ""}><summary><span class="ic i-read" aria-hidden="true"></span><span class="tool-name">Gathered context</span> <span class="count">${escape(label)}</span>${which}${status}</summary><div class="gathered-body">${inner}</div></details>`
}
