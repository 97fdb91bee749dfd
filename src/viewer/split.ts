/**
 * The side-by-side view of a unified diff: old lines left, new lines right, removals and
 * additions of one change paired row by row, line numbers from the hunk headers. Rendered on
 * the server next to the unified view; a class on <body> chooses which one shows, so it
 * needs no script and applies to turns that arrive live too.
 */
import { escape } from "./escape.ts"
import * as Hunks from "./hunks.ts"

/** Past this many lines only the unified view is sent: the split one would double a huge page. */
const MAX_SPLIT = 5_000

type Side = { n: number; kind: "dd" | "da" | "dc"; line: string; html?: string }

/** The split table for a parsed diff, or "" when it has no hunks or is too big. `hl` holds
 * highlighted HTML for line contents, by line index; `notes` HTML per hunk. */
export function split(
  input: Hunks.Parsed | string,
  hl: (string | undefined)[] = [],
  notes: (string | undefined)[] = [],
): string {
  const p = typeof input === "string" ? Hunks.parse(input) : input
  if (p.hunks.length === 0 || p.hunks.reduce((s, h) => s + h.lines.length, 0) > MAX_SPLIT) return ""
  const rows: string[] = []
  p.hunks.forEach((h, k) => {
    rows.push(
      `<tr class="dk"><td colspan="4">${escape(h.head)}${notes[k] ? ` <span class="note">${notes[k]}</span>` : ""}</td></tr>`,
    )
    let dels: Side[] = []
    let adds: Side[] = []
    const flush = () => {
      for (let i = 0; i < Math.max(dels.length, adds.length); i++) rows.push(row(dels[i], adds[i]))
      dels = []
      adds = []
    }
    for (const l of h.lines) {
      if (l.kind === "-") {
        dels.push({ n: l.old ?? 0, kind: "dd", line: l.text, html: hl[l.index] })
        continue
      }
      if (l.kind === "+") {
        adds.push({ n: l.new ?? 0, kind: "da", line: l.text, html: hl[l.index] })
        continue
      }
      flush()
      if (l.kind === "\\") {
        rows.push(`<tr class="dh"><td colspan="4">\\${escape(l.text)}</td></tr>`)
        continue
      }
      rows.push(
        row(
          { n: l.old ?? 0, kind: "dc", line: l.text, html: hl[l.index] },
          { n: l.new ?? 0, kind: "dc", line: l.text, html: hl[l.index] },
        ),
      )
    }
    flush()
  })
  return `<div class="diff-split"><table><colgroup><col class="n"><col><col class="n"><col></colgroup><tbody>${rows.join("")}</tbody></table></div>`
}

function cell(s: Side | undefined): string {
  if (!s) return '<td class="ln"></td><td class="de"></td>'
  return `<td class="ln">${s.n}</td><td class="${s.kind}">${s.html ?? escape(s.line)}</td>`
}

function row(a: Side | undefined, b: Side | undefined): string {
  return `<tr>${cell(a)}${cell(b)}</tr>`
}
