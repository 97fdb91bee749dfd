/**
 * How much HTML a share may make: a share is hostile input, and a page must stay a size a
 * browser (and the server) can handle whatever it holds. A turn stops rendering parts once it
 * has produced TURN_HTML characters, a page stops adding turns past PAGE_HTML; each cut says so
 * and points to the JSON export, which holds everything.
 */
import type { Ctx } from "./context.ts"

export const TURN_HTML = 4 * 1024 * 1024
export const PAGE_HTML = 8 * 1024 * 1024

export const fresh = (): Ctx["budget"] => ({ left: TURN_HTML })

const TURN_CUT =
  '<p class="truncated" role="note">The rest of this turn is not shown: it is larger than a page can hold. The whole session is in the <a href="#json">JSON export</a>.</p>'

/** `html` if the turn's budget still has room for it, else the cut marker (once) or nothing. */
export function take(ctx: Ctx, html: string): string {
  if (ctx.budget.left <= 0) return ""
  ctx.budget.left -= html.length
  if (ctx.budget.left >= 0) return html
  return TURN_CUT
}

/** The note a page ends with when it stopped adding turns at PAGE_HTML. */
export function pageCut(base: string, shown: number, total: number): string {
  return `<p class="truncated" role="note">This page is truncated after ${shown} of ${total} turns: it would be larger than a page can hold. The whole session is in the <a href="${base}.json">JSON export</a>, or read on with the page links.</p>`
}
