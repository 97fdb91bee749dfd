/** The page header: title, the agent that wrote the session (or OpenCode's version), models,
 * times and totals of cost, tokens and duration; then the whole-session "Files changed" panel. */
import * as Agent from "./agent.ts"
import * as Diff from "./diff.ts"
import { escape } from "./escape.ts"
import * as Format from "./format.ts"
import * as Redacted from "./redacted.ts"
import type { Transcript } from "./model.ts"
import { get, num, opt, rec, str } from "./read.ts"

export function title(t: Transcript): string {
  return str(t.root.info.title) || "Shared session"
}

/** `redactions`: secrets redacted on upload, shown as a count only. */
export function header(t: Transcript, redactions = 0): string {
  const info = t.root.info
  const version = str(info.version)
  const created = opt(get(info, "time", "created")) ?? t.totals.started
  const updated = opt(get(info, "time", "updated")) ?? t.totals.ended
  const x = t.totals
  const took = x.started !== undefined && x.ended !== undefined ? x.ended - x.started : 0
  const models = t.models.map((m) => `<span class="badge model">${escape(m)}</span>`).join(" ")
  const stat = (label: string, value: string, hint = "") => `<div class="stat"${hint ? ` title="${escape(hint)}"` : ""}><dt>${label}</dt><dd>${value}</dd></div>`
  const sessionCost = num(info.cost)
  const stats = [
    stat("Cost", Format.cost(Math.max(x.cost, sessionCost))),
    stat("Input", Format.tokens(x.input), `${x.input} input tokens`),
    stat("Output", Format.tokens(x.output), `${x.output} output tokens`),
    stat("Reasoning", Format.tokens(x.reasoning), `${x.reasoning} reasoning tokens`),
    stat("Cache", `${Format.tokens(x.cacheRead)} / ${Format.tokens(x.cacheWrite)}`, "cache read / write tokens"),
    stat("Duration", Format.duration(took)),
    stat("Messages", String(x.messages)),
  ].join("")
  const agent = Agent.label(info)
  const branch = str(rec(info.source).branch)
  const source = agent && `<span class="badge source" title="The agent that wrote this session">${escape(agent)}</span>${branch ? ` <span class="badge branch" title="git branch">⎇ ${escape(branch)}</span>` : ""}`
  const meta = [source, version && `<span class="badge">v${escape(version.replace(/^v/, ""))}</span>`, models, created !== undefined && `created ${Format.time(created)}`, updated !== undefined && updated !== created && `updated ${Format.time(updated)}`].filter(Boolean).join(" ")
  const sub = t.sessions.size > 1 ? ` <span class="muted">· ${t.sessions.size - 1} subagent ${t.sessions.size === 2 ? "session" : "sessions"} included</span>` : ""
  return `<header class="top" id="top" data-seq="${t.seq}"><h1>${escape(title(t))}</h1><div class="meta">${meta}${sub}</div>${Redacted.notice(redactions)}<dl class="stats">${stats}</dl>${files(t)}</header>`
}

export function files(t: Transcript): string {
  return Diff.list(t.root.diffs, "Files changed", false)
}
