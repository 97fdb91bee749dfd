/** Pieces every reader builds the same way: tokens, text, tool, raw and step parts. */
import type { ToolClass } from "../../../schema/index.ts"
import { toolClass } from "../../../schema/index.ts"
import * as Bound from "./bound.ts"
import type { Builder, Rec } from "./builder.ts"
import * as Ids from "./ids.ts"

/** Raw records keep less of each string: nobody knows what they hold. */
const RAW_STRING = 16 * 1024

export type Tokens = {
  total?: number
  input: number
  output: number
  reasoning: number
  cache: { read: number; write: number }
}

const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0)

export function tokens(
  input: unknown,
  output: unknown,
  reasoning: unknown,
  read: unknown,
  write: unknown,
  total?: unknown,
): Tokens {
  const t: Tokens = {
    input: n(input),
    output: n(output),
    reasoning: n(reasoning),
    cache: { read: n(read), write: n(write) },
  }
  const sum = t.input + t.output + t.reasoning + t.cache.read + t.cache.write
  t.total = n(total) || sum
  return t
}

export const str = (v: unknown): string => (typeof v === "string" ? v : "")
export const rec = (v: unknown): Rec => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Rec) : {})
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
export const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined)

/** `metadata.agentshare` for `agent`'s tool `name`: its family, "other" when unknown. */
export function classOf(agent: string, name: string): ToolClass {
  return toolClass(agent, name) ?? { family: "other" }
}

/** A record of a type the reader does not know, as a part of message `mid`. */
export function raw(b: Builder, mid: string, ms: number, seq: number, key: string, agent: string, record: unknown) {
  const type = str(rec(record).type) || "(untyped)"
  b.putPart({
    id: Ids.sortable("prt", ms, seq, `raw:${key}`),
    sessionID: b.id,
    messageID: mid,
    type: "raw",
    agent,
    recordType: Bound.text(type, 128),
    record: Bound.value(record, RAW_STRING),
  })
}

/** The message a raw record goes under: the latest one, or a placeholder before any. */
export function anchor(b: Builder, last: string | undefined, ms: number, key: string): string {
  if (last && b.message(last)) return last
  const id = Ids.sortable("msg", ms, 0, `anchor:${key}`)
  if (!b.message(id)) b.put({ id, sessionID: b.id, role: "system", time: { created: ms, completed: ms } })
  return id
}

/** `path` relative to `root` when it lies inside it: share pages name files by project path. */
export function relative(path: string, root: string): string {
  if (!root || root === "/") return path
  const r = root.replace(/\/+$/, "")
  return path === r ? "." : path.startsWith(`${r}/`) ? path.slice(r.length + 1) : path
}
