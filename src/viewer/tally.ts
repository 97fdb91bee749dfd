/**
 * A transcript's totals (cost, tokens, times, messages, the agent's busy time), summed the one
 * way `Model.totals` sums them, and kept up to date as messages change without summing the
 * share again. Floating-point sums depend on their order, so an update never adds or takes
 * away a difference: it sums again from the last mark before the first changed message (a
 * mark every MARK messages of each session) in the same order, which gives the same bits.
 */
import { type Msg, position, type Session, type Totals } from "./shape.ts"
import { get, num, opt, rec } from "./read.ts"

/** Totals before the busy time, which comes from the spans. */
export type State = Omit<Totals, "busy">

/** Where an assistant message was at work, and which message it was (ties sort by message). */
export type Span = { start: number; end: number; session: number; id: string }

/** Messages between marks: an update sums at most this many messages again before the changed one. */
export const MARK = 64

export const empty = (): State => ({
  cost: 0,
  input: 0,
  output: 0,
  reasoning: 0,
  cacheRead: 0,
  cacheWrite: 0,
  messages: 0,
})

/** Adds one message to `t`: the step Model.totals takes for each message. Answers its span of work. */
export function step(t: State, m: Msg): [number, number] | undefined {
  t.messages += 1
  const created = opt(get(m.info, "time", "created"))
  const done = opt(get(m.info, "time", "completed")) ?? created
  if (created !== undefined) t.started = Math.min(t.started ?? created, created)
  if (done !== undefined) t.ended = Math.max(t.ended ?? done, done)
  if (m.role !== "assistant") return undefined
  const completed = opt(get(m.info, "time", "completed"))
  t.cost += num(m.info.cost)
  const k = rec(m.info.tokens)
  t.input += num(k.input)
  t.output += num(k.output)
  t.reasoning += num(k.reasoning)
  t.cacheRead += num(get(k, "cache", "read"))
  t.cacheWrite += num(get(k, "cache", "write"))
  return created !== undefined && completed !== undefined && completed > created ? [created, completed] : undefined
}

/** The sweep over spans sorted by start: overlapping spans count once (sub-agents work while their parent waits). */
export function sweep(
  spans: Iterable<[number, number]>,
  from = { end: -Infinity, busy: 0 },
  each?: (end: number, busy: number) => void,
) {
  let { end, busy } = from
  for (const [s, e] of spans) {
    if (e > end) {
      busy += e - Math.max(s, end)
      end = e
    }
    each?.(end, busy)
  }
  return { end, busy }
}

export type Tally = {
  /** Messages between marks (MARK; tests use fewer to reach every path). */
  every: number
  /** Per session, in order: the running totals before its message 0, every, 2·every, … */
  marks: State[][]
  /** Per session: the running totals after its last message. */
  ends: State[]
  /** Spans in the order Model.totals sorts them, and the sweep's state after each. */
  spans: Span[]
  swept: { end: number; busy: number }[]
}

const order = (a: Span, b: Span) =>
  a.start !== b.start
    ? a.start - b.start
    : a.session !== b.session
      ? a.session - b.session
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0

function spanOf(m: Msg, session: number): Span | undefined {
  const w = step(empty(), m)
  return w ? { start: w[0], end: w[1], session, id: m.id } : undefined
}

/** Sums `sessions[from..]`, starting at message `at` of the first of them. */
function fold(tally: Tally, sessions: Session[], from: number, at: number) {
  const first = tally.marks[from] ?? []
  let mark = Math.max(0, Math.min(Math.floor(at / tally.every), first.length - 1))
  let t: State = { ...(first[mark] ?? tally.ends[from - 1] ?? empty()) }
  for (let si = from; si < sessions.length; si++) {
    if (si > from) {
      mark = 0
      t = { ...(tally.ends[si - 1] ?? empty()) }
    }
    const messages = (sessions[si] as Session).messages
    const marks = (tally.marks[si] ??= [])
    marks.length = mark
    for (let j = mark * tally.every; j < messages.length; j++) {
      if (j % tally.every === 0) marks.push({ ...t })
      step(t, messages[j] as Msg)
    }
    if (marks.length === 0) marks.push({ ...t })
    tally.ends[si] = { ...t }
  }
}

function resweep(tally: Tally, from: number) {
  tally.swept.length = from
  const pairs = function* () {
    for (let j = from; j < tally.spans.length; j++) {
      const s = tally.spans[j] as Span
      yield [s.start, s.end] as [number, number]
    }
  }
  sweep(pairs(), tally.swept[from - 1], (end, busy) => tally.swept.push({ end, busy }))
}

function result(tally: Tally): Totals {
  return { ...(tally.ends.at(-1) ?? empty()), busy: tally.swept.at(-1)?.busy ?? 0 }
}

export function create(sessions: Session[], every = MARK): { tally: Tally; totals: Totals } {
  const tally: Tally = { every, marks: [], ends: [], spans: [], swept: [] }
  fold(tally, sessions, 0, 0)
  sessions.forEach((s, si) => {
    for (const m of s.messages) {
      const span = spanOf(m, si)
      if (span) tally.spans.push(span)
    }
  })
  tally.spans.sort(order)
  resweep(tally, 0)
  return { tally, totals: result(tally) }
}

function find(spans: Span[], span: Span): number {
  let lo = 0
  let hi = spans.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (order(spans[mid] as Span, span) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The totals after `changed` messages (new ones, or ones whose info changed) took their place
 * in `sessions` (the transcript's sessions in order, each with its messages as they are now).
 */
export function update(tally: Tally, sessions: Session[], changed: { session: number; old?: Msg; m: Msg }[]): Totals {
  if (changed.length === 0) return result(tally)
  let from = sessions.length
  let at = 0
  let swept = tally.spans.length
  for (const { session, old, m } of changed) {
    const messages = (sessions[session] as Session).messages
    const i = position(messages, m.id)
    if (session < from || (session === from && i < at)) {
      from = session
      at = i
    }
    const gone = old && spanOf(old, session)
    if (gone) {
      const j = find(tally.spans, gone)
      if (j < tally.spans.length && order(tally.spans[j] as Span, gone) === 0) tally.spans.splice(j, 1)
      swept = Math.min(swept, j)
    }
    const span = spanOf(m, session)
    if (span) {
      const j = find(tally.spans, span)
      tally.spans.splice(j, 0, span)
      swept = Math.min(swept, j)
    }
  }
  fold(tally, sessions, from, at)
  resweep(tally, Math.min(swept, tally.spans.length))
  return result(tally)
}
