/**
 * What the share page needs from the server besides the transcript: when the share last
 * synced (a working share goes quiet after IDLE_AFTER), the origin for link previews, and the
 * reader's choices from the query (`?view=changes`, `?tools=open`). Wired into the page,
 * fragment and embed routes.
 */
import type { Context } from "hono"
import type { ShareRecord } from "../../store/index.ts"
import type { Liveness } from "../../viewer/header.ts"
import type { Deps } from "../context.ts"

export function liveness(deps: Deps, source: ShareRecord): Liveness {
  return { updatedAt: source.updatedAt, now: deps.now(), idleAfterMs: deps.config.viewer.idleAfterMs }
}

export function extra(deps: Deps, c: Context, source: ShareRecord) {
  return {
    liveness: liveness(deps, source),
    origin: deps.origin(),
    version: String(source.seq),
    view: c.req.query("view") === "changes" ? ("changes" as const) : ("conversation" as const),
    expand: c.req.query("tools") === "open",
  }
}
