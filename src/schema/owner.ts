/** The owner API: an owner token issued on first use lists and deletes its holder's shares. */
import { z } from "zod"
import { MAX_ID_LENGTH, MAX_SECRET_LENGTH } from "./limits.ts"

/** What `POST /api/owner` answers once: the token is never shown again (only its hash is kept). */
export const OwnerResponse = z.object({ ownerID: z.string(), token: z.string() })
export type OwnerResponse = z.infer<typeof OwnerResponse>

/** One of an owner's shares as `GET /api/owner/shares` lists it. */
export const OwnedShare = z.object({
  id: z.string(),
  url: z.string(),
  sessionID: z.string(),
  /** The title of the share's root session, once one was synced. */
  title: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  items: z.number(),
  bytes: z.number(),
  /** When the share expires (epoch ms), null for never; absent from servers without retention. */
  expiresAt: z.number().nullable().optional(),
  /** Page views, all days together; absent from servers without analytics. */
  views: z.number().optional(),
  /** Unique visitors summed over days (a visitor is recognised within one day only). */
  uniqueViews: z.number().optional(),
})
export type OwnedShare = z.infer<typeof OwnedShare>

export const OwnedSharesResponse = z.object({ shares: z.array(OwnedShare) })
export type OwnedSharesResponse = z.infer<typeof OwnedSharesResponse>

/** `DELETE /api/owner/shares`: the listed ids, or every share of the owner with `all`. */
export const OwnerRemoveRequest = z.union([
  z.object({ ids: z.array(z.string().min(1).max(MAX_ID_LENGTH)).min(1).max(10_000) }),
  z.object({ all: z.literal(true) }),
])
export type OwnerRemoveRequest = z.infer<typeof OwnerRemoveRequest>

export const OwnerRemoveResponse = z.object({ removed: z.array(z.string()) })
export type OwnerRemoveResponse = z.infer<typeof OwnerRemoveResponse>

/** `POST /api/owner/shares/:id/claim`: proves control of a share made without an owner. */
export const ClaimRequest = z.object({ secret: z.string().min(1).max(MAX_SECRET_LENGTH) })
export type ClaimRequest = z.infer<typeof ClaimRequest>

export const OkResponse = z.object({ ok: z.literal(true) })
