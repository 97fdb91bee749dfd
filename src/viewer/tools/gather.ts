/** read, grep, glob and list: context the agent gathered. Consecutive calls are grouped into
 * one "Gathered context" row; each call expands to its output (the official viewer hides it). */
import { escape } from "../escape.ts"
import * as Format from "../format.ts"
import { arr, num, str } from "../read.ts"
import type { Ctx } from "../context.ts"
import { frame, output, type Tool } from "./frame.ts"

export const GATHER = new Set(["read", "grep", "glob", "list"])

export function gather(t: Tool, ctx: Ctx): string {
  const body = (t.output ? output(t.output) : output(str(t.meta.preview))) + loaded(t)
  if (t.name === "read") {
    const range = [t.input.offset !== undefined ? `offset=${num(t.input.offset)}` : "", t.input.limit !== undefined ? `limit=${num(t.input.limit)}` : ""].filter(Boolean).join(" ")
    return frame(t, { label: "Read", subtitle: Format.relative(str(t.input.filePath) || t.title, ctx.root) + (range ? ` ${range}` : ""), body, cls: "gather" })
  }
  if (t.name === "grep") {
    const where = [str(t.input.path) && Format.relative(str(t.input.path), ctx.root), str(t.input.include) && `include=${str(t.input.include)}`].filter(Boolean).join(" ")
    const matches = t.meta.matches !== undefined ? ` <span class="muted">${Format.plural(num(t.meta.matches), "match", "matches")}</span>` : ""
    return frame(t, { label: "Grep", subtitle: `"${str(t.input.pattern)}"${where ? ` in ${where}` : ""}`, extra: matches, body, cls: "gather" })
  }
  const counted = t.meta.count !== undefined ? ` <span class="muted">${Format.plural(num(t.meta.count), "result")}</span>` : ""
  if (t.name === "glob") return frame(t, { label: "Glob", subtitle: str(t.input.pattern) + (str(t.input.path) ? ` in ${Format.relative(str(t.input.path), ctx.root)}` : ""), extra: counted, body, cls: "gather" })
  return frame(t, { label: "List", subtitle: Format.relative(str(t.input.path) || t.title || ".", ctx.root), extra: counted, body, cls: "gather" })
}

function loaded(t: Tool): string {
  const files = arr(t.meta.loaded).filter((f): f is string => typeof f === "string")
  return files.length ? `<ul class="loaded">${files.map((f) => `<li>Loaded <code>${escape(f)}</code></li>`).join("")}</ul>` : ""
}

/** The group's summary line: "3 reads, 1 search". */
export function group(tools: Tool[], inner: string): string {
  const reads = tools.filter((t) => t.name === "read").length
  const searches = tools.filter((t) => t.name === "grep" || t.name === "glob").length
  const lists = tools.filter((t) => t.name === "list").length
  const label = [reads && Format.plural(reads, "read"), searches && Format.plural(searches, "search", "searches"), lists && Format.plural(lists, "list")].filter(Boolean).join(", ")
  const busy = tools.some((t) => t.status === "pending" || t.status === "running")
  const failed = tools.some((t) => t.status === "error")
  return `<details class="gathered${busy ? " st-running" : ""}"${busy || failed ? " open" : ""}><summary><span class="tool-name">Gathered context</span> <span class="sub">${escape(label)}</span>${busy ? ' <span class="status s-running">running…</span>' : ""}</summary>${inner}</details>`
}
