/**
 * Short names for share items, for tables a person reads in a terminal: "Bash #3" (the tool in
 * turn 3), "prompt #1", "thinking #2", "sub-agent Bash #1", instead of whole item keys such as
 * `part/ses_…/msg_…/prt_…`. Built from the items at hand; an item whose message is not among
 * them is named by its kind and the end of its id.
 */
import { isRecord, keyItem, type SyncItem } from "../schema/index.ts"

type Rec = Record<string, unknown>

const str = (v: unknown) => (typeof v === "string" ? v : "")

/** Item key -> label, for the items given (`root` is the share's session). */
export function of(items: readonly SyncItem[], root: string): Map<string, string> {
  const out = new Map<string, string>()
  const messages = new Map<string, { role: string; turn: number; session: string }>()
  const bySession = new Map<string, Rec[]>()
  for (const i of items) {
    if (i.type !== "message" || !isRecord(i.data)) continue
    const list = bySession.get(str(i.data.sessionID)) ?? []
    list.push(i.data)
    bySession.set(str(i.data.sessionID), list)
  }
  for (const [sid, list] of bySession) {
    let turn = 0
    for (const m of [...list].sort((a, b) => (str(a.id) < str(b.id) ? -1 : 1))) {
      if (m.role === "user") turn += 1
      messages.set(str(m.id), { role: str(m.role), turn: Math.max(turn, 1), session: sid })
    }
  }
  const sub = (sid: string) => (sid && sid !== root ? "sub-agent " : "")
  for (const i of items) {
    const k = keyItem(i, root)
    if (!k.ok) continue
    const d = isRecord(i.data) ? i.data : {}
    out.set(k.item.key, `${sub(k.item.sessionID)}${name(i.type, d, messages)}`)
  }
  return out
}

function name(type: string, d: Rec, messages: Map<string, { role: string; turn: number }>): string {
  if (type === "session") return "session"
  if (type === "session_diff") return "file changes"
  if (type === "model") return "model"
  if (type === "message") {
    const m = messages.get(str(d.id))
    return m ? `${m.role === "user" ? "prompt" : "answer"} #${m.turn}` : `message ${tail(str(d.id))}`
  }
  if (type !== "part") return type
  const m = messages.get(str(d.messageID))
  const at = m ? ` #${m.turn}` : ` ${tail(str(d.id))}`
  const kind = str(d.type)
  if (kind === "tool") return `${str(d.tool) || "tool"}${at}`
  if (kind === "text") return `${m?.role === "user" ? "prompt" : "text"}${at}`
  if (kind === "reasoning") return `thinking${at}`
  return `${kind || "part"}${at}`
}

const tail = (id: string) => (id.length > 6 ? `…${id.slice(-6)}` : id)

/** A label for a key not among the items: its type and the end of its last id. */
export function fallback(key: string): string {
  const parts = key.split("/")
  const type = parts[0] ?? key
  return parts.length > 1 ? `${type} ${tail(parts.at(-1) ?? "")}` : type
}
