/**
 * Syntax highlighting for the lines of a unified diff. Each side (old: context and removed
 * lines, new: context and added lines) is highlighted as one text, so a construct that spans
 * lines (a block comment, a template string) is coloured right, then cut back into lines with
 * the open spans closed at each line end and reopened on the next.
 */
import * as Markdown from "./markdown.ts"

/** Larger diffs are shown uncoloured: highlighting is not free. */
const MAX = 50_000

const TOKEN = /<span class="[^"]*">|<\/span>|\n/g

/** Highlighted HTML of each line's content (without its +/-/space marker), by index in
 * `lines`; empty when the file's language is unknown or the diff is too big. */
export function highlight(lines: string[], file: string): (string | undefined)[] {
  const language = Markdown.languageOf(file)
  if (!language || lines.reduce((n, l) => n + l.length + 1, 0) > MAX) return []
  const before: number[] = []
  const after: number[] = []
  let inHunk = false
  lines.forEach((line, i) => {
    if (line.startsWith("@@")) {
      inHunk = true
      return
    }
    if (!inHunk || line.startsWith("--- ") || line.startsWith("+++ ")) return
    const mark = line[0]
    if (mark === " " || mark === "-") before.push(i)
    if (mark === " " || mark === "+") after.push(i)
  })
  const out: (string | undefined)[] = []
  const side = (idx: number[], keep: string) => {
    const html = split(Markdown.code(idx.map((i) => lines[i].slice(1)).join("\n"), language))
    idx.forEach((i, k) => {
      if (lines[i][0] === keep || out[i] === undefined) out[i] = html[k]
    })
  }
  side(before, "-")
  side(after, "+")
  return out
}

/** Highlighted HTML cut into lines, each with balanced spans. */
export function split(html: string): string[] {
  const out: string[] = []
  const open: string[] = []
  let line = ""
  let at = 0
  for (const m of html.matchAll(TOKEN)) {
    line += html.slice(at, m.index)
    at = m.index + m[0].length
    if (m[0] === "\n") {
      out.push(line + "</span>".repeat(open.length))
      line = open.join("")
    } else if (m[0] === "</span>") {
      open.pop()
      line += m[0]
    } else {
      open.push(m[0])
      line += m[0]
    }
  }
  out.push(line + html.slice(at) + "</span>".repeat(open.length))
  return out
}
