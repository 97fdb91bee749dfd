/**
 * Abuse limits on create and sync (RATE_LIMIT_CREATE, RATE_LIMIT_SYNC): a fixed window per
 * client IP and per owner, counted in this instance's memory (behind a load balancer each
 * instance allows the limit). Over the limit: 429 with Retry-After.
 */
import type { Context, MiddlewareHandler } from "hono"
import type { AppEnv, Deps } from "../context.ts"
import type { Rate } from "../config.ts"
import { rateLimited } from "../errors.ts"
import type { Kind } from "./limiter.ts"

export type { Kind }

/**
 * Counts one request against each key (`ip:…`, `owner:…`); throws 429 if any is over its limit,
 * with Retry-After on `c`'s response. Keys that are undefined are skipped.
 */
export function take(deps: Deps, c: Context, kind: Kind, keys: (string | undefined)[]): void {
  const rate: Rate | null =
    kind === "create" ? deps.config.enterprise.rateLimitCreate : deps.config.enterprise.rateLimitSync
  if (!rate) return
  const wait = deps.limiter.take(kind, rate, keys, deps.now())
  if (wait > 0) {
    const seconds = Math.max(1, Math.ceil(wait / 1000))
    c.header("retry-after", String(seconds))
    throw rateLimited(
      `too many ${kind === "create" ? "shares created" : "syncs"}: at most ${rate.limit} per ${rate.windowMs / 1000} seconds; retry in ${seconds} s`,
    )
  }
}

/** Middleware: counts the request against its client address before its body is read. */
export function byAddress(deps: Deps, kind: Kind): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ip = c.get("ip")
    take(deps, c, kind, [ip && `ip:${ip}`])
    await next()
  }
}
