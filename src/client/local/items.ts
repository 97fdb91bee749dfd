/**
 * A local session as the share items the real client sends in a full sync (PROTOCOL.md §3):
 * session, every message, every part, session_diff, model; then the same for each subagent
 * session, whose session_diff and model items carry `sessionID` (agentshare's extension).
 */
import { keyItem, type Exported, type SyncItem } from "../../schema/index.ts"

export type Source = { session: Exported; diff?: unknown[] }

/** The full-sync items of a root session followed by those of its subagent sessions. */
export function full(root: Source, children: Source[] = []): SyncItem[] {
  return [...one(root, false), ...children.flatMap((c) => one(c, true))]
}

function one(source: Source, child: boolean): SyncItem[] {
  const { session } = source
  const sid = session.info.id
  const items: SyncItem[] = [{ type: "session", data: session.info }]
  for (const m of session.messages) items.push({ type: "message", data: m.info })
  for (const m of session.messages) for (const p of m.parts) items.push({ type: "part", data: p })
  const extra = child ? { sessionID: sid } : {}
  items.push({ type: "session_diff", data: source.diff ?? session.info.summary?.diffs ?? [], ...extra })
  items.push({ type: "model", data: models(session), ...extra })
  return items
}

/**
 * The distinct models of the user messages. The stock client sends full provider catalog
 * entries; a local reader only knows the ids, so it sends those and nothing it would have to
 * make up.
 */
export function models(session: Exported): { id: string; providerID: string }[] {
  const seen = new Map<string, { id: string; providerID: string }>()
  for (const m of session.messages) {
    if (m.info.role !== "user" || !m.info.model) continue
    const { providerID, modelID } = m.info.model
    seen.set(`${providerID}/${modelID}`, { id: modelID, providerID })
  }
  return [...seen.values()]
}

/** Turns successive full reads of the same sessions into what changed: items whose value is
 * new or different, and a `remove` item for every key that disappeared (a deleted message or
 * part, or messages dropped by a revert), which stock clients never send. */
export function tracker(root: string) {
  let last = new Map<string, string>()
  return {
    changes(items: SyncItem[]): SyncItem[] {
      const next = new Map<string, string>()
      const out: SyncItem[] = []
      for (const item of items) {
        const k = keyItem(item, root)
        if (!k.ok) continue
        const json = JSON.stringify(item.data)
        next.set(k.item.key, json)
        if (last.get(k.item.key) !== json) out.push(item)
      }
      for (const key of last.keys()) if (!next.has(key)) out.push({ type: "remove", data: { key } })
      last = next
      return out
    },
  }
}
