/**
 * The share page, rendered on the server from a share's items: complete without JavaScript,
 * every value escaped. (The full viewer builds on this; it only has to be honest and safe.)
 */
import { isRecord } from "../schema/index.ts"
import { escape } from "./escape.ts"

export type PageItem = { type: string; sessionID: string; data: unknown }
export type PageInput = { id: string; rootSessionID: string; items: PageItem[]; noindex: boolean; nonce: string }

const str = (v: unknown) => (typeof v === "string" ? v : "")

function layout(title: string, body: string, input: { noindex: boolean; nonce: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${input.noindex ? '<meta name="robots" content="noindex, nofollow">' : ""}
<title>${escape(title)}</title>
<style nonce="${escape(input.nonce)}">
:root{color-scheme:light dark;font-family:system-ui,sans-serif;line-height:1.5}
body{max-width:860px;margin:0 auto;padding:1rem}
.msg{border-left:3px solid #8884;padding:.25rem .75rem;margin:1rem 0}
.user{border-color:#3b82f6}.assistant{border-color:#10b981}
.role{font-size:.8rem;text-transform:uppercase;opacity:.7}
pre{white-space:pre-wrap;word-break:break-word;margin:.25rem 0}
</style></head><body>${body}</body></html>`
}

export function share(input: PageInput): string {
  const root = input.items.filter((i) => i.sessionID === input.rootSessionID)
  const session = root.find((i) => i.type === "session")?.data
  const title = (isRecord(session) && str(session.title)) || "Shared session"
  const texts = new Map<string, string[]>()
  for (const item of root) {
    if (item.type !== "part" || !isRecord(item.data)) continue
    const p = item.data
    if ((p.type === "text" || p.type === "reasoning") && typeof p.text === "string" && !p.synthetic) {
      const list = texts.get(str(p.messageID)) ?? []
      list.push(p.text)
      texts.set(str(p.messageID), list)
    }
  }
  const messages = root
    .filter((i) => i.type === "message" && isRecord(i.data))
    .map((i) => i.data as Record<string, unknown>)
    .map((m) => {
      const role = str(m.role) === "user" ? "user" : "assistant"
      const body = (texts.get(str(m.id)) ?? []).map((t) => `<pre>${escape(t)}</pre>`).join("")
      return `<section class="msg ${role}" id="${escape(m.id)}"><div class="role">${role}</div>${body}</section>`
    })
    .join("\n")
  const empty = messages ? "" : "<p>This share has no messages yet.</p>"
  return layout(title, `<header><h1>${escape(title)}</h1></header><main>${messages}${empty}</main>`, input)
}

export function status(code: 404 | 410, input: { noindex: boolean; nonce: string; message?: string }): string {
  const title = code === 404 ? "Share not found" : "Share removed"
  const text = input.message ?? (code === 404 ? "There is no share at this address." : "This share was removed by its owner and is no longer available.")
  return layout(title, `<main><h1>${title}</h1><p>${escape(text)}</p></main>`, input)
}
