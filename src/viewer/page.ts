/**
 * The share page, rendered on the server from a share's transcript: complete without
 * JavaScript, every value escaped, every path of the sharer's made relative. It renders only
 * its window of turns (plus the outline); a turn's HTML is memoised by the turn's seq and the
 * view, so repeated views cost almost nothing.
 */
import * as Budget from "./budget.ts"
import * as ChangesView from "./changes-view.ts"
import type { Ctx, View } from "./context.ts"
import { escape } from "./escape.ts"
import * as Header from "./header.ts"
import * as Layout from "./layout.ts"
import type { Transcript, Turn } from "./model.ts"
import * as Outline from "./outline.ts"
import * as Paths from "./paths.ts"
import * as Redacted from "./redacted.ts"
import { raw } from "./parts/raw.ts"
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
  /** When the share last synced, to tell "working…" from a share that went quiet. */
  liveness?: Header.Liveness
  /** The server's origin, for link previews (og:image, oEmbed). */
  origin?: string
  /** The card image's version (the share's seq), so previews refresh when it changes. */
  version?: string
  view?: "conversation" | "changes"
  /** Every row open: the no-script "expand all" (`?tools=open`). */
  expand?: boolean
}

/** Rendered turns by transcript, keyed by turn id, seq and view. */
const memo = new WeakMap<Transcript, Map<string, string>>()

/** What rendering one root turn needs: a fresh output budget and no child session shown yet. */
export function context(t: Transcript, turnID = "", view: View = { idle: false, expand: false }): Ctx {
  const ctx: Ctx = {
    transcript: t,
    root: Paths.of(t).root,
    depth: 0,
    turnID,
    shown: new Set(),
    budget: Budget.fresh(),
    session: (id, depth) => Session.inline(ctx, id, depth),
    ...view,
  }
  return ctx
}

export function renderTurn(
  t: Transcript,
  x: Turn,
  w: Window.Window,
  view: View = { idle: false, expand: false },
): string {
  const total = t.root.turns.length
  const prev = x.index > 0 ? Window.href(w, x.index - 1, t.root.turns[x.index - 1].id, total) : undefined
  const next = x.index + 1 < total ? Window.href(w, x.index + 1, t.root.turns[x.index + 1].id, total) : undefined
  const key = `${x.id}\u0000${x.seq}\u0000${prev}\u0000${next}\u0000${view.idle ? 1 : 0}${view.expand ? 1 : 0}`
  let cache = memo.get(t)
  if (!cache) memo.set(t, (cache = new Map()))
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const html = Paths.scrub(turn(x, context(t, x.id, view), { prev, next }), Paths.of(t))
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
  const agent = Header.agent(t).replace(/^OpenCode /, "OpenCode v")
  return Paths.scrub(
    [models, `${n} ${n === 1 ? "message" : "messages"}`, agent].filter(Boolean).join(" · "),
    Paths.of(t),
  )
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

/** The brand bar's tabs (Conversation, Changes) and the reading menu. */
function bar(base: string, view: "conversation" | "changes", files: number, expand: boolean): string {
  const tab = (href: string, label: string, on: boolean) =>
    `<a href="${escape(href)}"${on ? ' aria-current="page"' : ""}>${label}</a>`
  const tabs = `<nav class="tabs" aria-label="Views">${tab(base, "Conversation", view === "conversation")}${tab(`${base}?view=changes`, `Changes${files ? ` <span class="n">${files}</span>` : ""}`, view === "changes")}</nav>`
  const links = `<a class="nojs" href="${expand ? escape(base) : "?tools=open"}">${expand ? "Collapse all tools" : "Expand all tools"}</a><a href="${escape(base)}.md">Markdown</a><a href="${escape(base)}.json">JSON</a>`
  return `${tabs}<div class="bar-tools"><details class="menu"><summary><span class="ic i-menu" aria-hidden="true"></span>View</summary><div class="controls" role="group" aria-label="Reading controls">${links}</div></details></div>`
}

export function share(input: PageInput): string {
  const t = input.transcript
  const turns = t.root.turns
  const base = `/share/${encodeURIComponent(input.id)}`
  const paths = Paths.of(t)
  const clean = (html: string) => Paths.scrub(html, paths)
  const view = input.view ?? "conversation"
  const idle = Header.isIdle(t, input.liveness)
  const w = Window.parse(turns.length, input.turns, locate(t, input.at))
  const header = clean(Header.header(t, { base, redactions: input.redactions, liveness: input.liveness, view }))
  const status =
    '<div class="live" role="status" aria-live="polite"><span class="dot" aria-hidden="true"></span> <span class="live-label">Live updates need JavaScript; reload to refresh.</span></div>'
  const other = t.root.other.length
    ? `<details class="other"><summary>${t.root.other.length} item(s) of types this viewer does not know</summary>${clean(
        t.root.other
          .slice(0, 100)
          .map((i) => raw(i.data, i.type))
          .join(""),
      )}</details>`
    : ""
  const footer = `<footer>${other}${status}<p><a href="${escape(base)}.md">Markdown</a> · <a id="json" href="${escape(base)}.json">JSON</a> · shared with <a href="/">agentshare</a></p></footer>`
  let page: string
  if (view === "changes") {
    page = `<div class="page changes-page">${header}<main id="main">${ChangesView.view(t, { base, window: w, clean })}</main>${footer}</div>`
  } else {
    const v = { idle, expand: input.expand === true }
    const body = bounded(
      turns.slice(w.from, w.to),
      (x) => renderTurn(t, x, w, v),
      (shown) => Budget.pageCut(escape(base), shown, w.to - w.from),
    )
    const empty = turns.length === 0 ? '<p class="empty">This share has no messages yet.</p>' : ""
    const main = `<main id="main" data-from="${w.from}" data-to="${w.to}" data-total="${turns.length}">${Outline.pager(w, turns.length, "before", base)}${body}${empty}${Outline.pager(w, turns.length, "after", base)}</main>`
    page = `<div class="page">${header}${Outline.outline(turns, w, clean)}${main}${footer}</div>`
  }
  const origin = input.origin
  const preview = origin
    ? {
        url: `${origin}${base}`,
        image: `${origin}${base}/card.png${input.version ? `?v=${encodeURIComponent(input.version)}` : ""}`,
        oembed: `${origin}/api/oembed?url=${encodeURIComponent(`${origin}${base}`)}&format=json`,
      }
    : undefined
  const left = Header.idleIn(t, input.liveness)
  return Layout.document(
    {
      title: `${clean(Header.title(t))} | agentshare`,
      description: description(t),
      noindex: input.noindex,
      base,
      preview,
      bar: bar(base, view, ChangesView.count(t), input.expand === true),
      live: {
        share: input.id,
        seq: String(t.seq),
        latest: w.latest ? "1" : "0",
        from: String(w.from),
        to: String(w.to),
        view,
        ...(left !== undefined ? { "idle-in": String(Math.ceil(left)) } : {}),
      },
    },
    Redacted.mark(page),
  )
}

/** Server-rendered pieces for the live script: the header and the given turns, each in a
 * <template> it can swap in. */
export function fragment(
  t: Transcript,
  ids: string[],
  w: Window.Window,
  redactions = 0,
  liveness?: Header.Liveness,
  base = "",
): string {
  const total = t.root.turns.length
  const wanted = new Set(ids)
  const paths = Paths.of(t)
  const view = { idle: Header.isIdle(t, liveness), expand: false }
  const out = [
    `<template data-kind="header" data-seq="${t.seq}" data-total="${total}">${Paths.scrub(Header.header(t, { base, redactions, liveness }), paths)}</template>`,
  ]
  let size = 0
  for (const x of t.root.turns) {
    if (!wanted.has(x.id)) continue
    // Past the page's budget the script is told nothing more; it reloads what it misses.
    if (size > Budget.PAGE_HTML) break
    const html = renderTurn(t, x, w, view)
    size += html.length
    out.push(`<template data-kind="turn" data-id="${escape(x.id)}" data-index="${x.index}">${html}</template>`)
    out.push(
      `<template data-kind="outline" data-id="${escape(x.id)}" data-index="${x.index}">${Paths.scrub(Outline.item(x, w, total), paths)}</template>`,
    )
  }
  return Redacted.mark(out.join("\n"))
}

export type StatusInput = { noindex: boolean; message?: string; title?: string }

/** A page for a person who landed where nothing is: a share that is not there or was
 * removed, or any other address (the server's human 404). */
const STATUS = {
  404: ["Share not found", "There is no share at this address. Check the link you were given."],
  410: ["Share removed", "This share was removed by its owner or has expired, and is no longer available."],
  503: ["Try again", "This page could not be drawn just now. Reload it in a moment."],
} as const

export function status(code: keyof typeof STATUS, input: StatusInput): string {
  const title = input.title ?? STATUS[code][0]
  const text = input.message ?? STATUS[code][1]
  return Layout.document(
    { title, noindex: input.noindex },
    `<main id="main" class="status-page"><h1>${escape(title)}</h1><p>${escape(text)}</p><p><a href="/">What is this server?</a></p><p class="muted">HTTP ${code}</p></main>`,
  )
}

export type EmbedInput = {
  id: string
  transcript: Transcript
  noindex: boolean
  redactions?: number
  liveness?: Header.Liveness
  origin?: string
}

/** The embed view: the latest turns, every row collapsed, no outline or menu, and a link out to
 * the full page (which opens in a new tab: the full page may not be framed). */
export function embed(input: EmbedInput): string {
  const t = input.transcript
  const turns = t.root.turns
  const base = `/share/${encodeURIComponent(input.id)}`
  const full = `${input.origin ?? ""}${base}`
  const paths = Paths.of(t)
  const clean = (html: string) => Paths.scrub(html, paths)
  const w = Window.parse(turns.length, undefined)
  const v = { idle: Header.isIdle(t, input.liveness), expand: false }
  const body = bounded(
    turns.slice(w.from, w.to),
    (x) => renderTurn(t, x, w, v),
    (shown) => Budget.pageCut(escape(full), shown, w.to - w.from),
  )
  const earlier =
    w.from > 0
      ? `<p class="pager"><a href="${escape(full)}" target="_blank" rel="noopener">${w.from} earlier ${w.from === 1 ? "turn" : "turns"} on the full page ↗</a></p>`
      : ""
  const empty = turns.length === 0 ? '<p class="empty">This share has no messages yet.</p>' : ""
  const header = clean(Header.header(t, { base: full, redactions: input.redactions, liveness: input.liveness }))
  const main = `<main id="main" data-from="${w.from}" data-to="${w.to}" data-total="${turns.length}">${earlier}${body}${empty}</main>`
  const left = Header.idleIn(t, input.liveness)
  return Layout.document(
    {
      title: `${clean(Header.title(t))} | agentshare`,
      noindex: input.noindex,
      body: "embed",
      bar: `<a class="open" href="${escape(full)}" target="_blank" rel="noopener">Open the full page ↗</a>`,
      live: {
        share: input.id,
        seq: String(t.seq),
        latest: "1",
        from: String(w.from),
        to: String(w.to),
        view: "embed",
        ...(left !== undefined ? { "idle-in": String(Math.ceil(left)) } : {}),
      },
    },
    Redacted.mark(`<div class="page embed-page">${header}${main}</div>`),
  )
}
