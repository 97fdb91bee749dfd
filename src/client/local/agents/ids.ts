/**
 * Ids for the items a reader makes. They are stable across re-reads of a growing file (made
 * from the agent's own timestamps, indexes and record ids, never from counters of what was
 * read) and sort in the order things happened, because the viewer orders messages and parts by
 * id. Every id matches ID_PATTERN.
 */
import { createHash } from "node:crypto"
import { ID_PATTERN } from "../../../schema/index.ts"

/** The highest `seq`: sorts after every other part of its message (step-finish). */
export const LAST = 36 ** 4 - 1

const b36 = (n: number, width: number) => {
  const v = Number.isFinite(n) && n > 0 ? Math.min(Math.floor(n), 36 ** width - 1) : 0
  return v.toString(36).padStart(width, "0")
}

export function hash(key: string): string {
  return createHash("sha256").update(key).digest("hex")
}

/** `prefix_` + time (ms) + position + a hash of the record's own id: unique and sortable. */
export function sortable(prefix: string, ms: number, seq: number, key: string): string {
  return `${prefix}_${b36(ms, 9)}${b36(seq, 4)}${hash(key).slice(0, 12)}`
}

/** `id` itself when it is a valid id, else a hash of it. */
export function safe(id: string, prefix = "x"): string {
  return ID_PATTERN.test(id) ? id : `${prefix}_${hash(id).slice(0, 32)}`
}

/** Epoch ms of an ISO time or a number, else undefined. */
export function ms(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined
  if (typeof v !== "string") return undefined
  const t = Date.parse(v)
  return Number.isFinite(t) ? t : undefined
}
