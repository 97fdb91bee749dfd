/** What a renderer may need beyond its own part: the cwd for short paths and a way to
 * render a subagent's session inline. */
import type { Transcript } from "./model.ts"

export type Ctx = {
  transcript: Transcript
  /** The project root, to show paths relative to it. */
  root: string
  /** Nesting depth of subagent sessions being rendered. */
  depth: number
  /** Renders a child session inline (task tool), or "" when the share does not hold it. */
  session(id: string, depth: number): string
}
