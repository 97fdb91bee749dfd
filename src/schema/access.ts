/** SSO-only viewing: a share's access setting and the CLI's login (`agentshare login`). */
import { z } from "zod"
import { MAX_SECRET_LENGTH } from "./limits.ts"

/** Who may view a share: anyone with the link, or users logged in through the server's SSO. */
export const Access = z.enum(["public", "sso"])
export type Access = z.infer<typeof Access>

/** `POST /api/share/:id/access`: the share's secret in the body, or the owner's token as a bearer. */
export const AccessRequest = z.object({ secret: z.string().min(1).max(MAX_SECRET_LENGTH).optional(), access: Access })
export type AccessRequest = z.infer<typeof AccessRequest>

/** `access` as the owner set it; `effective` after the server's VIEW_ACCESS (which can only make it stricter). */
export const AccessResponse = z.object({ id: z.string(), access: Access, effective: Access })
export type AccessResponse = z.infer<typeof AccessResponse>

/** `POST /auth/cli`: `agentshare login` starts its run with its loopback URL, its state and its PKCE (S256) challenge. */
export const CliLoginRequest = z.object({
  redirect: z.string().max(256),
  state: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, "16 to 128 URL-safe characters"),
  challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "an S256 PKCE challenge (43 base64url characters)"),
})
export type CliLoginRequest = z.infer<typeof CliLoginRequest>

/** The link to open, what the confirmation page will name (port, phrase), and the run's secret, which the redeem must bring. */
export const CliLoginResponse = z.object({
  url: z.string(),
  secret: z.string(),
  port: z.number().int(),
  phrase: z.string(),
  expiresAt: z.number(),
})
export type CliLoginResponse = z.infer<typeof CliLoginResponse>

/** `POST /auth/token`: the one-time code the loopback redirect carried, the CLI's PKCE verifier and its run's secret. */
export const LoginRequest = z.object({
  code: z.string().min(1).max(256),
  verifier: z.string().min(43).max(128),
  secret: z.string().min(1).max(128),
})
export type LoginRequest = z.infer<typeof LoginRequest>

/** The SSO account's owner id and a new token for this machine (shown once, stored hashed). */
export const LoginResponse = z.object({
  ownerID: z.string(),
  token: z.string(),
  email: z.string().nullable(),
  /** True when the owner token the CLI held before was folded into the account. */
  merged: z.boolean(),
})
export type LoginResponse = z.infer<typeof LoginResponse>
