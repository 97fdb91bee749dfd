/**
 * The share page, rendered on the server from a share's transcript: complete without
 * JavaScript, every value escaped. It renders only its window of turns (plus the outline);
 * a turn's HTML is memoised by the turn's seq, so repeated views cost almost nothing.
 */
import * as Budget from "./budget.ts"
import type { Ctx } from "./context.ts"
import { escape } from "./escape.ts"
import * as Agent from "./agent.ts"
import * as Header from "./header.ts"
import * as Layout from "./layout.ts"
import type { Transcript, Turn } from "./model.ts"
import * as Outline from "./outline.ts"
import * as Redacted from "./redacted.ts"
import { raw } from "./parts/raw.ts"
import { get, str } from "./read.ts"
import * as Session from "./session.ts"
import { turn } from "./turn.ts"
import * as Window from "./window.ts"

export type PageInput = {
  id: string
  transcript: Transcript
  noindex: boolean
  turns?: string
  at?: string
  /** Secrets redacted on upload in the share's items (the share record's count). */
  redactions?: number
}

/** Rendered turns by transcript, keyed by turn id and seq (a new sync bumps the seq). */
const memo = new WeakMap<Transcript, Map<string, string>>()

/** What rendering one root turn needs: a fresh output budget and no child session shown yet. */
export function context(t: Transcript, turnID = ""): Ctx {
  const ctx: Ctx = {
    transcript: t,
    root: str(get(t.root.messages.find((m) => m.role === "assistant")?.info, "path", "root")) || str(t.root.info.directory),
    depth: 0,
    turnID,
    shown: new Set(),
    budget: Budget.fresh(),
    session: (id, depth) => Session.inline(ctx, id, depth),
  }
  return ctx
}

export function renderTurn(t: Transcript, x: Turn, w: Window.Window): string {
  const total = t.root.turns.length
  const prev = x.index > 0 ? Window.href(w, x.index - 1, t.root.turns[x.index - 1].id, total) : undefined
  const next = x.index + 1 < total ? Window.href(w, x.index + 1, t.root.turns[x.index + 1].id, total) : undefined
  const key = `${x.id}\u0000${x.seq}\u0000${prev}\u0000${next}`
  let cache = memo.get(t)
  if (!cache) memo.set(t, (cache = new Map()))
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const html = turn(x, context(t, x.id), { prev, next })
  cache.set(key, html)
  return html
}

/** Where `at` (a turn, message or part id, with or without its t-/m-/p- prefix) lives. */
export function locate(t: Transcript, at: string | undefined): number | undefined {
  if (!at) return undefined
  const id = at.replace(/^[tmp]-/, "")
  const turnID = t.turnOf.get(id) ?? t.turnOf.get(t.partMessage.get(id) ?? "")
  return turnID === undefined ? undefined : t.root.turns.findIndex((x) => x.id === turnID)
}

export function description(t: Transcript): string {
  const models = t.models.length > 2 ? `${t.models[0]} & ${t.models.length - 1} others` : t.models.join(" & ")
  const n = t.root.messages.length
  const agent = Agent.label(t.root.info) || (str(t.root.info.version) && `OpenCode v${str(t.root.info.version).replace(/^v/, "")}`)
  return [models, `${n} ${n === 1 ? "message" : "messages"}`, agent].filter(Boolean).join(" · ")
}

/** Renders items in order until their HTML passes PAGE_HTML, then ends with `cut(shown)`. */
function bounded<T>(items: T[], render: (item: T) => string, cut: (shown: number) => string): string {
  const out: string[] = []
  let size = 0
  for (const item of items) {
    if (size > Budget.PAGE_HTML) {
      out.push(cut(out.length))
      break
    }
    const html = render(item)
    size += html.length
    out.push(html)
  }
  return out.join("")
}

export function share(input: PageInput): string {
  const t = input.transcript
  const turns = t.root.turns
  const base = `/share/${encodeURIComponent(input.id)}`
  const w = Window.parse(turns.length, input.turns, locate(t, input.at))
  const body = bounded(turns.slice(w.from, w.to), (x) => renderTurn(t, x, w), (shown) => Budget.pageCut(escape(base), shown, w.to - w.from))
  const empty = turns.length === 0 ? '<p class="empty">This share has no messages yet.</p>' : ""
  const status = '<div class="live" role="status" aria-live="polite"><span class="dot"></span> <span class="live-label">Live updates need JavaScript; reload to refresh.</span></div>'
  const main = `<main id="main" data-from="${w.from}" data-to="${w.to}" data-total="${turns.length}">${Outline.pager(w, turns.length, "before", base)}${body}${empty}${Outline.pager(w, turns.length, "after", base)}</main>`
  const other = t.root.other.length ? `<details class="other"><summary>${t.root.other.length} item(s) of types this viewer does not know</summary>${t.root.other.slice(0, 100).map((i) => raw(i.data, i.type)).join("")}</details>` : ""
  const footer = `<footer>${other}${status}<p><a href="${escape(base)}.md">Markdown</a> · <a id="json" href="${escape(base)}.json">JSON</a> · shared with agentshare</p></footer>`
  const page = Redacted.mark(`<div class="page">${Outline.outline(turns, w)}<div class="content">${Header.header(t, input.redactions)}${main}${footer}</div></div>`)
  return Layout.document({
    title: `${Header.title(t)} | agentshare`,
    description: description(t),
    noindex: input.noindex,
    base,
    live: { share: input.id, seq: String(t.seq), latest: w.latest ? "1" : "0", from: String(w.from), to: String(w.to) },
  }, page)
}

/** Server-rendered pieces for the live script: the header and the given turns, each in a
 * <template> it can swap in. */
export function fragment(t: Transcript, ids: string[], w: Window.Window, redactions = 0): string {
  const total = t.root.turns.length
  const wanted = new Set(ids)
  const out = [`<template data-kind="header" data-seq="${t.seq}" data-total="${total}">${Header.header(t, redactions)}</template>`]
  let size = 0
  for (const x of t.root.turns) {
    if (!wanted.has(x.id)) continue
    // Past the page's budget the script is told nothing more; it reloads what it misses.
    if (size > Budget.PAGE_HTML) break
    size += renderTurn(t, x, w).length
    out.push(`<template data-kind="turn" data-id="${escape(x.id)}" data-index="${x.index}">${renderTurn(t, x, w)}</template>`)
    out.push(`<template data-kind="outline" data-id="${escape(x.id)}" data-index="${x.index}">${Outline.item(x, w, total)}</template>`)
  }
  return Redacted.mark(out.join("\n"))
}

export function status(code: 404 | 410, input: { noindex: boolean; message?: string }): string {
  const title = code === 404 ? "Share not found" : "Share removed"
  const text = input.message ?? (code === 404 ? "There is no share at this address. Check the link you were given." : "This share was removed by its owner or has expired, and is no longer available.")
  return Layout.document({ title, noindex: input.noindex }, `<main id="main" class="status-page"><h1>${title}</h1><p>${escape(text)}</p><p class="muted">HTTP ${code}</p></main>`)
}
