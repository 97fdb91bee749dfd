/** A subagent's session rendered inside the task card that spawned it. */
import type { Ctx } from "./context.ts"
import { escape } from "./escape.ts"
import { turn } from "./turn.ts"

/** Deeper nesting than this is left as a link-free note: a share is hostile input and could
 * make sessions spawn each other. */
const MAX_DEPTH = 3
const MAX_TURNS = 200

export function inline(ctx: Ctx, id: string, depth: number): string {
  const s = ctx.transcript.sessions.get(id)
  if (!s || id === ctx.transcript.rootID || s.messages.length === 0) return ""
  if (depth > MAX_DEPTH) return '<p class="muted">Nested subagent session not shown.</p>'
  const inner: Ctx = { ...ctx, depth }
  const turns = s.turns.slice(0, MAX_TURNS).map((t) => turn(t, inner)).join("")
  const more = s.turns.length > MAX_TURNS ? `<p class="muted">… ${s.turns.length - MAX_TURNS} more turns</p>` : ""
  return `<div class="child-session" data-session="${escape(id)}">${turns}${more}</div>`
}
