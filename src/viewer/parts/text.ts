/** Text parts: the user's prompt as plain text with @file/@agent mentions highlighted from
 * their offsets, assistant text and reasoning as Markdown. */
import { escape } from "../escape.ts"
import * as Markdown from "../markdown.ts"
import { get, opt, str, type Rec } from "../read.ts"

type Span = { start: number; end: number; kind: string }

/** Mention ranges from the message's file and agent parts, clamped and non-overlapping. */
export function mentions(parts: Rec[], length: number): Span[] {
  const spans: Span[] = []
  for (const p of parts) {
    const src = p.type === "file" ? get(p, "source", "text") : p.type === "agent" ? p.source : undefined
    const start = opt(get(src, "start"))
    const end = opt(get(src, "end"))
    if (start === undefined || end === undefined) continue
    const s = Math.max(0, Math.floor(start))
    const e = Math.min(length, Math.floor(end))
    if (e > s) spans.push({ start: s, end: e, kind: p.type === "agent" ? "agent" : "file" })
  }
  spans.sort((a, b) => a.start - b.start)
  const out: Span[] = []
  for (const s of spans) if (!out.length || s.start >= out[out.length - 1].end) out.push(s)
  return out
}

/** `by`: who added a synthetic part ("OpenCode", or the agent that wrote the session). */
export function user(part: Rec, siblings: Rec[], by = "OpenCode"): string {
  const value = str(part.text)
  const id = escape(str(part.id))
  if (part.synthetic === true) {
    return `<details class="synthetic" id="p-${id}"><summary>Context added by ${escape(by)}</summary><pre class="plain">${escape(value)}</pre></details>`
  }
  const spans = mentions(siblings, value.length)
  let html = ""
  let at = 0
  for (const s of spans) {
    html += `${escape(value.slice(at, s.start))}<span class="mention ${s.kind}">${escape(value.slice(s.start, s.end))}</span>`
    at = s.end
  }
  html += escape(value.slice(at))
  return `<div class="user-text" id="p-${id}" data-part>${html}</div>`
}

export function assistant(part: Rec, idle = false): string {
  const value = str(part.text)
  if (!value.trim() || part.synthetic === true) return ""
  const streaming = !idle && part.time !== undefined && opt(get(part, "time", "end")) === undefined
  return `<div class="md text${streaming ? " streaming" : ""}" id="p-${escape(str(part.id))}" data-part>${Markdown.render(value)}</div>`
}

/** Collapsed, even while it streams: the answer is what a reader came for. */
export function reasoning(part: Rec, idle = false): string {
  const value = str(part.text)
  if (!value.trim()) return ""
  const start = opt(get(part, "time", "start"))
  const end = opt(get(part, "time", "end"))
  const took =
    start !== undefined && end !== undefined && end - start >= 1000
      ? ` <span class="muted">${Math.round((end - start) / 1000)}s</span>`
      : ""
  const streaming = !idle && start !== undefined && end === undefined
  return `<details class="reasoning" id="p-${escape(str(part.id))}" data-part><summary><span class="ic i-think" aria-hidden="true"></span>Thinking${took}${streaming ? ' <span class="status s-running">thinking…</span>' : ""}</summary><div class="md">${Markdown.render(value)}</div></details>`
}
