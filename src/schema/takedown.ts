/** `POST /api/share/:id/redact`: the owner takes down what slipped through redaction. */
import { z } from "zod"
import { MAX_SECRET_LENGTH } from "./limits.ts"

/** Shortest literal an owner may redact across a share: shorter ones would shred ordinary text. */
export const MIN_TAKEDOWN_LITERAL = 6
export const MAX_TAKEDOWN_LITERAL = 16 * 1024

/**
 * - `{key}`: every string of that item except its ids and kind becomes `[redacted:owner]`.
 * - `{key, path}`: the one string at `path` (as findings name it, `state.output`) does.
 * - `{literal}`, optionally with `key`: each occurrence of `literal` in that item (or in every
 *   item of the share) does.
 * The share's secret authorizes it in the body; an owner token may instead be sent as
 * `authorization: Bearer <token>`.
 */
export const TakedownRequest = z
  .object({
    secret: z.string().min(1).max(MAX_SECRET_LENGTH).optional(),
    key: z.string().min(1).max(1024).optional(),
    path: z.string().min(1).max(1024).optional(),
    literal: z.string().min(MIN_TAKEDOWN_LITERAL).max(MAX_TAKEDOWN_LITERAL).optional(),
  })
  .refine((b) => b.key !== undefined || b.literal !== undefined, {
    message: "name an item (key) or a literal to redact",
  })
  .refine((b) => b.path === undefined || (b.key !== undefined && b.literal === undefined), {
    message: "path needs key and no literal",
  })
export type TakedownRequest = z.infer<typeof TakedownRequest>

/** What a takedown answers: how many items changed and how many strings or spans were replaced. */
export const TakedownResponse = z.object({
  ok: z.literal(true),
  seq: z.number(),
  items: z.number(),
  replaced: z.number(),
})
export type TakedownResponse = z.infer<typeof TakedownResponse>
