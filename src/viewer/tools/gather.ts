/** read, grep, glob, list and tool search: context the agent gathered. Consecutive calls are
 * grouped into one "Gathered context" row; each call expands to its output (the official viewer
 * hides it). Arguments are read under every agent's names (file_path, dir_path, glob, …). */
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
    const range = [t.input.offset !== undefined ? `offset=${num(t.input.offset)}` : "", t.input.limit !== undefined ? `limit=${num(t.input.limit)}` : ""].filter(Boolean).join(" ")
    const many = [...arr(t.input.paths), ...arr(t.input.include)].filter((p): p is string => typeof p === "string")
    const file = pick(t.input, "filePath", "file_path", "absolute_path", "notebook_path", "path") || (many.length ? many.map(rel).join(", ") : t.title)
    return frame(t, { label: "Read", subtitle: rel(file) + (range ? ` ${range}` : ""), body, cls: "gather" })
  }
  if (t.kind === "grep") {
    const scope = [where && rel(where), pick(t.input, "include", "glob", "type") && `include=${pick(t.input, "include", "glob", "type")}`].filter(Boolean).join(" ")
    const matches = t.meta.matches !== undefined ? ` <span class="muted">${Format.plural(num(t.meta.matches), "match", "matches")}</span>` : ""
    return frame(t, { label: "Grep", subtitle: `"${str(t.input.pattern)}"${scope ? ` in ${scope}` : ""}`, extra: matches, body, cls: "gather" })
  }
  if (t.kind === "toolsearch") {
    const matches = t.meta.matches !== undefined ? ` <span class="muted">${Format.plural(num(t.meta.matches), "tool")}</span>` : ""
    return frame(t, { label: "Tool search", subtitle: pick(t.input, "query"), extra: matches, body, cls: "gather" })
  }
  const counted = t.meta.count !== undefined ? ` <span class="muted">${Format.plural(num(t.meta.count), "result")}</span>` : ""
  if (t.kind === "glob") return frame(t, { label: "Glob", subtitle: str(t.input.pattern) + (where ? ` in ${rel(where)}` : ""), extra: counted, body, cls: "gather" })
  return frame(t, { label: "List", subtitle: rel(where || t.title || "."), extra: counted, body, cls: "gather" })
}

function loaded(t: Tool): string {
  const files = arr(t.meta.loaded).filter((f): f is string => typeof f === "string")
  return files.length ? `<ul class="loaded">${files.map((f) => `<li>Loaded <code>${escape(f)}</code></li>`).join("")}</ul>` : ""
}

/** The group's summary line: "3 reads, 1 search". */
export function group(tools: Tool[], inner: string): string {
  const reads = tools.filter((t) => t.kind === "read").length
  const searches = tools.filter((t) => t.kind === "grep" || t.kind === "glob" || t.kind === "toolsearch").length
  const lists = tools.filter((t) => t.kind === "list").length
  const label = [reads && Format.plural(reads, "read"), searches && Format.plural(searches, "search", "searches"), lists && Format.plural(lists, "list")].filter(Boolean).join(", ")
  const busy = tools.some((t) => t.status === "pending" || t.status === "running")
  const failed = tools.some((t) => t.status === "error")
  return `<details class="gathered${busy ? " st-running" : ""}"${busy || failed ? " open" : ""}><summary><span class="tool-name">Gathered context</span> <span class="sub">${escape(label)}</span>${busy ? ' <span class="status s-running">running…</span>' : ""}</summary>${inner}</details>`
}
