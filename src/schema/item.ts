/**
 * Share items: what a client syncs (`{type, data}`), how each is keyed, and the rule that
 * decides whether a value that arrives is newer than the one stored.
 */
import { z } from "zod"
import { ITEM_TYPE_PATTERN, MAX_ID_LENGTH } from "./limits.ts"
import { get, isRec } from "./read.ts"

const Id = z.string().min(1).max(MAX_ID_LENGTH)

/** One entry of a sync request's `data` array. `sessionID` is an agentshare extension for
 * items whose data carries no session (session_diff, model) of a subagent session. */
export const SyncItem = z.object({
  type: z.string().regex(ITEM_TYPE_PATTERN, 'must be a lower-case item type such as "part"'),
  data: z.unknown(),
  sessionID: Id.optional(),
})
export type SyncItem = z.infer<typeof SyncItem>

const SessionData = z.looseObject({ id: Id })
const MessageData = z.looseObject({ id: Id, sessionID: Id })
const PartData = z.looseObject({ id: Id, sessionID: Id, messageID: Id })
const ListData = z.array(z.unknown())
/** OpenCode V2's message batch: a session's whole message list in one item (docs/PROTOCOL.md). */
export const MessagesData = z.looseObject({ sessionID: Id, messages: z.array(z.unknown()) })
/** agentshare's removal item: deletes a stored key (stock OpenCode clients never send it). */
export const RemoveData = z.object({ key: z.string().min(1).max(1024) })

/** The item types agentshare understands, in the order `opencode import` reads them; `messages`
 * is OpenCode V2's batch, read by the V2 share reader. */
export const KNOWN_TYPES = ["session", "session_diff", "model", "message", "part", "messages"] as const
export type KnownType = (typeof KNOWN_TYPES)[number]

/** An item ready for storage: its key, where it sorts, how far along it is, and its JSON. */
export type StoredItem = Omit<KeyedItem, "data"> & { json: string }

/** An item with its key, where it sorts, and how far along it is. */
export type KeyedItem = {
  key: string
  type: string
  sessionID: string
  /** Where its type sorts inside its session (ORDER): the order `opencode import` reads them in. */
  ord: number
  /** Sort key inside its session: message id, `messageID/partID`, or "" for singletons. */
  sort: string
  /** Sortable progress marker: a stored value is only replaced by one whose rank is >= it. */
  rank: string
  data: unknown
}

export type KeyResult = { ok: true; item: KeyedItem } | { ok: false; path: string; message: string }

/**
 * The rank of an item an owner took down (POST /api/share/:id/redact): above every rank
 * `rank()` computes (digits and dots), so a re-sent old value is stale, and a `remove` item
 * leaves it in place. A takedown stays down.
 */
export const FINAL_RANK = "~takedown"

/** Where each known type sorts inside its session (`opencode import` order); every other type after them. */
const ORDER: Record<string, number> = { session: 0, session_diff: 1, model: 2, message: 3, part: 3, messages: 3 }
export const order = (type: string): number => (Object.hasOwn(ORDER, type) ? (ORDER[type] as number) : 4)

/** Key an item and compute its rank. `root` is the share's session, used where data names none. */
export function keyItem(item: SyncItem, root: string): KeyResult {
  const fail = (path: string, message: string): KeyResult => ({ ok: false, path, message })
  switch (item.type) {
    case "session": {
      const r = SessionData.safeParse(item.data)
      if (!r.success) return fail(issuePath("data", r.error), "a session needs a string id")
      const d = r.data
      return {
        ok: true,
        item: {
          key: `session/${d.id}`,
          type: "session",
          sessionID: d.id,
          ord: order("session"),
          sort: "",
          rank: rank(item.type, d),
          data: d,
        },
      }
    }
    case "message": {
      const r = MessageData.safeParse(item.data)
      if (!r.success) return fail(issuePath("data", r.error), "a message needs string id and sessionID")
      const d = r.data
      return {
        ok: true,
        item: {
          key: `message/${d.sessionID}/${d.id}`,
          type: "message",
          sessionID: d.sessionID,
          ord: order("message"),
          sort: d.id,
          rank: rank(item.type, d),
          data: d,
        },
      }
    }
    case "part": {
      const r = PartData.safeParse(item.data)
      if (!r.success) return fail(issuePath("data", r.error), "a part needs string id, sessionID and messageID")
      const d = r.data
      return {
        ok: true,
        item: {
          key: `part/${d.sessionID}/${d.messageID}/${d.id}`,
          type: "part",
          sessionID: d.sessionID,
          ord: order("part"),
          sort: `${d.messageID}/${d.id}`,
          rank: rank(item.type, d),
          data: d,
        },
      }
    }
    case "session_diff":
    case "model": {
      const r = ListData.safeParse(item.data)
      if (!r.success) return fail("data", `${item.type} data must be an array`)
      const sid = item.sessionID ?? root
      const data = item.type === "model" ? r.data.map(stripModel) : r.data
      return {
        ok: true,
        item: {
          key: `${item.type}/${sid}`,
          type: item.type,
          sessionID: sid,
          ord: order(item.type),
          sort: "",
          rank: rank(item.type, data),
          data,
        },
      }
    }
    case "messages": {
      const r = MessagesData.safeParse(item.data)
      if (!r.success)
        return fail(issuePath("data", r.error), "a messages item needs a string sessionID and a messages array")
      const d = r.data
      // One batch per session: each is the whole list as it stands, so the latest replaces it.
      return {
        ok: true,
        item: {
          key: `messages/${d.sessionID}`,
          type: "messages",
          sessionID: d.sessionID,
          ord: order("messages"),
          sort: "",
          rank: rank(item.type, d),
          data: d,
        },
      }
    }
    case "remove": {
      const r = RemoveData.safeParse(item.data)
      if (!r.success) return fail(issuePath("data", r.error), "a remove item needs the key to delete")
      return {
        ok: true,
        item: {
          key: r.data.key,
          type: "remove",
          sessionID: item.sessionID ?? root,
          ord: order("remove"),
          sort: "",
          rank: "",
          data: null,
        },
      }
    }
    default: {
      // Unknown types from newer clients are kept as the latest value per (type, session, id).
      const d = item.data
      const id = isRecord(d) && typeof d.id === "string" && d.id.length <= MAX_ID_LENGTH ? d.id : ""
      const sid =
        item.sessionID ??
        (isRecord(d) && typeof d.sessionID === "string" && d.sessionID.length <= MAX_ID_LENGTH ? d.sessionID : root)
      return {
        ok: true,
        item: {
          key: id ? `${item.type}/${sid}/${id}` : `${item.type}/${sid}`,
          type: item.type,
          sessionID: sid,
          ord: order(item.type),
          sort: id,
          rank: rank(item.type, d),
          data: d,
        },
      }
    }
  }
}

/** A custom provider's `options` and `headers` can hold API keys: they are never stored. */
export function stripModel(model: unknown): unknown {
  if (!isRecord(model)) return model
  const { options: _options, headers: _headers, ...rest } = model
  return rest
}

function issuePath(prefix: string, error: z.ZodError): string {
  const p = error.issues[0]?.path ?? []
  return [prefix, ...p.map(String)].join(".")
}

/** A plain object (schema/read.ts). */
export const isRecord = isRec

/** A rank number: finite, not negative, capped. */
const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.min(v, 1e15) : 0)

const TOOL_STATUS: Record<string, number> = { pending: 0, running: 1, completed: 2, error: 2 }

/**
 * The staleness rule. An item's rank is a tuple of facts that only ever grow while OpenCode
 * updates it, compared left to right; a value whose rank is lower than the stored one is stale
 * and is ignored. Equal ranks replace (the later arrival wins).
 * - session: `time.updated`.
 * - message: completed (`time.completed` set) beats not completed, then `time.completed`, then
 *   a user message's per-turn `summary.diffs` (added once the turn ends).
 * - tool part: status pending < running < completed = error, then `state.time.end`, then the
 *   length of the streamed `state.metadata.output`.
 * - text / reasoning part: finished (`time.end` set) beats streaming, then text length.
 * - messages (V2 batch): the latest time in it (a message created or completed, a tool call
 *   finished), then the number of messages: a batch only grows while the session runs.
 * - anything else: 0 (the later arrival wins).
 */
export function rank(type: string, d: unknown): string {
  const parts: number[] = []
  if (type === "session") parts.push(num(get(d, "time", "updated")))
  else if (type === "messages") {
    const list = get(d, "messages")
    parts.push(Array.isArray(list) ? latest(list) : 0, Array.isArray(list) ? list.length : 0)
  } else if (type === "message") {
    const done = get(d, "time", "completed")
    const diffs = get(d, "summary", "diffs")
    parts.push(done === undefined ? 0 : 1, num(done), Array.isArray(diffs) ? 1 : 0)
  } else if (type === "part") {
    const kind = get(d, "type")
    if (kind === "tool") {
      const status = get(d, "state", "status")
      const out = get(d, "state", "metadata", "output")
      parts.push(
        typeof status === "string" ? (TOOL_STATUS[status] ?? 0) : 0,
        num(get(d, "state", "time", "end")),
        typeof out === "string" ? out.length : 0,
      )
    } else if (kind === "text" || kind === "reasoning") {
      const end = get(d, "time", "end")
      const text = get(d, "text")
      parts.push(end === undefined ? 0 : 1, typeof text === "string" ? text.length : 0)
    }
  }
  return parts.map((n) => Math.floor(n).toString().padStart(16, "0")).join(".")
}

/** The latest time anywhere in a V2 message list (bounded: only the fields V2 defines). */
function latest(list: unknown[]): number {
  let t = 0
  for (const m of list) {
    t = Math.max(t, num(get(m, "time", "created")), num(get(m, "time", "completed")))
    const content = get(m, "content")
    if (Array.isArray(content))
      for (const c of content) t = Math.max(t, num(get(c, "time", "created")), num(get(c, "time", "completed")))
  }
  return t
}
