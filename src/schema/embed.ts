/** Previews and embeds of a share page: the owner's embed switch and the oEmbed answer. */
import { z } from "zod"
import { MAX_SECRET_LENGTH } from "./limits.ts"

/** `POST /api/share/:id/embed`: the share's secret in the body, or the owner's token as a bearer. */
export const EmbedRequest = z.object({
  secret: z.string().min(1).max(MAX_SECRET_LENGTH).optional(),
  embed: z.boolean(),
})
export type EmbedRequest = z.infer<typeof EmbedRequest>

/** `embed` as the owner set it; `embeddable` whether other sites may frame it now (EMBED). */
export const EmbedResponse = z.object({ id: z.string(), embed: z.boolean(), embeddable: z.boolean(), url: z.string() })
export type EmbedResponse = z.infer<typeof EmbedResponse>

/** The largest iframe an oEmbed answer proposes. */
export const OEMBED_MAX = { width: 1200, height: 1600 }

/** `GET /api/oembed?url=…`: oEmbed 1.0 (https://oembed.com), `rich` when the share may be
 * framed, else `link`; both carry the share's card as the thumbnail. */
export const OEmbed = z.object({
  version: z.literal("1.0"),
  type: z.enum(["rich", "link"]),
  title: z.string(),
  provider_name: z.string(),
  provider_url: z.string(),
  thumbnail_url: z.string(),
  thumbnail_width: z.number().int().positive(),
  thumbnail_height: z.number().int().positive(),
  cache_age: z.number().int().nonnegative(),
  html: z.string().optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
})
export type OEmbed = z.infer<typeof OEmbed>
