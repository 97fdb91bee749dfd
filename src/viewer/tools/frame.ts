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
  /** The share went quiet (IDLE_AFTER): a call still running will not finish. */
  idle: boolean
  /** Every row is drawn open (the no-script "expand all"). */
  expand: boolean
}

export function read(part: Rec, agent = "", view: { idle?: boolean; expand?: boolean } = {}): Tool {
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
    idle: view.idle ?? false,
    expand: view.expand ?? false,
  }
}

/** Icons by renderer class (CSS draws them): one look per family, whichever agent. */
const ICON: Record<string, string> = {
  bash: "shell",
  gather: "read",
  edit: "edit",
  write: "edit",
  web: "web",
  todo: "todo",
  task: "task",
  question: "question",
  generic: "tool",
}

export type FrameOptions = {
  label: string
  /** The call's target (a file, a command, a query): one line, cut with an ellipsis. */
  subtitle?: string
  extra?: string
  body?: string
  cls?: string
  /** A longer description of the target (the command's description), as a tooltip and above the body. */
  hint?: string
  /** The gathered-context icon for reads, searches and lists. */
  icon?: string
}

/** The row's status: words for screen readers, a mark for the eye. */
function status(t: Tool): string {
  const interrupted = t.meta.interrupted === true
  if (t.status === "completed")
    return '<span class="status s-completed" title="completed"><span class="vh">completed</span></span>'
  if (t.status === "error") return `<span class="status s-error">${interrupted ? "interrupted" : "failed"}</span>`
  if (t.idle && (t.status === "running" || t.status === "pending"))
    return '<span class="status s-stopped" title="The share stopped updating before this call finished">no result</span>'
  if (t.status === "running") return '<span class="status s-running">running…</span>'
  if (t.status === "pending") return '<span class="status s-pending">pending</span>'
  return `<span class="status s-unknown">${escape(t.status)}</span>`
}

/**
 * One compact row per call: icon, tool, target, status and duration in the summary; the
 * details (arguments, output, diffs) one click away inside it, and in the HTML.
 */
export function frame(t: Tool, o: FrameOptions): string {
  const state = Object.hasOwn({ pending: 1, running: 1, completed: 1, error: 1 }, t.status)
    ? t.idle && (t.status === "running" || t.status === "pending")
      ? "stopped"
      : t.status
    : "unknown"
  const start = opt(get(t.part, "state", "time", "start"))
  const end = opt(get(t.part, "state", "time", "end"))
  const took =
    start !== undefined && end !== undefined && end - start >= 100
      ? `<span class="took">${Format.duration(end - start)}</span>`
      : '<span class="took"></span>'
  const interrupted = t.meta.interrupted === true
  const err =
    t.status === "error"
      ? `<div class="tool-error" role="note"><strong>${interrupted ? "Interrupted" : "Error"}</strong> ${escape(t.error.replace(/^Error:\s*/, ""))}</div>`
      : ""
  const cls = o.cls ?? "generic"
  const icon = o.icon ?? ICON[cls] ?? "tool"
  const title = o.hint ? ` title="${escape(o.hint)}"` : ""
  const summary = `<summary><span class="ic i-${icon}" aria-hidden="true"></span><span class="tool-name">${escape(o.label)}</span>${o.subtitle ? ` <span class="sub"${title}>${escape(o.subtitle)}</span>` : ""}${o.extra ? `<span class="extra">${o.extra}</span>` : ""}${status(t)}${took}</summary>`
  const hint = o.hint && o.hint !== o.subtitle ? `<p class="hint">${escape(o.hint)}</p>` : ""
  const body = hint + (o.body ?? "") + err
  return `<details class="tool ${cls} st-${state}" id="p-${escape(str(t.part.id))}" data-part${t.expand ? " open" : ""}>${summary}<div class="tool-body">${body || '<p class="muted">No output.</p>'}</div></details>`
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
