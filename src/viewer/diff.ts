/**
 * Diffs from either FileDiff shape: a `patch` string is shown as it is; `before` and `after`
 * contents are compared here with jsdiff (Myers), bounded: past MAX_EDITS edits, or MAX_LINES
 * lines, a change degrades to remove-all/add-all instead of a slow comparison. Unified diffs
 * carry both sides' line numbers and scroll sideways rather than wrap, so the +/− column stays.
 */
import { structuredPatch } from "diff"
import { escape } from "./escape.ts"
import { highlight } from "./diff-highlight.ts"
import * as Hunks from "./hunks.ts"
import { num, str, type Rec } from "./read.ts"
import { split } from "./split.ts"

const MAX_LINES = 20_000
/** Edits jsdiff may consider before it gives up (its cost is lines × edits). */
const MAX_EDITS = 2_000
const CONTEXT = 3

export type Diff = { file: string; text: string; additions: number; deletions: number; status: string }

/** A FileDiff of either shape (or a tool's metadata) as unified text with counts. */
export function normalize(d: Rec, fallbackFile = ""): Diff {
  const file = str(d.file) || str(d.filePath) || str(d.relativePath) || fallbackFile
  const patch = str(d.patch) || str(d.diff)
  if (patch) {
    const counted = count(patch)
    return {
      file,
      text: patch,
      additions: num(d.additions) || counted.additions,
      deletions: num(d.deletions) || counted.deletions,
      status: str(d.status) || str(d.type),
    }
  }
  const text = unified(str(d.before), str(d.after), file)
  const counted = count(text)
  return {
    file,
    text,
    additions: counted.additions,
    deletions: counted.deletions,
    status: str(d.status) || str(d.type),
  }
}

export function count(patch: string): { additions: number; deletions: number } {
  let additions = 0
  let deletions = 0
  for (const line of patch.split("\n")) {
    if (line.startsWith("+++") || line.startsWith("---")) continue
    if (line.startsWith("+")) additions += 1
    else if (line.startsWith("-")) deletions += 1
  }
  return { additions, deletions }
}

const cut = (s: string) => {
  const lines = s.split("\n")
  return lines.length > MAX_LINES ? `${lines.slice(0, MAX_LINES).join("\n")}\n` : s
}

/** `before` → `after` as a unified diff with CONTEXT lines around each change. */
export function unified(before: string, after: string, file = ""): string {
  // Fragments (an edit's old and new text) end without a newline: that is no change to note.
  const both = before !== "" && after !== "" && !before.endsWith("\n") && !after.endsWith("\n")
  const a = cut(both ? `${before}\n` : before)
  const b = cut(both ? `${after}\n` : after)
  const name = file || "file"
  const p = structuredPatch(name, name, a, b, undefined, undefined, { context: CONTEXT, maxEditLength: MAX_EDITS })
  const hunks = p ? p.hunks : [whole(a, b)]
  const out = [`--- ${name}`, `+++ ${name}`]
  for (const h of hunks) out.push(head(h), ...h.lines)
  return `${out.join("\n")}\n`
}

/** A jsdiff hunk's header line. jsdiff counts an empty side's start as the line after it;
 * unified diffs name the line before it (`@@ -0,0 +1 @@` for a new file). */
export function head(h: { oldStart: number; oldLines: number; newStart: number; newLines: number }): string {
  const o = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart
  const n = h.newLines === 0 ? h.newStart - 1 : h.newStart
  return `@@ -${o},${h.oldLines} +${n},${h.newLines} @@`
}

/** Too different to compare within the bound: every old line removed, every new one added. */
function whole(a: string, b: string) {
  const lines = (s: string) => (s === "" ? [] : s.replace(/\n$/, "").split("\n"))
  const x = lines(a)
  const y = lines(b)
  return {
    oldStart: x.length ? 1 : 0,
    oldLines: x.length,
    newStart: y.length ? 1 : 0,
    newLines: y.length,
    lines: [...x.map((l) => `-${l}`), ...y.map((l) => `+${l}`)],
  }
}

const MAX_RENDER = 400_000

/** Per-hunk HTML placed after a hunk's header line (the Changes view's turn links). */
export type Notes = (string | undefined)[]

/** A diff in both views: unified (the default) and, when it has hunks, side by side; lines
 * syntax-highlighted when `file` names a known language. */
export function html(text: string, file = "", notes: Notes = []): string {
  const shown = text.length > MAX_RENDER ? text.slice(0, text.lastIndexOf("\n", MAX_RENDER) + 1) : text
  const parsed = Hunks.parse(shown)
  const hl = highlight(shown.split("\n"), file)
  const side = split(parsed, hl, notes)
  const more =
    shown.length < text.length
      ? `<p class="muted">… ${text.length - shown.length} more characters of this diff are in the JSON export.</p>`
      : ""
  return `<div class="diff-view${side ? " has-split" : ""}">${unifiedHtml(parsed, hl, notes)}${side}${more}</div>`
}

const width = (h: Hunks.Hunk[]) =>
  String(Math.max(0, ...h.map((x) => Math.max(x.oldStart + x.oldLines, x.newStart + x.newLines)))).length

/**
 * The unified view: each line a block with its old and new numbers in a gutter the script
 * and the clipboard never see (a data attribute drawn by CSS). File headers are left out when
 * there are hunks: the file's row names it.
 */
function unifiedHtml(p: Hunks.Parsed, hl: (string | undefined)[], notes: Notes): string {
  const w = width(p.hunks)
  const gutter = (o?: number, n?: number) => `${String(o ?? "").padStart(w)} ${String(n ?? "").padStart(w)}`
  const rows: { index: number; html: string }[] = []
  const skip = p.hunks.length > 0
  for (const o of p.other) {
    if (/^(Index: |={20,}$)/.test(o.text)) continue
    if (skip && /^(--- |\+\+\+ |diff --git|index |new file mode|deleted file mode|similarity |rename )/.test(o.text))
      continue
    rows.push({ index: o.index, html: `<span class="dh">${escape(o.text)}</span>` })
  }
  p.hunks.forEach((h, k) => {
    const note = notes[k] ? ` <span class="note">${notes[k]}</span>` : ""
    rows.push({ index: h.index, html: `<span class="dk">${escape(h.head)}${note}</span>` })
    for (const l of h.lines) {
      if (l.kind === "\\") {
        rows.push({ index: l.index, html: `<span class="dh">\\${escape(l.text)}</span>` })
        continue
      }
      const cls = l.kind === "+" ? "da" : l.kind === "-" ? "dd" : "dc"
      const code = hl[l.index] ?? escape(l.text)
      rows.push({
        index: l.index,
        html: `<span class="${cls}" data-g="${gutter(l.old, l.new)}">${l.kind}${code}</span>`,
      })
    }
  })
  rows.sort((a, b) => a.index - b.index)
  return `<pre class="diff"><code class="lines">${rows.map((r) => r.html).join("\n")}</code></pre>`
}

export function counts(d: { additions: number; deletions: number }): string {
  return `<span class="counts"><span class="add">+${d.additions}</span> <span class="del">−${d.deletions}</span></span>`
}

/** One file's change as an expandable row. */
export function file(d: Diff, open = false): string {
  const badge =
    d.status && d.status !== "modified" && d.status !== "update"
      ? ` <span class="badge">${escape(d.status)}</span>`
      : ""
  return `<details class="file"${open ? " open" : ""}><summary><code>${escape(d.file || "(unnamed file)")}</code>${badge} ${counts(d)}</summary>${html(d.text, d.file)}</details>`
}

/** A list of FileDiffs: "N files changed" with each file expandable. */
export function list(diffs: unknown[], title: string, open = false): string {
  const norm = diffs
    .filter((d): d is Rec => typeof d === "object" && d !== null && !Array.isArray(d))
    .map((d) => normalize(d))
  if (norm.length === 0) return ""
  const total = {
    additions: norm.reduce((s, d) => s + d.additions, 0),
    deletions: norm.reduce((s, d) => s + d.deletions, 0),
  }
  return `<details class="files"${open ? " open" : ""}><summary>${escape(title)} · ${norm.length} ${norm.length === 1 ? "file" : "files"} ${counts(total)}</summary>${norm.map((d) => file(d)).join("")}</details>`
}
