/**
 * A parsed transcript with the items it was built from, and the index the incremental update
 * keeps beside it (update.ts): which items feed which message, which turn holds each message,
 * where sessions and messages sit in the order `Model.build` reads them, and the totals' tally.
 */
import * as Model from "./model.ts"
import type { Item, Msg, Session, Transcript } from "./model.ts"
import { rec, str } from "./read.ts"
import * as Tally from "./tally.ts"

/** A transcript with the items it was built from: what the next sync's changes apply to. */
export type Parsed<T extends Item = Item> = {
  transcript: Transcript
  /** Every item by key. The next version takes it over and changes it: apply to the latest version only. */
  items: Map<string, T>
  /** Which items feed which message, and where messages sit; built at the first `apply`. */
  index?: Index
  /** Messages between the totals' marks (Tally.MARK). */
  mark?: number
}

/** Where a message sits in the order `Model.build` reads them: its session's place, then its id. */
type Place = { session: number; id: string; provider: string; model: string }

export type Index = {
  /** Session id -> message id -> the key of its message item. */
  messages: Map<string, Map<string, string>>
  /** Session id -> message id -> the keys of its part items. */
  parts: Map<string, Map<string, Set<string>>>
  /** Sessions only a full build can read: a V2 `messages` item, or two message items of one id. */
  whole: Set<string>
  /** Session id -> message id -> the index of the turn that holds it. */
  owner: Map<string, Map<string, number>>
  /** Session id -> its place among the transcript's sessions. */
  order: Map<string, number>
  /** The first message that names each model ("provider\0id"). */
  firsts: Map<string, Place>
  names: Map<string, string>
  /** Root turn id -> the child sessions it spawned (Transcript.parentTurn turned around). */
  spawned: Map<string, string[]>
  tally: Tally.Tally
}

export function parse<T extends Item>(items: T[], rootID: string, mark?: number): Parsed<T> {
  return { transcript: Model.build(items, rootID), items: new Map(items.map((i) => [i.key, i])), mark }
}

/** The message id an item feeds ("" for items that feed none). */
export function home(item: Item, kind = Model.kind(item)): string {
  if (kind === "message") return str(rec(item.data).id)
  if (kind === "part") return str(rec(item.data).messageID)
  return ""
}

export function inner<V>(outer: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let m = outer.get(key)
  if (!m) outer.set(key, (m = new Map()))
  return m
}

export const modelKey = (m: Msg) => {
  const model = Model.modelOf(m)
  return model ? { key: `${model.provider}\u0000${model.id}`, ...model } : undefined
}

export const before = (a: { session: number; id: string }, b: { session: number; id: string }) =>
  a.session < b.session || (a.session === b.session && a.id < b.id)

export function indexOf(parsed: Parsed): Index {
  const t = parsed.transcript
  const messages = new Map<string, Map<string, string>>()
  const parts = new Map<string, Map<string, Set<string>>>()
  const whole = new Set<string>()
  for (const item of parsed.items.values()) {
    const kind = Model.kind(item)
    if (kind === "message") {
      const held = inner(messages, item.sessionID)
      const id = home(item, kind)
      if (held.has(id)) whole.add(item.sessionID)
      held.set(id, item.key)
    } else if (kind === "part") {
      const held = inner(parts, item.sessionID)
      const id = home(item, kind)
      let keys = held.get(id)
      if (!keys) held.set(id, (keys = new Set()))
      keys.add(item.key)
    } else if (kind === "messages") whole.add(item.sessionID)
  }
  const owner = new Map<string, Map<string, number>>()
  const order = new Map<string, number>()
  for (const s of t.sessions.values()) {
    order.set(s.id, order.size)
    const own = inner(owner, s.id)
    for (const turn of s.turns) {
      if (turn.user) own.set(turn.user.id, turn.index)
      for (const m of turn.replies) own.set(m.id, turn.index)
    }
  }
  const names = Model.modelNames(t.sessions)
  const { tally } = Tally.create([...t.sessions.values()], parsed.mark)
  const spawned = invert(t.parentTurn)
  return { messages, parts, whole, owner, order, firsts: firstsOf(t.sessions), names, spawned, tally }
}

export function firstsOf(sessions: Map<string, Session>): Map<string, Place> {
  const firsts = new Map<string, Place>()
  let session = 0
  for (const s of sessions.values()) {
    for (const m of s.messages) {
      const k = modelKey(m)
      if (k && !firsts.has(k.key)) firsts.set(k.key, { session, id: m.id, provider: k.provider, model: k.id })
    }
    session += 1
  }
  return firsts
}

export function invert(parentTurn: Map<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [sid, tid] of parentTurn) {
    const list = out.get(tid)
    if (list) list.push(sid)
    else out.set(tid, [sid])
  }
  return out
}
