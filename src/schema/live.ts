/**
 * Live updates: the events instances pass between them (the bus; NOTIFY on PostgreSQL) and the
 * Server-Sent Events a share page receives at `/share/:id/events`.
 */
import { z } from "zod"
import { MAX_ID_LENGTH } from "./limits.ts"

/**
 * `at`: when the event was published (epoch ms), to measure fan-out lag. `evict`: the share's
 * content was rewritten in place (a takedown): every instance drops its parsed copy.
 */
export const LiveEvent = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("sync"),
    shareID: z.string().min(1).max(MAX_ID_LENGTH),
    seq: z.number().int().nonnegative(),
    at: z.number().optional(),
    evict: z.boolean().optional(),
  }),
  z.object({
    type: z.literal("removed"),
    shareID: z.string().min(1).max(MAX_ID_LENGTH),
    reason: z.string().max(64),
    at: z.number().optional(),
  }),
])
export type LiveEvent = z.infer<typeof LiveEvent>

/** SSE `ready`: the seq the page is at. */
export const ReadyEvent = z.object({ seq: z.number() })
/** SSE `sync`: the turns that changed since the seq the client last saw, or `reload` when there are too many. */
export const SyncEvent = z.object({ seq: z.number(), turns: z.array(z.string()), reload: z.boolean().optional() })
/** SSE `removed` (the share was unshared, taken down or expired) and `reconnect` (the server is stopping). */
export const ReasonEvent = z.object({ reason: z.string() })
export type SyncEvent = z.infer<typeof SyncEvent>
