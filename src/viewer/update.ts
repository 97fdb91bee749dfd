/**
 * A sync's changed items applied to a parsed transcript without parsing the share again: only
 * the messages those items feed are rebuilt, only the turns that hold them regrouped, and the
 * rest is shared with the version before. The result renders exactly as `Model.build` over all
 * the items in share order would (test/viewer/update.test.ts checks that over random syncs).
 * Where that cannot be promised cheaply, `apply` answers undefined and the caller reads the
 * share again: a new session (its place among the sessions is the store's order), an unknown
 * item type's first item, an OpenCode V2 `messages` item, or a key that now names another
 * message or session.
 *
 * Versions are immutable wherever the renderers memoise by identity: every version is a new
 * Transcript, a session that changed is a new Session with new `messages` and `turns` arrays,
 * and a changed turn or message is a new object. The id maps (`turnOf`, `partMessage`) are
 * shared while they only grow: an older version may find ids that only later versions hold,
 * never another answer for an id it holds; a map whose answer for an id changes is copied.
 */
import * as Model from "./model.ts"
import type { Item, Msg, Session, Turn } from "./model.ts"
import { arr, get, isRec, rec, str, type Rec } from "./read.ts"
import { at, find } from "./shape.ts"
import * as Tally from "./tally.ts"
import { type Index, type Parsed, before, firstsOf, home, indexOf, inner, invert, modelKey } from "./parsed.ts"

export { parse, type Parsed } from "./parsed.ts"

/** A message as `Model.build` makes it, from its message item (if any) and its part items. */
function rebuild(parsed: Parsed, index: Index, sid: string, mid: string): Msg {
  const key = index.messages.get(sid)?.get(mid)
  const row = key === undefined ? undefined : parsed.items.get(key)
  let m: Msg
  if (row) {
    const base = Model.message(rec(row.data))
    m = { ...base, parts: [...base.parts], seq: row.seq }
  } else m = Model.placeholder(mid)
  for (const k of index.parts.get(sid)?.get(mid) ?? []) {
    const part = parsed.items.get(k) as Item
    m.parts.push(rec(part.data))
    m.seq = Math.max(m.seq, part.seq)
  }
  Model.sortParts(m.parts)
  return m
}

const parentOf = (m: Msg) => str(m.info.parentID)

/** Whether a message's calls may spawn a session (what `Model.children` follows). */
const spawns = (m: Msg | undefined) =>
  !!m?.parts.some((p) => p.type === "tool" && str(get(p, "state", "metadata", "sessionId")))

type Draft = { id: string; user?: Msg; replies: Msg[] }

type Revised = {
  messages: Msg[]
  turns: Turn[]
  /** Each rebuilt message with the one it replaced. */
  changed: { old?: Msg; m: Msg }[]
  /** Indices of turns that are new objects. */
  rebuilt: number[]
  /** Whether a message that may spawn a session moved between turns. */
  spawnerMoved: boolean
}

/**
 * A session's messages with `touched` rebuilt, and its turns grouped again from the first
 * message whose place in them may have changed (a new message, or a changed role or parent):
 * turns before it are kept, those after it made again, as `Model.group` would.
 */
function revise(parsed: Parsed, index: Index, s: Session, touched: Set<string>): Revised {
  const list = s.messages.slice()
  const changed: Revised["changed"] = []
  const inserted: Msg[] = []
  let pivot: string | undefined
  for (const mid of touched) {
    const m = rebuild(parsed, index, s.id, mid)
    const i = find(list, mid)
    if (i >= 0) {
      const old = list[i] as Msg
      list[i] = m
      changed.push({ old, m })
      if (old.role !== m.role || parentOf(old) !== parentOf(m)) pivot = pivot === undefined || mid < pivot ? mid : pivot
    } else {
      inserted.push(m)
      changed.push({ m })
      pivot = pivot === undefined || mid < pivot ? mid : pivot
    }
  }
  const messages = merge(list, inserted)
  const owner = inner(index.owner, s.id)
  const turns: (Turn | undefined)[] = s.turns.slice()
  const drafts = new Map<number, Draft>()
  const open = (i: number): Draft => {
    let d = drafts.get(i)
    if (!d) {
      const x = turns[i] as Turn
      drafts.set(i, (d = { id: x.id, user: x.user, replies: x.replies.slice() }))
    }
    return d
  }
  let spawnerMoved = false
  if (pivot !== undefined) {
    // Turns are in the order of their first message, so those before the pivot stay turns.
    const kept = at(find(s.turns, pivot))
    const trimmed = new Set<number>()
    for (let j = at(find(s.messages, pivot)); j < s.messages.length; j++) {
      const old = s.messages[j] as Msg
      spawnerMoved ||= spawns(old)
      const i = owner.get(old.id)
      if (i !== undefined && i < kept) trimmed.add(i)
    }
    for (const i of trimmed) {
      const d = open(i)
      d.replies = d.replies.filter((r) => r.id < (pivot as string))
    }
    turns.length = kept
    let last = kept > 0 ? kept - 1 : undefined
    const users = new Map<string, number>()
    const start = at(find(messages, pivot))
    const add = (d: Draft) => {
      const i = turns.length
      turns.push(undefined)
      drafts.set(i, d)
      last = i
      return i
    }
    for (let j = start; j < messages.length; j++) {
      const m = messages[j] as Msg
      spawnerMoved ||= spawns(m)
      if (m.role === "user") {
        const i = add({ id: m.id, user: m, replies: [] })
        users.set(m.id, i)
        owner.set(m.id, i)
        continue
      }
      const parent = parentOf(m)
      let target = users.get(parent)
      if (target === undefined) {
        const q = find(messages, parent)
        if (q >= 0 && q < start && (messages[q] as Msg).role === "user") target = owner.get(parent)
      }
      target ??= last
      if (target !== undefined) open(target).replies.push(m)
      else target = add({ id: m.id, replies: [m] })
      owner.set(m.id, target)
    }
  }
  // Messages before the pivot keep their turn: only the object in it changes.
  for (const { old, m } of changed) {
    if (!old || (pivot !== undefined && m.id >= pivot)) continue
    const d = open(owner.get(m.id) as number)
    if (d.user?.id === m.id) d.user = m
    else d.replies = d.replies.map((r) => (r.id === m.id ? m : r))
  }
  for (const [i, d] of drafts) {
    let seq = d.user ? d.user.seq : -Infinity
    for (const r of d.replies) seq = Math.max(seq, r.seq)
    turns[i] = d.user
      ? { id: d.id, index: i, user: d.user, replies: d.replies, seq, label: Model.label(d.user) }
      : { id: d.id, index: i, replies: d.replies, seq, label: "(no prompt)" }
  }
  return { messages, turns: turns as Turn[], changed, rebuilt: [...drafts.keys()], spawnerMoved }
}

/** Sorted `list` with sorted-or-not `extra` merged in (ids are unique across both). */
function merge(list: Msg[], extra: Msg[]): Msg[] {
  if (extra.length === 0) return list
  extra.sort(Model.byId)
  const last = list.at(-1)
  if (!last || last.id < (extra[0] as Msg).id) return list.concat(extra)
  const out: Msg[] = []
  let i = 0
  for (const m of extra) {
    while (i < list.length && (list[i] as Msg).id < m.id) out.push(list[i++] as Msg)
    out.push(m)
  }
  while (i < list.length) out.push(list[i++] as Msg)
  return out
}

type Change = {
  seq: number
  info?: Rec
  diffs?: unknown[]
  models?: Rec[]
  other?: Map<string, Item>
  touched: Set<string>
}

/**
 * The next version after a sync that stored `rows` (every item it changed, none removed), or
 * undefined when only a full build gives the right answer. `parsed` must be the latest version.
 */
export function apply<T extends Item>(parsed: Parsed<T>, rows: readonly T[]): Parsed<T> | undefined {
  if (rows.length === 0) return parsed
  const t = parsed.transcript
  const index = (parsed.index ??= indexOf(parsed as Parsed))
  const seen = new Set<string>()
  for (const row of rows) {
    const kind = Model.kind(row)
    const old = parsed.items.get(row.key)
    if (seen.has(row.key) || !t.sessions.has(row.sessionID) || index.whole.has(row.sessionID)) return undefined
    if (kind === "messages" || (kind === "other" && !old)) return undefined
    if (old && (Model.kind(old) !== kind || old.sessionID !== row.sessionID || home(old) !== home(row, kind)))
      return undefined
    const held = kind === "message" ? index.messages.get(row.sessionID)?.get(home(row, kind)) : undefined
    if (held !== undefined && held !== row.key) return undefined
    seen.add(row.key)
  }
  let seq = t.seq
  const changes = new Map<string, Change>()
  let namesChanged = false
  for (const row of rows) {
    parsed.items.set(row.key, row)
    seq = Math.max(seq, row.seq)
    let c = changes.get(row.sessionID)
    if (!c) changes.set(row.sessionID, (c = { seq: 0, touched: new Set() }))
    c.seq = Math.max(c.seq, row.seq)
    const kind = Model.kind(row)
    if (kind === "session") c.info = rec(row.data)
    else if (kind === "session_diff") c.diffs = arr(row.data)
    else if (kind === "model") {
      c.models = arr(row.data).filter(isRec)
      namesChanged = true
    } else if (kind === "message") {
      c.touched.add(home(row, kind))
      inner(index.messages, row.sessionID).set(home(row, kind), row.key)
    } else if (kind === "part") {
      const mid = home(row, kind)
      c.touched.add(mid)
      const held = inner(index.parts, row.sessionID)
      let keys = held.get(mid)
      if (!keys) held.set(mid, (keys = new Set()))
      keys.add(row.key)
    } else (c.other ??= new Map()).set(row.key, row)
  }

  const sessions = new Map(t.sessions)
  let rootRevised: Revised | undefined
  const counted: { session: number; old?: Msg; m: Msg }[] = []
  let firstsChanged = namesChanged
  let rescanFirsts = false
  let childrenChanged = false
  for (const [sid, c] of changes) {
    const s = t.sessions.get(sid) as Session
    const r = c.touched.size > 0 ? revise(parsed as Parsed, index, s, c.touched) : undefined
    if (sid === t.rootID) rootRevised = r
    for (const { old, m } of r?.changed ?? []) {
      if (!old || old.info !== m.info) counted.push({ session: index.order.get(sid) as number, old, m })
      childrenChanged ||= spawns(old) || spawns(m)
      const was = old && modelKey(old)
      const now = modelKey(m)
      if (was && was.key !== now?.key) {
        const first = index.firsts.get(was.key)
        if (first?.id === m.id && first.session === index.order.get(sid)) rescanFirsts = true
      }
      if (now) {
        const place = { session: index.order.get(sid) as number, id: m.id, provider: now.provider, model: now.id }
        const first = index.firsts.get(now.key)
        if (!first || before(place, first)) {
          index.firsts.set(now.key, place)
          firstsChanged = true
        }
      }
    }
    childrenChanged ||= r?.spawnerMoved ?? false
    sessions.set(sid, {
      id: s.id,
      info: c.info ?? s.info,
      diffs: c.diffs ?? s.diffs,
      models: c.models ?? s.models,
      messages: r?.messages ?? s.messages,
      turns: r?.turns ?? s.turns,
      other: c.other ? s.other.map((i) => c.other?.get(i.key) ?? i) : s.other,
      seq: Math.max(s.seq, c.seq),
    })
  }

  const root = sessions.get(t.rootID) as Session
  let parentTurn = t.parentTurn
  // Root turns whose seq may have changed: rebuilt ones, and those whose subagent sessions changed.
  const bump = new Set<string>()
  for (const i of rootRevised?.rebuilt ?? []) bump.add((root.turns[i] as Turn).id)
  if (childrenChanged) {
    parentTurn = Model.children(root, sessions)
    for (const sid of new Set([...t.parentTurn.keys(), ...parentTurn.keys()])) {
      const was = t.parentTurn.get(sid)
      const now = parentTurn.get(sid)
      if (was === now) continue
      if (was !== undefined) bump.add(was)
      if (now !== undefined) bump.add(now)
    }
    index.spawned = invert(parentTurn)
  }
  for (const sid of changes.keys()) {
    const tid = parentTurn.get(sid)
    if (tid !== undefined) bump.add(tid)
  }
  // The outline is memoised by the root's turn list and scrubbed with the transcript's paths,
  // which any item can change: each version gets its own list.
  const rootTurns = root.turns === t.root.turns ? root.turns.slice() : root.turns
  if (bump.size > 0) {
    const rebuilt = new Set(rootRevised?.rebuilt ?? [])
    const rootOwner = inner(index.owner, t.rootID)
    for (const tid of bump) {
      const i = rootOwner.get(tid)
      const turn = i === undefined ? undefined : rootTurns[i]
      if (i === undefined || !turn || turn.id !== tid) continue
      let seq = turn.user ? turn.user.seq : -Infinity
      for (const r of turn.replies) seq = Math.max(seq, r.seq)
      for (const sid of index.spawned.get(tid) ?? []) seq = Math.max(seq, sessions.get(sid)?.seq ?? -Infinity)
      if (rebuilt.has(i)) turn.seq = seq
      else if (turn.seq !== seq) rootTurns[i] = { ...turn, seq }
    }
  }
  const finalRoot = rootTurns === root.turns ? root : { ...root, turns: rootTurns }
  sessions.set(t.rootID, finalRoot)

  let turnOf = t.turnOf
  let partMessage = t.partMessage
  if (rootRevised) {
    let copied = false
    for (const i of rootRevised.rebuilt) {
      const turn = finalRoot.turns[i] as Turn
      for (const m of [turn.user, ...turn.replies]) {
        if (!m) continue
        const cur = turnOf.get(m.id)
        if (cur === turn.id) continue
        if (cur !== undefined && !copied) {
          turnOf = new Map(turnOf)
          copied = true
        }
        turnOf.set(m.id, turn.id)
      }
    }
    partMessage = parts(t.partMessage, finalRoot, rootRevised.changed)
  }
  if (namesChanged) index.names = Model.modelNames(sessions)
  if (rescanFirsts) index.firsts = firstsOf(sessions)
  const models = firstsChanged || rescanFirsts ? list(index) : t.models
  return {
    transcript: {
      rootID: t.rootID,
      root: finalRoot,
      sessions,
      turnOf,
      partMessage,
      parentTurn,
      models,
      totals: counted.length > 0 ? Tally.update(index.tally, [...sessions.values()], counted) : t.totals,
      seq,
    },
    items: parsed.items,
    index,
    mark: parsed.mark,
  }
}

function list(index: Index): string[] {
  const used = [...index.firsts.values()].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
  return Model.modelList(
    index.names,
    used.map((p) => ({ provider: p.provider, id: p.model })),
  )
}

/** Part id -> message id for the root's parts: the last message in id order that holds a part wins. */
function parts(map: Map<string, string>, root: Session, changed: Revised["changed"]): Map<string, string> {
  let out = map
  let copied = false
  for (const { old, m } of changed) {
    if (old) {
      const now = new Set(m.parts.map((p) => str(p.id)))
      // A message that lost a part (a v1 message's parts are its own): only a full pass is right.
      if (old.parts.some((p) => !now.has(str(p.id)))) return all(root)
    }
    for (const p of m.parts) {
      const pid = str(p.id)
      const cur = out.get(pid)
      if (cur === m.id || (cur !== undefined && cur > m.id)) continue
      if (cur !== undefined && !copied) {
        out = new Map(out)
        copied = true
      }
      out.set(pid, m.id)
    }
  }
  return out
}

function all(root: Session): Map<string, string> {
  const out = new Map<string, string>()
  for (const m of root.messages) for (const p of m.parts) out.set(str(p.id), m.id)
  return out
}
