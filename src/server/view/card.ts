/**
 * `GET /share/:id/card.png`: the share's link-preview card (og:image, twitter:image). One
 * PNG per share version, kept in a small cache; a share that changes often is drawn again at
 * most once per REDRAW_MS (until then its last card is served). Drawing is CPU work on the
 * event loop, so only one card is drawn at a time and at most QUEUE wait; past that the server
 * answers 503 with Retry-After instead of queueing more. Removed shares leave the cache.
 */
import { Hono } from "hono"
import * as Card from "../../viewer/card.ts"
import type { AppEnv, Deps } from "../context.ts"
import { ApiError } from "../errors.ts"
import { publicShare } from "./access.ts"
import { ask } from "./transcripts.ts"

const MAX_CARDS = 256
const REDRAW_MS = 30_000
const QUEUE = 8

type Entry = { seq: number; at: number; png: Buffer }

export function cardRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()
  // State of this app: created with it, never module-global.
  const cache = new Map<string, Entry>()
  let tail: Promise<unknown> = Promise.resolve()
  let waiting = 0
  deps.bus.subscribeAll((e) => {
    if (e.type === "removed") cache.delete(e.shareID)
  })

  const draw = (facts: Card.Facts): Promise<Buffer> => {
    if (waiting >= QUEUE)
      return Promise.reject(new ApiError("server_busy", "too many cards are being drawn; try again shortly"))
    waiting++
    const run = tail
      .then(() => Card.png(facts))
      .finally(() => {
        waiting--
      })
    tail = run.catch(() => undefined)
    return run
  }

  app.get("/share/:id/card.png", async (c) => {
    const view = await publicShare(deps, c.req.param("id"))
    const id = view.share.id
    const { seq, output: facts } = await ask(deps, view, "card", null)
    let hit = cache.get(id)
    const stale = !hit || (hit.seq !== seq && deps.now() - hit.at >= REDRAW_MS)
    if (stale) {
      try {
        const png = await draw(facts)
        hit = { seq, at: deps.now(), png }
        cache.delete(id)
        cache.set(id, hit)
        if (cache.size > MAX_CARDS) cache.delete(cache.keys().next().value as string)
      } catch (error) {
        if (!hit) {
          if (error instanceof ApiError) c.header("retry-after", "5")
          throw error
        }
      }
    }
    const entry = hit as Entry
    const etag = `"${id}-${entry.seq}"`
    c.header("etag", etag)
    // Revalidated on every use: a removed share's card stops being served at once.
    c.header("cache-control", "no-cache")
    c.header("x-content-type-options", "nosniff")
    if (c.req.header("if-none-match") === etag) return c.body(null, 304)
    return c.body(new Uint8Array(entry.png), 200, { "content-type": "image/png" })
  })
  return app
}
