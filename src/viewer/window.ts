/**
 * Which turns a page shows. Long shares are read in pages of PAGE turns aligned from the
 * first turn, so a page link stays valid as the share grows; the default is the latest
 * PAGE turns. Plain links, so every turn is reachable without JavaScript.
 */
export const PAGE = 30

export type Window = { from: number; to: number; latest: boolean }

/** `turns` is "a-b" (1-based, inclusive) or "all" (honoured up to ALL turns). */
const ALL = 300

export function parse(total: number, turns: string | undefined, at?: number): Window {
  if (at !== undefined && at >= 0 && at < total) return page(total, Math.floor(at / PAGE))
  if (turns === "all" && total <= ALL) return { from: 0, to: total, latest: true }
  const m = /^(\d{1,9})-(\d{1,9})$/.exec(turns ?? "")
  if (m) {
    const from = Math.min(Math.max(0, Number(m[1]) - 1), Math.max(0, total - 1))
    const to = Math.min(total, Math.max(from + 1, Number(m[2])), from + PAGE * 4)
    return { from, to, latest: to >= total }
  }
  return { from: Math.max(0, total - PAGE), to: total, latest: true }
}

export function page(total: number, k: number): Window {
  const from = Math.max(0, Math.min(k * PAGE, total - 1))
  const to = Math.min(total, from + PAGE)
  return { from, to, latest: to >= total }
}

export function query(w: { from: number; to: number }): string {
  return `?turns=${w.from + 1}-${w.to}`
}

/** A link to turn `index` from a page showing `w`. */
export function href(w: Window, index: number, id: string, total: number): string {
  const anchor = `#t-${encodeURIComponent(id)}`
  if (index >= w.from && index < w.to) return anchor
  return query(page(total, Math.floor(index / PAGE))) + anchor
}
