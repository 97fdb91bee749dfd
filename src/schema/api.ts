/** Request and response bodies of the share API, both the current and the legacy protocol. */
import { z } from "zod"
import { MAX_ID_LENGTH, MAX_ITEMS_PER_SYNC, MAX_SECRET_LENGTH } from "./limits.ts"
import { Access } from "./access.ts"
import { SyncItem } from "./item.ts"

const SessionID = z.string().min(1).max(MAX_ID_LENGTH)
const Secret = z.string().min(1).max(MAX_SECRET_LENGTH)

/** `POST /api/share` */
/** An expiry such as `7d` or `12h`, or seconds; null asks for none (docs/ENTERPRISE.md). */
export const ExpiresIn = z.union([
  z.string().trim().min(1).max(32),
  z
    .number()
    .int()
    .positive()
    .max(100 * 365 * 86400),
])
/**
 * `expiresIn` and `access` are ours: stock OpenCode clients send only `sessionID` and get the
 * server defaults. `access: "sso"` makes the share SSO-only from its creation, before any content.
 */
export const CreateRequest = z.object({
  sessionID: SessionID,
  expiresIn: ExpiresIn.nullable().optional(),
  access: Access.optional(),
})
export type CreateRequest = z.infer<typeof CreateRequest>

/** What `POST /api/share` answers: the client keeps all three. */
export const CreateResponse = z.object({
  id: z.string(),
  url: z.string(),
  secret: z.string(),
  /** Only when the request sent `expiresIn`: when the share expires (epoch ms), null for never. */
  expiresAt: z.number().nullable().optional(),
  /** Only when the request sent `access`: who may view it, after the server's policy. */
  access: Access.optional(),
})
export type CreateResponse = z.infer<typeof CreateResponse>

/** `POST /api/share/:id/sync` */
export const SyncRequest = z.object({ secret: Secret, data: z.array(SyncItem).max(MAX_ITEMS_PER_SYNC) })
export type SyncRequest = z.infer<typeof SyncRequest>

/** What a sync answers (stock clients ignore it). */
export const SyncResponse = z.object({
  ok: z.literal(true),
  seq: z.number(),
  accepted: z.number(),
  stale: z.number(),
  dropped: z.array(z.object({ index: z.number(), reason: z.string() })),
})
export type SyncResponse = z.infer<typeof SyncResponse>

/** `DELETE /api/share/:id`: the secret in the body (stock clients), or the owner's token as a bearer and no secret. */
export const RemoveRequest = z.object({ secret: Secret.optional() })

/** `POST /api/share/:id/expiry`: the share's secret, or the owner's token as a bearer. */
export const ExpiryRequest = z.object({ secret: Secret.optional(), expiresIn: ExpiresIn.nullable() })
export type ExpiryRequest = z.infer<typeof ExpiryRequest>
export type RemoveRequest = z.infer<typeof RemoveRequest>

/** Legacy `POST /share_create` */
export const LegacyCreateRequest = z.object({ sessionID: SessionID })
/** Legacy `POST /share_sync`: one key and its content per request. */
export const LegacySyncRequest = z.object({
  sessionID: SessionID,
  secret: Secret,
  key: z.string().min(1).max(1024),
  content: z.unknown(),
})
/** Legacy `POST /share_delete` */
export const LegacyRemoveRequest = z.object({ sessionID: SessionID, secret: Secret })

/** `GET /api/share/:id`: what a share is, without its content (`redactions`: secrets redacted on upload in what it shows). */
export const ShareInfo = z.object({
  id: z.string(),
  url: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  expiresAt: z.number().nullable(),
  items: z.number(),
  redactions: z.number(),
})
export type ShareInfo = z.infer<typeof ShareInfo>

/** What `POST /api/share/:id/expiry` answers: the share's expiry now (epoch ms), null for none. */
export const ExpiryResponse = z.object({ id: z.string(), expiresAt: z.number().nullable() })
export type ExpiryResponse = z.infer<typeof ExpiryResponse>

/** `GET /api/share/:id/data`: the root session's items of the known types, as `opencode import` reads them. */
export const DataResponse = z.array(z.object({ type: z.string(), data: z.unknown() }))
export type DataResponse = z.infer<typeof DataResponse>
