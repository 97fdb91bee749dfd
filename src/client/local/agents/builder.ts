/**
 * One session being read: its info, messages, parts, file diffs and models, kept as the share
 * items they become. Every change marks the item it touches, so a follower sends only what
 * changed since it last asked (`drain`), and a full read is the same items (`items`).
 */
import type { SyncItem } from "../../../schema/index.ts"
import * as Bound from "./bound.ts"

export type Rec = Record<string, unknown>

type FileDiff = { file: string; patches: string[]; additions: number; deletions: number; status: string }

export type Builder = ReturnType<typeof create>

/** `child`: a sub-agent session, whose session_diff and model items carry its `sessionID`. */
export function create(id: string, child: boolean) {
  const info: Rec = { id }
  const messages = new Map<string, Rec>()
  const parts = new Map<string, Map<string, Rec>>()
  const diffs = new Map<string, FileDiff>()
  const models = new Map<string, { id: string; providerID: string }>()
  const removed = new Set<string>()
  // A new session is sent whole once, even while it is still empty.
  const dirty = new Set<string>(["session", "session_diff", "model"])
  const extra = child ? { sessionID: id } : {}
  const mkey = (mid: string) => `message/${id}/${mid}`
  const pkey = (mid: string, pid: string) => `part/${id}/${mid}/${pid}`

  const item = (key: string): SyncItem | undefined => {
    if (key === "session") return { type: "session", data: Bound.fit(info) }
    if (key === "session_diff") return { type: "session_diff", data: Bound.fit(diffList()), ...extra }
    if (key === "model") return { type: "model", data: [...models.values()], ...extra }
    const [kind, mid, pid] = key.split("\u0000")
    if (kind === "m") {
      const m = messages.get(mid)
      return m ? { type: "message", data: Bound.fit(m) } : undefined
    }
    const p = parts.get(mid)?.get(pid)
    return p ? { type: "part", data: Bound.fit(p) } : undefined
  }
  const diffList = () =>
    [...diffs.values()].map((d) => ({
      file: d.file,
      patch: d.patches.join(""),
      additions: d.additions,
      deletions: d.deletions,
      status: d.status,
    }))
  const order = (keys: Iterable<string>) => {
    const rank = (k: string) => (k === "session" ? 0 : k.startsWith("m\u0000") ? 1 : k.startsWith("p\u0000") ? 2 : 3)
    return [...keys].sort((a, b) => rank(a) - rank(b))
  }

  return {
    id,
    child,
    info,
    /** Merges `patch` into the session info. */
    session(patch: Rec) {
      for (const [k, v] of Object.entries(patch))
        if (v !== undefined && JSON.stringify(info[k]) !== JSON.stringify(v)) {
          info[k] = v
          dirty.add("session")
        }
    },
    message: (mid: string) => messages.get(mid),
    messages: () => [...messages.values()],
    put(m: Rec & { id: string }) {
      messages.set(m.id, m)
      if (!parts.has(m.id)) parts.set(m.id, new Map())
      removed.delete(mkey(m.id))
      dirty.add(`m\u0000${m.id}`)
    },
    /** Marks a message changed in place. */
    touch(mid: string) {
      if (messages.has(mid)) dirty.add(`m\u0000${mid}`)
    },
    part: (mid: string, pid: string) => parts.get(mid)?.get(pid),
    parts: (mid: string) => [...(parts.get(mid)?.values() ?? [])],
    putPart(p: Rec & { id: string; messageID: string }) {
      let list = parts.get(p.messageID)
      if (!list) parts.set(p.messageID, (list = new Map()))
      list.set(p.id, p)
      removed.delete(pkey(p.messageID, p.id))
      dirty.add(`p\u0000${p.messageID}\u0000${p.id}`)
    },
    touchPart(mid: string, pid: string) {
      if (parts.get(mid)?.has(pid)) dirty.add(`p\u0000${mid}\u0000${pid}`)
    },
    dropPart(mid: string, pid: string) {
      if (!parts.get(mid)?.delete(pid)) return
      dirty.delete(`p\u0000${mid}\u0000${pid}`)
      removed.add(pkey(mid, pid))
    },
    /** Removes a message and its parts (Gemini's rewind). */
    drop(mid: string) {
      for (const pid of parts.get(mid)?.keys() ?? []) {
        dirty.delete(`p\u0000${mid}\u0000${pid}`)
        removed.add(pkey(mid, pid))
      }
      parts.delete(mid)
      if (messages.delete(mid)) {
        dirty.delete(`m\u0000${mid}`)
        removed.add(mkey(mid))
      }
    },
    /** Adds one edit's unified diff to the session's per-file diff. */
    diff(file: string, patch: string, status: string) {
      if (!file || !patch) return
      const d = diffs.get(file) ?? { file, patches: [], additions: 0, deletions: 0, status }
      d.patches.push(patch.endsWith("\n") ? patch : `${patch}\n`)
      for (const line of patch.split("\n")) {
        if (line.startsWith("+++") || line.startsWith("---")) continue
        if (line.startsWith("+")) d.additions += 1
        else if (line.startsWith("-")) d.deletions += 1
      }
      // A file the session created stays "added" through later edits.
      if (d.status !== "added") d.status = status
      diffs.set(file, d)
      dirty.add("session_diff")
    },
    model(providerID: string, model: string) {
      if (!model || models.has(`${providerID}/${model}`)) return
      models.set(`${providerID}/${model}`, { id: model, providerID })
      dirty.add("model")
    },
    /** Items changed since the last drain (and `remove` items for what disappeared). */
    drain(): SyncItem[] {
      const out = order(dirty)
        .map(item)
        .filter((i): i is SyncItem => i !== undefined)
      for (const key of removed) out.push({ type: "remove", data: { key } })
      dirty.clear()
      removed.clear()
      return out
    },
    /** Every item of the session as it stands. */
    items(): SyncItem[] {
      const keys = ["session", ...[...messages.keys()].map((m) => `m\u0000${m}`)]
      for (const [mid, list] of parts) for (const pid of list.keys()) keys.push(`p\u0000${mid}\u0000${pid}`)
      keys.push("session_diff", "model")
      return keys.map(item).filter((i): i is SyncItem => i !== undefined)
    },
  }
}
