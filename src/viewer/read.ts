/**
 * Typed reads from hostile JSON: every share value may be any shape, so the viewer reads
 * fields through these and never trusts a type it did not check.
 */
export type Rec = Record<string, unknown>

export function rec(v: unknown): Rec {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Rec) : {}
}

export function isRec(v: unknown): v is Rec {
  return typeof v === "object" && v !== null && !Array.isArray(v)
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
