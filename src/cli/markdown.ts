/** A share's items as a Markdown transcript (`export --format md`). */
import type { SyncItem } from "../schema/index.ts"

type Rec = Record<string, unknown>
const rec = (v: unknown): Rec => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Rec) : {})
const str = (v: unknown) => (typeof v === "string" ? v : "")

/** Longer tool output is cut here: a transcript is for reading, `--format json` keeps everything. */
const MAX_OUTPUT = 4000

function fence(text: string, lang = ""): string {
  const ticks = "`".repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)))
  return `${ticks}${lang}\n${text}\n${ticks}`
}

function part(p: Rec): string {
  switch (p.type) {
    case "text":
      return p.synthetic ? "" : str(p.text)
    case "reasoning":
      return str(p.text) ? `<details><summary>Reasoning</summary>\n\n${str(p.text)}\n\n</details>` : ""
    case "tool": {
      const state = rec(p.state)
      const title = str(state.title) || str(rec(state.input).description) || ""
      const out = str(state.output) || str(state.error)
      const body = [`**Tool: ${str(p.tool)}**${title ? ` — ${title}` : ""} (${str(state.status)})`, fence(JSON.stringify(state.input ?? {}, null, 2), "json")]
      if (out) body.push(fence(out.length > MAX_OUTPUT ? out.slice(0, MAX_OUTPUT) + "\n… (truncated)" : out))
      return body.join("\n\n")
    }
    case "patch":
      return `*Changed files:* ${(Array.isArray(p.files) ? p.files : []).map((f) => `\`${String(f)}\``).join(", ")}`
    case "file":
      return `*Attached file:* ${str(p.filename) || str(p.url)}`
    case "subtask":
      return `*Subtask (${str(p.agent)}):* ${str(p.description)}`
    default:
      return ""
  }
}

export function render(items: SyncItem[]): string {
  const session = rec(items.find((i) => i.type === "session")?.data)
  const sid = str(session.id)
  const messages = items.filter((i) => i.type === "message").map((i) => rec(i.data)).filter((m) => str(m.sessionID) === sid)
  const parts = items.filter((i) => i.type === "part").map((i) => rec(i.data))
  const out = [`# ${str(session.title) || sid}`, ""]
  const time = rec(session.time)
  if (typeof time.created === "number") out.push(`*Created ${new Date(time.created).toISOString()}*`, "")
  for (const m of messages.sort((a, b) => str(a.id).localeCompare(str(b.id)))) {
    const who = m.role === "user" ? "User" : `Assistant${str(m.modelID) ? ` (${str(m.modelID)})` : ""}`
    out.push(`## ${who}`, "")
    for (const p of parts.filter((p) => p.messageID === m.id).sort((a, b) => str(a.id).localeCompare(str(b.id)))) {
      const text = part(p).trim()
      if (text) out.push(text, "")
    }
  }
  return out.join("\n")
}
