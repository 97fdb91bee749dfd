/** A share's items as the `opencode export` document (what `opencode import file.json` loads). */
import { Read, type SyncItem } from "../schema/index.ts"

type Rec = Read.Rec
const { rec, str } = Read

/** The root session with its messages and their parts, each sorted by id (chronological). */
export function exported(items: SyncItem[]): { info: Rec; messages: { info: Rec; parts: Rec[] }[] } {
  const session = rec(items.find((i) => i.type === "session")?.data)
  const sid = str(session.id)
  const parts = items.filter((i) => i.type === "part").map((i) => rec(i.data))
  const messages = items
    .filter((i) => i.type === "message")
    .map((i) => rec(i.data))
    .filter((m) => str(m.sessionID) === sid)
  return {
    info: session,
    messages: messages
      .sort((a, b) => str(a.id).localeCompare(str(b.id)))
      .map((info) => ({
        info,
        parts: parts.filter((p) => p.messageID === info.id).sort((a, b) => str(a.id).localeCompare(str(b.id))),
      })),
  }
}
