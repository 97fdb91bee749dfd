/**
 * Every error the server answers, in one place: a stable snake_case code that means one thing
 * only, its HTTP status (a code has exactly one), and a message safe to show anyone. A client
 * can branch on the code; docs/PROTOCOL.md lists them. `app.onError` turns an ApiError into
 * `{"error": {"code", "message"}}`; anything else is a logged 500 `internal`.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status"

export const CODES = {
  // 400: the request itself is wrong.
  invalid_json: 400,
  invalid_encoding: 400,
  invalid_body: 400,
  invalid_id: 400,
  invalid_item: 400,
  invalid_key: 400,
  invalid_query: 400,
  invalid_expiry: 400,
  expiry_too_long: 400,
  too_deep: 400,
  secret_detected: 400,
  sso_unavailable: 400,
  embed_unavailable: 400,
  invalid_redirect: 400,
  invalid_code: 400,
  login_expired: 400,
  login_refused: 400,
  login_failed: 400,
  cli_outdated: 400,
  // 401, 403: who is asking.
  unauthorized: 401,
  login_required: 401,
  forbidden: 403,
  not_allowed: 403,
  csrf: 403,
  creation_disabled: 403,
  network_not_allowed: 403,
  // 404, 409, 410: what is asked for.
  not_found: 404,
  admin_disabled: 404,
  sso_not_configured: 404,
  owned: 409,
  gone: 410,
  // 408, 413, 415, 429: the size and pace of the request.
  request_timeout: 408,
  too_large: 413,
  scan_timeout: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  too_many_streams: 429,
  // 5xx: the server cannot, for now.
  internal: 500,
  format_not_implemented: 501,
  idp_unreachable: 503,
  server_busy: 503,
  render_unavailable: 503,
  quota_exceeded: 507,
  insufficient_storage: 507,
} as const satisfies Record<string, ContentfulStatusCode>

export type Code = keyof typeof CODES

export class ApiError extends Error {
  readonly status: ContentfulStatusCode
  readonly code: Code
  constructor(code: Code, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = "ApiError"
    this.code = code
    this.status = CODES[code]
  }
  body() {
    return { error: { code: this.code, message: this.message } }
  }
}

/** The body of an error answered outside Hono (the connection cap, the body deadline). */
export const body = (code: Code, message: string) => JSON.stringify({ error: { code, message } })

type BadRequest = { [K in Code]: (typeof CODES)[K] extends 400 ? K : never }[Code]
export const badRequest = (code: BadRequest, message: string) => new ApiError(code, message)
export const invalidJson = () => new ApiError("invalid_json", "the request body is not valid JSON")
export const unsupportedMedia = () =>
  new ApiError("unsupported_media_type", "send the body as JSON with content-type: application/json")

export const forbidden = () => new ApiError("forbidden", "the secret does not match this share")
const CREDENTIAL = {
  owner: "send a valid owner token as authorization: Bearer <token>",
  admin: "send the admin token as authorization: Bearer <token>",
  metrics: "send METRICS_TOKEN as authorization: Bearer <token>",
} as const
export const unauthorized = (what: keyof typeof CREDENTIAL) => new ApiError("unauthorized", CREDENTIAL[what])
export const loginRequired = () =>
  new ApiError(
    "login_required",
    "this share is visible only to logged-in users: open it in a browser, or log in at /auth/login",
  )
export const notAllowed = (reason: string) => new ApiError("not_allowed", reason)
export const badCsrf = () =>
  new ApiError("csrf", "this form is out of date or came from another site; reload the page and try again")
export const creationDisabled = () =>
  new ApiError("creation_disabled", "creating shares is disabled on this server; existing shares keep working")
export const outsideNetwork = () =>
  new ApiError("network_not_allowed", "shares can only be created from the organization's network on this server")

export const notFound = (what = "share") => new ApiError("not_found", `${what} not found`)
/** Why a share is gone, as its tombstone says, in words anyone may read. */
const GONE: Record<string, string> = {
  taken_down: "this share was removed by an administrator",
  expired: "this share has expired",
}
export const gone = (reason?: string) =>
  new ApiError("gone", (reason !== undefined && GONE[reason]) || "this share was removed")
export const owned = () => new ApiError("owned", "this share already belongs to another owner")
export const adminDisabled = (api: boolean) =>
  new ApiError(
    "admin_disabled",
    api
      ? "the admin API takes ADMIN_TOKEN as a bearer; set ADMIN_TOKEN to turn it on"
      : "the admin area is off on this server; set ADMIN_TOKEN (or OIDC_ADMIN_GROUP) to turn it on",
  )

export const ssoUnavailable = () =>
  new ApiError(
    "sso_unavailable",
    "this server has no SSO login configured (OIDC_ISSUER), so a share cannot be made sso",
  )
export const ssoNotConfigured = () =>
  new ApiError("sso_not_configured", "this server has no SSO login (OIDC_ISSUER is not set)")
export const idpUnreachable = () =>
  new ApiError("idp_unreachable", "the identity provider could not be reached; try again shortly")
export const badCode = () =>
  new ApiError("invalid_code", "the login code is unknown, used or expired; run agentshare login again")
export const loginFailed = (message: string) => new ApiError("login_failed", message)

export const tooLarge = (what: string, limit: number) =>
  new ApiError("too_large", `${what} is larger than the limit of ${limit} bytes`)
/** A sync or takedown whose secret scan ran over SCAN_BUDGET: nothing of it was stored. */
export const scanTimeout = (what: string, budgetMs: number, advice: string) =>
  new ApiError(
    "scan_timeout",
    `scanning ${what} for secrets took longer than this server allows (SCAN_BUDGET, ${budgetMs / 1000} s), so nothing of it was stored; ${advice}`,
  )
/** The render thread stopped (crashed, or was stopped for taking too long) while drawing a page: the next request starts it again. */
export const renderUnavailable = (why: string) =>
  new ApiError("render_unavailable", `the page renderer ${why}; it has been restarted, so try again`)
export const rateLimited = (message: string) => new ApiError("rate_limited", message)
export const tooManyStreams = (limit: number) =>
  new ApiError(
    "too_many_streams",
    `this address already holds ${limit} live-update streams, the most one address may; close some tabs and retry`,
  )
export const quotaExceeded = (scope: "address" | "owner", limit: number) =>
  new ApiError(
    "quota_exceeded",
    `the shares of this ${scope === "address" ? "client address" : "owner"} would pass their storage quota of ${limit} bytes; unshare some first`,
  )
export const diskFull = () =>
  new ApiError("insufficient_storage", "the server is low on disk space and takes no new data for now; try again later")
/** Embedding is off on this server (EMBED=off), so a share cannot be made embeddable. */
export const embedUnavailable = () =>
  new ApiError("embed_unavailable", "this server lets no share be embedded (EMBED=off)")
