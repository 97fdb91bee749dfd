/** Named errors with an HTTP status, a stable code and a message safe to show anyone. */
import type { ContentfulStatusCode } from "hono/utils/http-status"

export class ApiError extends Error {
  readonly status: ContentfulStatusCode
  readonly code: string
  constructor(status: ContentfulStatusCode, code: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = "ApiError"
    this.status = status
    this.code = code
  }
  body() {
    return { error: { code: this.code, message: this.message } }
  }
}

export const badRequest = (code: string, message: string) => new ApiError(400, code, message)
export const invalidJson = () => new ApiError(400, "invalid_json", "the request body is not valid JSON")
export const forbidden = () => new ApiError(403, "forbidden", "the secret does not match this share")
export const notFound = (what = "share") => new ApiError(404, "not_found", `${what} not found`)
/** Why a share is gone, as its tombstone says, in words anyone may read. */
const GONE: Record<string, string> = { taken_down: "this share was removed by an administrator", expired: "this share has expired" }
export const gone = (reason?: string) => new ApiError(410, "gone", (reason !== undefined && GONE[reason]) || "this share was removed")
export const ssoUnavailable = () => new ApiError(400, "sso_unavailable", "this server has no SSO login configured (OIDC_ISSUER), so a share cannot be made sso")
export const tooLarge = (what: string, limit: number) => new ApiError(413, "too_large", `${what} is larger than the limit of ${limit} bytes`)
export const quotaExceeded = (scope: "address" | "owner", limit: number) =>
  new ApiError(507, "quota_exceeded", `the shares of this ${scope === "address" ? "client address" : "owner"} would pass their storage quota of ${limit} bytes; unshare some first`)
export const tooManyStreams = (limit: number) =>
  new ApiError(429, "too_many_streams", `this address already holds ${limit} live-update streams, the most one address may; close some tabs and retry`)
export const diskFull = () => new ApiError(507, "insufficient_storage", "the server is low on disk space and takes no new data for now; try again later")
/** A sync or takedown whose secret scan ran over SCAN_BUDGET: nothing of it was stored. */
export const scanTimeout = (what: string, budgetMs: number, advice: string) =>
  new ApiError(413, "scan_timeout", `scanning ${what} for secrets took longer than this server allows (SCAN_BUDGET, ${budgetMs / 1000} s), so nothing of it was stored; ${advice}`)
/** Embedding is off on this server (EMBED=off), so a share cannot be made embeddable. */
export const embedUnavailable = () => new ApiError(400, "embed_unavailable", "this server lets no share be embedded (EMBED=off)")
