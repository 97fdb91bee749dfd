/** What a renderer may need beyond its own part: the cwd for short paths, a way to render a
 * subagent's session inline, and the turn's output budget. */
import type { Transcript } from "./model.ts"

/** How a page is drawn: a share that went quiet (IDLE_AFTER) reads as ended; `expand` opens
 * every row (the no-script "expand all"). */
export type View = { idle: boolean; expand: boolean }

export type Ctx = View & {
  transcript: Transcript
  /** The project root, to show paths relative to it. */
  root: string
  /** Nesting depth of subagent sessions being rendered. */
  depth: number
  /** The root turn being rendered: a child session is shown only under the turn that spawned it. */
  turnID: string
  /** Child sessions already rendered in this turn: each is shown once, however often it is named. */
  shown: Set<string>
  /** Characters of HTML this turn may still produce (a share is hostile input). */
  budget: { left: number }
  /** Renders a child session inline (task tool), or "" when the share does not hold it. */
  session(id: string, depth: number): string
}
