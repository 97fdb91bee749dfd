/**
 * File content as code: line numbers in a gutter the clipboard never sees, highlighting by
 * the file's language, no soft wrap. `unwrap` takes the text a read tool sent the model apart:
 * OpenCode's `<path>…<content>` envelope with `1: ` (or the older `<file>` with `00001| `)
 * prefixes, Claude Code's `     1→`/`     1\t`, Codex's `L1: `; the notes around the content
 * ("(End of file - total 27 lines)", reminders for the model) are kept aside.
 */
import { split } from "./diff-highlight.ts"
import { escape } from "./escape.ts"
import * as Markdown from "./markdown.ts"

/** `notes`: what the tool said about the file ("End of file - total 27 lines"); `reminders`:
 * text the harness added for the model. */
export type Unwrapped = {
  lines: { n: number; text: string }[]
  notes: string[]
  reminders: string[]
  kind: "file" | "directory" | "text"
}

const PREFIXES = [/^ *(\d+)(?:→|\t)(.*)$/, /^(\d{5})\| ?(.*)$/, /^(\d+): ?(.*)$/, /^L(\d+): ?(.*)$/]
const NOTE = /^\((End of file|Showing lines|Output capped|File has more lines|\d+ entries|Showing \d+ of)[^\n]*\)$/

/** The file lines of a read tool's output, numbered; `first` numbers plain text. */
export function unwrap(output: string, first = 1): Unwrapped {
  let text = output.replace(/\r\n/g, "\n")
  const notes: string[] = []
  const reminders: string[] = []
  // Reminders the harness appends for the model.
  text = text.replace(/\n*<system-reminder>([\s\S]*?)<\/system-reminder>\n*/g, (_, note: string) => {
    reminders.push(note.trim())
    return "\n"
  })
  const type = /<type>(\w+)<\/type>/.exec(text)?.[1]
  const body =
    /<content>\n?([\s\S]*?)\n?<\/content>/.exec(text)?.[1] ??
    /<entries>\n?([\s\S]*?)\n?<\/entries>/.exec(text)?.[1] ??
    /^<file>\n?([\s\S]*?)\n?<\/file>\s*$/.exec(text.trim())?.[1] ??
    text.replace(/^<path>[^\n]*<\/path>\n?(<type>\w+<\/type>\n?)?/, "")
  const raw = body.split("\n")
  while (raw.length && raw.at(-1) === "") raw.pop()
  const kept: string[] = []
  for (const line of raw) {
    if (NOTE.test(line.trim())) notes.push(line.trim().slice(1, -1))
    else kept.push(line)
  }
  while (kept.length && kept.at(-1) === "") kept.pop()
  const nonEmpty = kept.filter((l) => l !== "")
  const prefix = nonEmpty.length ? PREFIXES.find((re) => nonEmpty.every((l) => re.test(l))) : undefined
  if (type === "directory")
    return { lines: kept.map((l, i) => ({ n: i + 1, text: l })), notes, reminders, kind: "directory" }
  if (!prefix) return { lines: kept.map((l, i) => ({ n: first + i, text: l })), notes, reminders, kind: "text" }
  let last = first - 1
  const lines = kept.map((l) => {
    const m = prefix.exec(l)
    if (!m) return { n: ++last, text: "" }
    last = Number(m[1])
    return { n: last, text: m[2] }
  })
  return { lines, notes, reminders, kind: "file" }
}

const MAX = 60_000

/** Numbered, highlighted lines in a scrolling block. */
export function block(
  lines: { n: number; text: string }[],
  file: string,
  language = Markdown.languageOf(file),
): string {
  let size = 0
  let shown = lines
  for (let i = 0; i < lines.length; i++) {
    size += lines[i].text.length + 1
    if (size > MAX) {
      shown = lines.slice(0, i)
      break
    }
  }
  const html = language
    ? split(Markdown.code(shown.map((l) => l.text).join("\n"), language))
    : shown.map((l) => escape(l.text))
  const w = String(shown.at(-1)?.n ?? 1).length
  const rows = shown.map((l, i) => `<span data-g="${String(l.n).padStart(w)}">${html[i] ?? ""}</span>`).join("\n")
  const more =
    shown.length < lines.length ? `\n<span class="muted">… ${lines.length - shown.length} more lines</span>` : ""
  return `<pre class="code numbered"><code class="lines">${rows}${more}</code></pre>`
}
