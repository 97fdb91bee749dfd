/**
 * A share's items shaped for reading: sessions, their messages with parts, and turns (a user
 * message with the assistant messages that answer it). Built once per share version and
 * reused by every request until the next sync, so a page renders only its window.
 */
import { legacy } from "./legacy.ts"
import * as Tally from "./tally.ts"
import * as V2 from "./v2.ts"
import { arr, get, isRec, rec, str, type Rec } from "./read.ts"
import type { Item, Msg, Session, Totals, Transcript, Turn } from "./shape.ts"

export type { Item, Msg, Session, Totals, Transcript, Turn } from "./shape.ts"

function blank(id: string): Session {
  return { id, info: {}, diffs: [], models: [], messages: [], turns: [], other: [], seq: 0 }
}

export const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Parts of a message in id order (a stable sort: equal ids keep the order they came in). */
export const sortParts = (parts: Rec[]) => parts.sort((a, b) => byId({ id: str(a.id) }, { id: str(b.id) }))

/** What an item is to the transcript; `other` is shown raw (a type this viewer does not know,
 * or a known one whose data it cannot read). */
export type Kind = "session" | "session_diff" | "model" | "message" | "part" | "messages" | "other"

export function kind(item: Item): Kind {
  if (item.type === "session" && isRec(item.data)) return "session"
  if (item.type === "session_diff") return "session_diff"
  if (item.type === "model") return "model"
  if (item.type === "message" && isRec(item.data) && str(item.data.id)) return "message"
  if (item.type === "part" && isRec(item.data)) return "part"
  if (item.type === "messages" && isRec(item.data)) return "messages"
  return "other"
}

/** A message item as a message: legacy v1 messages carry their parts, others get them from part items. */
export function message(data: Rec): { id: string; role: string; info: Rec; parts: Rec[] } {
  return isRec(data.metadata) ? legacy(data) : { id: str(data.id), role: str(data.role), info: data, parts: [] }
}

/** The message a part names when its message never arrived: the part still shows, under it. */
export const placeholder = (id: string): Msg => ({ id, role: "", info: { id }, parts: [], seq: 0 })

export function build(items: Iterable<Item>, rootID: string): Transcript {
  const sessions = new Map<string, Session>()
  const session = (id: string) => {
    let s = sessions.get(id)
    if (!s) sessions.set(id, (s = blank(id)))
    return s
  }
  session(rootID)
  const messages = new Map<string, Map<string, Msg>>()
  const parts: Item[] = []
  // OpenCode V2: one `messages` item holds a session's whole message list (v2.ts).
  const batches = new Map<string, Item>()
  let seq = 0
  for (const item of items) {
    seq = Math.max(seq, item.seq)
    const s = session(item.sessionID)
    s.seq = Math.max(s.seq, item.seq)
    const k = kind(item)
    if (k === "session") s.info = rec(item.data)
    else if (k === "session_diff") s.diffs = arr(item.data)
    else if (k === "model") s.models = arr(item.data).filter(isRec)
    else if (k === "message") {
      const m = message(rec(item.data))
      const list = messages.get(item.sessionID) ?? new Map<string, Msg>()
      messages.set(item.sessionID, list)
      const prev = list.get(m.id)
      list.set(m.id, { ...m, parts: [...(prev?.parts ?? []), ...m.parts], seq: Math.max(item.seq, prev?.seq ?? 0) })
    } else if (k === "part") parts.push(item)
    else if (k === "messages") {
      if ((batches.get(item.sessionID)?.seq ?? -1) < item.seq) batches.set(item.sessionID, item)
    } else s.other.push(item)
  }
  for (const item of parts) {
    const p = rec(item.data)
    const list = messages.get(item.sessionID) ?? new Map<string, Msg>()
    messages.set(item.sessionID, list)
    const mid = str(p.messageID)
    // A part whose message never arrived still shows, under a placeholder message.
    const m = list.get(mid) ?? placeholder(mid)
    m.parts.push(p)
    m.seq = Math.max(m.seq, item.seq)
    list.set(mid, m)
  }
  for (const [sid, batch] of batches) {
    const s = session(sid)
    if (!V2.isV2(s.info, (messages.get(sid)?.size ?? 0) > 0)) continue
    s.info = V2.session(s.info)
    const list = new Map<string, Msg>()
    for (const m of V2.messages(batch.data, sid)) list.set(m.id, { ...m, seq: batch.seq })
    messages.set(sid, list)
  }
  for (const [sid, list] of messages) {
    const s = session(sid)
    s.messages = [...list.values()].sort(byId)
    for (const m of s.messages) sortParts(m.parts)
    s.turns = group(s.messages)
  }
  const root = session(rootID)
  const turnOf = new Map<string, string>()
  for (const t of root.turns) for (const m of [t.user, ...t.replies]) if (m) turnOf.set(m.id, t.id)
  const partMessage = new Map<string, string>()
  for (const m of root.messages) for (const p of m.parts) partMessage.set(str(p.id), m.id)
  const parentTurn = children(root, sessions)
  // A subagent's activity counts as activity of the turn that spawned it.
  for (const [sid, tid] of parentTurn) {
    const turn = root.turns.find((t) => t.id === tid)
    const child = sessions.get(sid)
    if (turn && child) turn.seq = Math.max(turn.seq, child.seq)
  }
  return {
    rootID,
    root,
    sessions,
    turnOf,
    partMessage,
    parentTurn,
    models: models(sessions),
    totals: totals(sessions),
    seq,
  }
}

/** Turns: each assistant message goes under the user message it answers (`parentID`),
 * or under the latest user message before it when that is missing (v1 and early 0.x). */
export function group(messages: Msg[]): Turn[] {
  const turns: Turn[] = []
  const byUser = new Map<string, Turn>()
  let last: Turn | undefined
  for (const m of messages) {
    if (m.role === "user") {
      last = { id: m.id, index: turns.length, user: m, replies: [], seq: m.seq, label: label(m) }
      turns.push(last)
      byUser.set(m.id, last)
      continue
    }
    const turn = byUser.get(str(m.info.parentID)) ?? last
    if (turn) {
      turn.replies.push(m)
      turn.seq = Math.max(turn.seq, m.seq)
      continue
    }
    last = { id: m.id, index: turns.length, replies: [m], seq: m.seq, label: "(no prompt)" }
    turns.push(last)
  }
  return turns
}

/** A turn's line in the outline: the first line of its prompt, or what the prompt holds instead. */
export function label(m: Msg): string {
  const part = m.parts.find((p) => p.type === "text" && !p.synthetic && str(p.text).trim())
  const line = str(part?.text).trim().split("\n")[0] ?? ""
  if (line) return line.length > 72 ? `${line.slice(0, 71)}…` : line
  const subtask = m.parts.find((p) => p.type === "subtask")
  if (subtask) return `Subtask: ${str(subtask.description) || str(subtask.agent)}`.slice(0, 72)
  if (m.parts.some((p) => p.type === "compaction")) return "Compaction"
  const file = m.parts.find((p) => p.type === "file")
  return file ? `Attachment: ${str(file.filename) || "file"}`.slice(0, 72) : "(empty prompt)"
}

/** Child session id -> the root turn whose task call first spawned it (nested ones included). */
export function children(root: Session, sessions: Map<string, Session>): Map<string, string> {
  const out = new Map<string, string>()
  const visit = (s: Session, turnID: (m: Msg) => string, depth: number) => {
    if (depth > 8) return
    for (const t of s.turns)
      for (const m of t.replies)
        for (const p of m.parts) {
          const sid = str(get(p, "state", "metadata", "sessionId"))
          if (p.type !== "tool" || !sid || sid === s.id || out.has(sid) || !sessions.has(sid)) continue
          out.set(sid, turnID(m))
          visit(sessions.get(sid)!, () => turnID(m), depth + 1)
        }
  }
  visit(root, (m) => root.turns.find((t) => t.replies.includes(m))?.id ?? "", 0)
  return out
}

/** Display names of the models the sessions' `model` items describe, by "provider/id". */
export function modelNames(sessions: Map<string, Session>): Map<string, string> {
  const names = new Map<string, string>()
  for (const s of sessions.values())
    for (const model of s.models) {
      const id = str(model.id)
      if (id) names.set(`${str(model.providerID)}/${id}`, str(model.name) || id)
    }
  return names
}

/** The model that wrote a message, if it says. */
export function modelOf(m: Msg): { provider: string; id: string } | undefined {
  const id = str(m.info.modelID) || str(get(m.info, "model", "modelID"))
  if (!id) return undefined
  return { provider: str(m.info.providerID) || str(get(m.info, "model", "providerID")), id }
}

/** The models' names in the order messages first name them; those of `model` items when none does. */
export function modelList(names: Map<string, string>, used: Iterable<{ provider: string; id: string }>): string[] {
  const out = new Set<string>()
  for (const { provider, id } of used) out.add(names.get(`${provider}/${id}`) ?? id)
  if (out.size === 0) for (const n of names.values()) out.add(n)
  return [...out]
}

function models(sessions: Map<string, Session>): string[] {
  const used: { provider: string; id: string }[] = []
  for (const s of sessions.values())
    for (const m of s.messages) {
      const model = modelOf(m)
      if (model) used.push(model)
    }
  return modelList(modelNames(sessions), used)
}

/** What the session cost and took, over every message of every session (sub-agents included). */
export function totals(sessions: Map<string, Session>): Totals {
  const t: Totals = { cost: 0, input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0, messages: 0, busy: 0 }
  const spans: [number, number][] = []
  for (const s of sessions.values())
    for (const m of s.messages) {
      const span = Tally.step(t, m)
      if (span) spans.push(span)
    }
  // Sub-agents work while their parent waits: overlapping spans count once.
  spans.sort((a, b) => a[0] - b[0])
  t.busy = Tally.sweep(spans).busy
  return t
}
