/**
 * A transcript's shape: the sessions, messages, turns and totals that model.ts builds from a
 * share's items, and that tally.ts and update.ts keep up to date (model.ts re-exports them).
 */
import type { Rec } from "./read.ts"

export type Item = { key: string; type: string; sessionID: string; seq: number; data: unknown }

export type Msg = { id: string; role: string; info: Rec; parts: Rec[]; seq: number }

export type Turn = {
  /** The user message id, or the first assistant message's id for a turn with no user message. */
  id: string
  index: number
  user?: Msg
  replies: Msg[]
  /** The highest seq among this turn's messages, parts and subagent sessions. */
  seq: number
  label: string
}

export type Session = {
  id: string
  info: Rec
  diffs: unknown[]
  models: Rec[]
  messages: Msg[]
  turns: Turn[]
  /** Items of types the viewer does not know, shown raw. */
  other: Item[]
  seq: number
}

export type Totals = {
  cost: number
  input: number
  output: number
  reasoning: number
  cacheRead: number
  cacheWrite: number
  started?: number
  ended?: number
  messages: number
  /** Milliseconds the agent was at work: the union of its assistant messages' spans (not wall time). */
  busy: number
}

export type Transcript = {
  rootID: string
  root: Session
  sessions: Map<string, Session>
  /** Turn id of every message id in the root session. */
  turnOf: Map<string, string>
  /** Message id of every part id in the root session (for permalinks to parts). */
  partMessage: Map<string, string>
  /** Child session id -> the root turn whose task part spawned it. */
  parentTurn: Map<string, string>
  models: string[]
  totals: Totals
  seq: number
}

/** Where `id` is, or would go, in `list` (sorted by id): the first index whose id is not below it. */
export function position<T extends { id: string }>(list: readonly T[], id: string): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((list[mid] as T).id < id) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The index of `id` in `list` (sorted by id), or -(where it would go) - 1. */
export function find<T extends { id: string }>(list: readonly T[], id: string): number {
  const lo = position(list, id)
  return lo < list.length && (list[lo] as T).id === id ? lo : -lo - 1
}

/** Where a `find` answer is, or would go. */
export const at = (i: number) => (i >= 0 ? i : -i - 1)
