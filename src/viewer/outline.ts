/** The outline: one line per turn, linking to it (on this page or the page that holds it). */
import { escape } from "./escape.ts"
import type { Turn } from "./model.ts"
import * as Window from "./window.ts"

export function item(t: Turn, w: Window.Window, total: number): string {
  const here = t.index >= w.from && t.index < w.to
  return `<li data-outline="${escape(t.id)}"${here ? ' class="here"' : ""}><a href="${escape(Window.href(w, t.index, t.id, total))}"><span class="n">${t.index + 1}</span> ${escape(t.label)}</a></li>`
}

/** Outlines by turn list and window: a long share's outline is most of its page. */
const memo = new WeakMap<Turn[], Map<string, string>>()

/** `clean`: the privacy scrub (paths.ts), applied once per cached outline. */
export function outline(turns: Turn[], w: Window.Window, clean: (html: string) => string = (h) => h): string {
  if (turns.length === 0) return ""
  let cache = memo.get(turns)
  if (!cache) memo.set(turns, (cache = new Map()))
  const key = `${w.from}-${w.to}`
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const html = clean(render(turns, w))
  if (cache.size > 32) cache.clear()
  cache.set(key, html)
  return html
}

function render(turns: Turn[], w: Window.Window): string {
  const items = turns.map((t) => item(t, w, turns.length)).join("")
  return `<nav class="outline" aria-label="Turns"><details open><summary>Turns (${turns.length})</summary><ol>${items}</ol></details></nav>`
}

/** Links to the pages before and after this one. */
export function pager(w: Window.Window, total: number, where: "before" | "after", base: string): string {
  if (where === "before" && w.from > 0) {
    const prev = Window.page(total, Math.floor((w.from - 1) / Window.PAGE))
    return `<nav class="pager" aria-label="Earlier turns"><a href="${Window.query(prev)}" rel="prev">← Earlier turns (${prev.from + 1}–${prev.to})</a> <span class="muted">showing ${w.from + 1}–${w.to} of ${total}</span></nav>`
  }
  if (where === "after" && w.to < total) {
    const next = Window.page(total, Math.floor(w.to / Window.PAGE))
    return `<nav class="pager" aria-label="Later turns"><a href="${Window.query(next)}" rel="next">Later turns (${next.from + 1}–${next.to}) →</a> <a href="${escape(base)}">Latest turns</a></nav>`
  }
  return ""
}
