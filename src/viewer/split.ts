/**
 * The side-by-side view of a unified diff: old lines left, new lines right, removals and
 * additions of one change paired row by row, line numbers from the hunk headers. Rendered on
 * the server next to the unified view; a class on <body> chooses which one shows, so it
 * needs no script and applies to turns that arrive live too.
 */
import { escape } from "./escape.ts"

/** Past this size only the unified view is sent: the split one would double a huge page. */
const MAX_SPLIT = 200_000

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/

type Side = { n: number; kind: "dd" | "da" | "dc"; line: string; html?: string }

/** The split table for `text`, or "" when it has no hunks or is too big. `hl` holds
 * highlighted HTML for line contents, by line index. */
export function split(text: string, hl: (string | undefined)[] = []): string {
  if (text.length > MAX_SPLIT || (!text.includes("\n@@") && !text.startsWith("@@"))) return ""
  const rows: string[] = []
  let left = 0
  let right = 0
  let dels: Side[] = []
  let adds: Side[] = []
  let hunks = 0
  /** Lines the current hunk still holds on each side: outside a hunk both are 0. */
  let oldLeft = 0
  let newLeft = 0
  const flush = () => {
    for (let i = 0; i < Math.max(dels.length, adds.length); i++) rows.push(row(dels[i], adds[i]))
    dels = []
    adds = []
  }
  const all = text.split("\n")
  if (all.at(-1) === "") all.pop()
  for (const [i, line] of all.entries()) {
    const h = HUNK.exec(line)
    if (h) {
      flush()
      hunks += 1
      left = Number(h[1])
      right = Number(h[3])
      oldLeft = h[2] === undefined ? 1 : Number(h[2])
      newLeft = h[4] === undefined ? 1 : Number(h[4])
      rows.push(`<tr class="dk"><td colspan="4">${escape(line)}</td></tr>`)
      continue
    }
    if (line.startsWith("\\") && hunks > 0) { flush(); rows.push(`<tr class="dh"><td colspan="4">${escape(line)}</td></tr>`); continue }
    if (oldLeft <= 0 && newLeft <= 0) continue
    if (line.startsWith("-") && oldLeft > 0) { oldLeft -= 1; dels.push({ n: left++, kind: "dd", line: line.slice(1), html: hl[i] }); continue }
    if (line.startsWith("+") && newLeft > 0) { newLeft -= 1; adds.push({ n: right++, kind: "da", line: line.slice(1), html: hl[i] }); continue }
    flush()
    oldLeft -= 1
    newLeft -= 1
    rows.push(row({ n: left++, kind: "dc", line: line.slice(1), html: hl[i] }, { n: right++, kind: "dc", line: line.slice(1), html: hl[i] }))
  }
  flush()
  if (hunks === 0) return ""
  return `<div class="diff-split"><table><colgroup><col class="n"><col><col class="n"><col></colgroup><tbody>${rows.join("")}</tbody></table></div>`
}

function cell(s: Side | undefined): string {
  if (!s) return '<td class="ln"></td><td class="de"></td>'
  return `<td class="ln">${s.n}</td><td class="${s.kind}">${s.html ?? escape(s.line)}</td>`
}

function row(a: Side | undefined, b: Side | undefined): string {
  return `<tr>${cell(a)}${cell(b)}</tr>`
}
