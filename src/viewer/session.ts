/** A subagent's session rendered inside the task card that spawned it. */
import type { Ctx } from "./context.ts"
import { escape } from "./escape.ts"
import { turn } from "./turn.ts"

/** Deeper nesting than this is left as a link-free note: a share is hostile input and could
 * make sessions spawn each other. */
const MAX_DEPTH = 3
const MAX_TURNS = 200

/**
 * A child session is rendered once per page: under the root turn whose call first spawned it
 * (Transcript.parentTurn), at its first mention there. Any other call that names it (a
 * session naming itself, two sessions naming each other) gets a link instead, so a share
 * cannot multiply its size by referring to itself.
 */
export function inline(ctx: Ctx, id: string, depth: number): string {
  const s = ctx.transcript.sessions.get(id)
  if (!s || id === ctx.transcript.rootID || s.messages.length === 0) return ""
  const home = ctx.transcript.parentTurn.get(id)
  if (ctx.shown.has(id) || home !== ctx.turnID) {
    const turnIndex = ctx.transcript.root.turns.findIndex((t) => t.id === home)
    const where =
      home === ctx.turnID || turnIndex < 0 ? "above" : `in <a href="#t-${escape(home ?? "")}">turn ${turnIndex + 1}</a>`
    return `<p class="muted child-ref">This subagent session is shown ${where}.</p>`
  }
  if (depth > MAX_DEPTH) return '<p class="muted">Nested subagent session not shown.</p>'
  ctx.shown.add(id)
  const inner: Ctx = { ...ctx, depth }
  const turns = s.turns
    .slice(0, MAX_TURNS)
    .map((t) => turn(t, inner))
    .join("")
  const more = s.turns.length > MAX_TURNS ? `<p class="muted">… ${s.turns.length - MAX_TURNS} more turns</p>` : ""
  return `<div class="child-session" data-session="${escape(id)}">${turns}${more}</div>`
}
