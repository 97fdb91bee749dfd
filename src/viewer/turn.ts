/**
 * One turn: the user's message, then every assistant message that answers it, with errors,
 * interruptions, per-step usage and the turn's file changes. Anchors: `t-<turn>` for the
 * turn, `m-<message>` for each message, `p-<part>` for each part.
 */
import * as Budget from "./budget.ts"
import type { Ctx } from "./context.ts"
import * as Diff from "./diff.ts"
import { escape } from "./escape.ts"
import * as Format from "./format.ts"
import type { Msg, Turn } from "./model.ts"
import * as Parts from "./parts/index.ts"
import { get, opt, rec, str, type Rec } from "./read.ts"
import * as Tools from "./tools/index.ts"
import * as Usage from "./usage.ts"

export type Nav = { prev?: string; next?: string }

export function turn(t: Turn, ctx: Ctx, nav: Nav = {}): string {
  const user = t.user
  const created = opt(get(user?.info, "time", "created"))
  const last = t.replies.at(-1)
  const done = opt(get(last?.info, "time", "completed"))
  const agent = str(user?.info.agent) || str(last?.info.agent) || str(last?.info.mode)
  const model = str(get(user?.info, "model", "modelID")) || str(last?.info.modelID)
  const took = created !== undefined && done !== undefined && done > created ? Format.duration(done - created) : ""
  const running = t.replies.some(
    (m) => m.role === "assistant" && opt(get(m.info, "time", "completed")) === undefined && !m.info.error,
  )
  // A share that went quiet (IDLE_AFTER) reads as ended: its last sync is when it stopped.
  const state =
    running &&
    (ctx.idle
      ? '<span class="status s-stopped">stopped updating</span>'
      : '<span class="status s-running">working…</span>')
  const meta = [
    agent && `<span class="badge agent">${escape(agent)}</span>`,
    model && escape(model),
    Format.time(created),
    took && `took ${took}`,
    state,
  ]
    .filter(Boolean)
    .join(" · ")
  const links = [
    nav.prev !== undefined ? `<a href="${escape(nav.prev)}" rel="prev" aria-label="Previous turn">↑</a>` : "",
    nav.next !== undefined ? `<a href="${escape(nav.next)}" rel="next" aria-label="Next turn">↓</a>` : "",
  ].join("")
  const head = `<header class="turn-head"><a class="anchor" href="#t-${escape(t.id)}" title="Link to this turn">#${t.index + 1}</a> <span class="meta">${meta}</span><span class="nav">${links}</span></header>`
  const prompt = user
    ? `<div class="msg user" id="m-${escape(user.id)}">${user.parts.map((p) => Budget.take(ctx, Parts.part(p, "user", user.parts, ctx))).join("")}</div>`
    : ""
  const answers = replies(t.replies, ctx)
  const diffs = Diff.list(
    Array.isArray(get(user?.info, "summary", "diffs")) ? (get(user?.info, "summary", "diffs") as unknown[]) : [],
    "Changes in this turn",
  )
  const revert = str(get(ctx.transcript.sessions.get(str(user?.info.sessionID))?.info, "revert", "messageID"))
  const reverted =
    revert && [user, ...t.replies].some((m) => m?.id === revert)
      ? '<div class="divider revert" role="note"><span>The session was reverted to here: what follows may have been undone</span></div>'
      : ""
  return `<section class="turn" id="t-${escape(t.id)}" data-turn="${escape(t.id)}" data-seq="${t.seq}"${running && !ctx.idle ? " data-running" : ""} tabindex="-1">${head}${reverted}${prompt}${answers}${Usage.usage(t.replies, ctx.transcript)}${diffs}</section>`
}

type Gathered = { tools: Tools.Tool[]; html: string[] }

/**
 * The turn's answers. Reads and searches in a row are one "Gathered context" row, also across
 * messages: agents that write one message per model response (Claude Code, Codex) make each
 * call its own message, and the group still forms; a message wholly taken into the group above
 * keeps its (empty) anchor.
 */
function replies(list: Msg[], ctx: Ctx): string {
  const out: string[] = []
  let gathered: Gathered | undefined
  let host: string[] | undefined
  const flush = () => {
    if (gathered && host)
      host.push(
        gathered.tools.length > 1 ? Tools.gatherGroup(gathered.tools, gathered.html.join("")) : gathered.html.join(""),
      )
    gathered = undefined
    host = undefined
  }
  const close: (() => void)[] = []
  for (const m of list) {
    const body: string[] = []
    for (const p of m.parts) {
      if (ctx.budget.left <= 0) break
      if (Tools.gathers(p, ctx)) {
        if (!gathered) {
          gathered = { tools: [], html: [] }
          host = body
        }
        gathered.tools.push(Tools.read(p, ctx))
        gathered.html.push(Budget.take(ctx, Parts.part(p, m.role, m.parts, ctx)))
        continue
      }
      const html = Budget.take(ctx, Parts.part(p, m.role || "assistant", m.parts, ctx))
      if (!html) continue
      flush()
      body.push(html)
    }
    const err = error(rec(m.info.error))
    if (err) flush()
    const role = m.role === "user" || m.role === "assistant" ? m.role : "other"
    const summary =
      m.info.summary === true ? '<div class="divider"><span>Summary of earlier conversation</span></div>' : ""
    // The message's HTML is put together once its group (which may go on below) is done.
    const index = out.push("") - 1
    close.push(() => {
      out[index] = `<div class="msg ${role}" id="m-${escape(m.id)}">${summary}${body.join("")}${err}</div>`
    })
  }
  flush()
  for (const c of close) c()
  return out.join("")
}

/** The message's error: an abort is "Interrupted", anything else an error card. */
export function error(e: Rec): string {
  const name = str(e.name)
  if (!name) return ""
  const data = rec(e.data)
  if (name === "MessageAbortedError")
    return '<div class="divider interrupted" role="status"><span>Interrupted</span></div>'
  const message = unwrap(str(data.message)) || name
  const status = opt(data.statusCode)
  return `<div class="error-card" role="alert"><strong>${escape(name)}</strong>${status !== undefined ? ` <span class="muted">HTTP ${status}</span>` : ""}<p>${escape(message)}</p>${str(data.responseBody) ? `<details><summary>Response body</summary><pre>${escape(Format.clip(str(data.responseBody), 10_000).text)}</pre></details>` : ""}</div>`
}

/** Provider errors often carry JSON; show its type and message rather than the blob. */
function unwrap(message: string): string {
  if (!message.startsWith("{")) return message
  try {
    const j = JSON.parse(message) as unknown
    const inner = rec(get(j, "error"))
    const text = str(inner.message) || str(get(j, "message"))
    return text ? `${str(inner.type) || str(get(j, "type")) || "error"}: ${text}` : message
  } catch {
    return message
  }
}
