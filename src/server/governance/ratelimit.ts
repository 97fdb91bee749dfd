/**
 * Abuse limits on create and sync (RATE_LIMIT_CREATE, RATE_LIMIT_SYNC): a fixed window per
 * client IP and per owner, counted in this instance's memory (behind a load balancer each
 * instance allows the limit). Over the limit: 429 with Retry-After.
 */
import type { Context } from "hono"
import type { Deps } from "../context.ts"
import type { Rate } from "../config.ts"
import { rateLimited } from "../errors.ts"

export type Kind = "create" | "sync"

/** Windows kept per kind before finished ones are dropped. */
const MAX_KEYS = 50_000

type Window = { start: number; count: number }

const state = new WeakMap<Deps, Record<Kind, Map<string, Window>>>()

function windows(deps: Deps, kind: Kind): Map<string, Window> {
  let s = state.get(deps)
  if (!s) state.set(deps, (s = { create: new Map(), sync: new Map() }))
  return s[kind]
}

function prune(map: Map<string, Window>, now: number, windowMs: number) {
  for (const [k, w] of map) if (now - w.start >= windowMs) map.delete(k)
  // Still full of live windows: forget the oldest rather than grow without bound.
  while (map.size > MAX_KEYS) map.delete(map.keys().next().value as string)
}

/**
 * Counts one request against each key (`ip:…`, `owner:…`); throws 429 if any is over its limit,
 * with Retry-After on `c`'s response. Keys that are undefined are skipped.
 */
export function take(deps: Deps, c: Context, kind: Kind, keys: (string | undefined)[]): void {
  const rate: Rate | null = kind === "create" ? deps.config.enterprise.rateLimitCreate : deps.config.enterprise.rateLimitSync
  if (!rate) return
  const map = windows(deps, kind)
  const now = deps.now()
  if (map.size >= MAX_KEYS) prune(map, now, rate.windowMs)
  let wait = 0
  const counted: Window[] = []
  for (const key of keys) {
    if (key === undefined) continue
    let w = map.get(key)
    if (!w || now - w.start >= rate.windowMs || now < w.start) map.set(key, (w = { start: now, count: 0 }))
    if (w.count >= rate.limit) wait = Math.max(wait, w.start + rate.windowMs - now)
    counted.push(w)
  }
  if (wait > 0) {
    const seconds = Math.max(1, Math.ceil(wait / 1000))
    c.header("retry-after", String(seconds))
    throw rateLimited(`too many ${kind === "create" ? "shares created" : "syncs"}: at most ${rate.limit} per ${rate.windowMs / 1000} seconds; retry in ${seconds} s`)
  }
  for (const w of counted) w.count += 1
}
