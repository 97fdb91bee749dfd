/** The frame every tool call is drawn in: name, subtitle, status, timing, body, error. */
import { escape } from "../escape.ts"
import * as Format from "../format.ts"
import { get, opt, rec, str, text, type Rec } from "../read.ts"
import { kind } from "./kind.ts"

export type Tool = {
  part: Rec
  name: string
  /** The renderer that draws it: OpenCode's tool name, or the match for another agent's tool. */
  kind: string
  /** The agent of the tool's session; "" for OpenCode. */
  agent: string
  status: string
  input: Rec
  meta: Rec
  output: string
  error: string
  title: string
}

export function read(part: Rec, agent = ""): Tool {
  const state = rec(part.state)
  return {
    part,
    name: str(part.tool) || "tool",
    kind: kind(part, agent),
    agent: agent === "opencode" ? "" : agent,
    status: str(state.status) || "pending",
    input: rec(state.input),
    meta: rec(state.metadata),
    output: typeof state.output === "string" ? state.output : "",
    error: typeof state.error === "string" ? state.error : "",
    title: str(state.title),
  }
}

const STATUS: Record<string, string> = { pending: "pending", running: "running…", completed: "", error: "error" }

export type FrameOptions = { label: string; subtitle?: string; extra?: string; body?: string; open?: boolean; cls?: string }

export function frame(t: Tool, o: FrameOptions): string {
  const status = Object.hasOwn(STATUS, t.status) ? t.status : "unknown"
  const start = opt(get(t.part, "state", "time", "start"))
  const end = opt(get(t.part, "state", "time", "end"))
  const took = start !== undefined && end !== undefined && end - start >= 1000 ? `<span class="took">${Format.duration(end - start)}</span>` : ""
  const badge = STATUS[status] ?? status
  const interrupted = t.meta.interrupted === true
  const err = t.status === "error" ? `<div class="tool-error" role="alert"><strong>${interrupted ? "Interrupted" : "Error"}</strong> ${escape(t.error.replace(/^Error:\s*/, ""))}</div>` : ""
  const summary = `<summary><span class="tool-name">${escape(o.label)}</span>${o.subtitle ? ` <span class="sub">${escape(o.subtitle)}</span>` : ""}${o.extra ?? ""}${badge ? ` <span class="status s-${status}">${escape(badge)}</span>` : ""}${took}</summary>`
  const body = (o.body ?? "") + err
  const open = o.open || t.status === "error" || t.status === "running"
  return `<details class="tool ${o.cls ?? ""} st-${status}" id="p-${escape(str(t.part.id))}" data-part${open ? " open" : ""}>${summary}<div class="tool-body">${body || '<p class="muted">No output.</p>'}</div></details>`
}

/** Output text in a scrollable block, cut at a bound with a note. */
export function output(value: string, cls = "out", max = 60_000): string {
  if (!value) return ""
  const c = Format.clip(value, max)
  return `<pre class="${cls}">${escape(c.text)}${c.cut ? `\n<span class="muted">… ${c.cut} more characters</span>` : ""}</pre>`
}

/** Arguments as a key/value table; nested values as JSON. */
export function args(input: Rec): string {
  const keys = Object.keys(input)
  if (keys.length === 0) return ""
  const rows = keys.slice(0, 50).map((k) => {
    const v = input[k]
    const shown = Format.clip(text(v), 4000)
    return `<tr><th>${escape(k)}</th><td><pre>${escape(shown.text)}${shown.cut ? "…" : ""}</pre></td></tr>`
  })
  return `<table class="args">${rows.join("")}</table>`
}

/** The first string among `keys` of `input`: the agents name the same argument differently
 * (filePath, file_path, absolute_path; command, cmd). */
export function pick(input: Rec, ...keys: string[]): string {
  for (const k of keys) if (typeof input[k] === "string" && input[k]) return input[k] as string
  return ""
}

export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "").replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, "")
}
