/**
 * The one reader of hostile JSON. `json()` parses text a client, a file or another process sent:
 * valid UTF-8 text, nesting bounded (measured without recursion), then its schema. The field
 * readers (`rec`, `str`, `get`…) read values of any shape without trusting a type they did not check.
 */
import type { z } from "zod"
import { MAX_JSON_DEPTH } from "./limits.ts"

export type Rec = Record<string, unknown>

export function isRec(v: unknown): v is Rec {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

export function rec(v: unknown): Rec {
  return isRec(v) ? v : {}
}

export function str(v: unknown): string {
  return typeof v === "string" ? v : ""
}

/** A finite number, else 0 (NaN, Infinity and strings all read as 0). */
export function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0
}

export function opt(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

export function get(v: unknown, ...path: string[]): unknown {
  let cur = v
  for (const k of path) cur = isRec(cur) ? cur[k] : undefined
  return cur
}

/** Any value as display text: strings as they are, everything else as JSON. */
export function text(v: unknown): string {
  if (typeof v === "string") return v
  if (v === undefined) return ""
  try {
    return JSON.stringify(v, null, 2) ?? ""
  } catch {
    return String(v)
  }
}

/** Nesting depth, measured without recursion so a hostile value cannot exhaust the stack; stops counting past `limit`. */
export function depth(value: unknown, limit = MAX_JSON_DEPTH): number {
  if (typeof value !== "object" || value === null) return 0
  let max = 0
  // Only objects and arrays are stacked, with their depths beside them: every request body is
  // walked, so the walk allocates nothing per value.
  const stack: object[] = [value]
  const depths: number[] = [1]
  while (stack.length) {
    const v = stack.pop() as object
    const d = depths.pop() as number
    if (d > max) max = d
    if (max > limit) return max
    if (Array.isArray(v)) {
      for (const child of v)
        if (typeof child === "object" && child !== null) {
          stack.push(child)
          depths.push(d + 1)
        }
      continue
    }
    for (const k in v) {
      const child = (v as Rec)[k]
      if (typeof child === "object" && child !== null) {
        stack.push(child)
        depths.push(d + 1)
      }
    }
  }
  return max
}

export type Problem = "invalid_json" | "too_deep" | "invalid_body"
export type Read<T> = { ok: true; value: T } | { ok: false; problem: Problem; message: string }

/** `text` as JSON matching `schema`; the first problem named (`data[3].type: …`), never a throw. */
export function json<T extends z.ZodType>(
  text: string,
  schema: T,
  options: { maxDepth?: number } = {},
): Read<z.infer<T>> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, problem: "invalid_json", message: "not valid JSON" }
  }
  const limit = options.maxDepth ?? MAX_JSON_DEPTH
  if (depth(value, limit) > limit)
    return { ok: false, problem: "too_deep", message: `nests deeper than ${limit} levels` }
  const r = schema.safeParse(value)
  if (r.success) return { ok: true, value: r.data }
  const issue = r.error.issues[0]
  const path = issue?.path.length
    ? issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : i ? `.${String(p)}` : String(p))).join("")
    : "body"
  return { ok: false, problem: "invalid_body", message: `${path}: ${issue?.message ?? "invalid"}` }
}
