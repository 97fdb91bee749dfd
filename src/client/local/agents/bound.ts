/**
 * What a reader keeps of a hostile session file: every string, array, object and nesting
 * level is capped, so an item always fits what the server accepts (DEFAULT_ITEM_LIMIT, and
 * the request's MAX_JSON_DEPTH), and memory stays proportional to what is shared.
 */
import { DEFAULT_ITEM_LIMIT, MAX_JSON_DEPTH } from "../../../schema/index.ts"

/** The longest JSONL record read (bytes); a longer line is skipped and counted. */
export const MAX_LINE = 32 * 1024 * 1024
/** The longest string kept from a record (UTF-16 units, as the server measures items). */
export const MAX_STRING = DEFAULT_ITEM_LIMIT / 4
/** Nesting kept inside one agent value: a sync request adds about eight levels above it. */
export const MAX_DEPTH = Math.min(48, MAX_JSON_DEPTH - 16)
export const MAX_ARRAY = 10_000
export const MAX_KEYS = 2_000

/** `s` cut to `max` with a note of how much was left out. */
export function text(s: string, max = MAX_STRING): string {
  if (s.length <= max) return s
  return `${s.slice(0, max)}\n… ${s.length - max} more characters not shared`
}

/** A copy of `v` within the caps: deeper levels become a note, long arrays and objects are cut. */
export function value(v: unknown, max = MAX_STRING, depth = 0): unknown {
  if (typeof v === "string") return text(v, max)
  if (typeof v === "number") return Number.isFinite(v) ? v : null
  if (typeof v !== "object" || v === null) return typeof v === "boolean" ? v : v === null ? null : undefined
  if (depth >= MAX_DEPTH) return "[nested too deep to share]"
  if (Array.isArray(v)) {
    const out = v.slice(0, MAX_ARRAY).map((x) => value(x, max, depth + 1) ?? null)
    if (v.length > MAX_ARRAY) out.push(`[${v.length - MAX_ARRAY} more entries not shared]`)
    return out
  }
  const out: Record<string, unknown> = {}
  let n = 0
  for (const [k, x] of Object.entries(v)) {
    if (n++ >= MAX_KEYS) break
    const kept = value(x, max, depth + 1)
    if (kept !== undefined) out[text(k, 256)] = kept
  }
  return out
}

/** `data` within the caps, and its JSON fits one item: strings are cut harder until it does. */
export function fit<T>(data: T, limit = DEFAULT_ITEM_LIMIT): T {
  let max = MAX_STRING
  let out: unknown = value(data, max)
  let size = JSON.stringify(out)?.length ?? 0
  while (size > limit && max > 64) {
    max = Math.floor(max / 4)
    out = value(data, max)
    size = JSON.stringify(out)?.length ?? 0
  }
  return out as T
}
