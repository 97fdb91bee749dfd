/**
 * Diffs from either FileDiff shape: a `patch` string is shown as it is; `before` and
 * `after` contents are compared line by line here. Bounded: huge inputs degrade to a plain
 * remove-all/add-all diff instead of a slow comparison.
 */
import { escape } from "./escape.ts"
import { num, str, type Rec } from "./read.ts"
import { highlight } from "./diff-highlight.ts"
import { split } from "./split.ts"

const MAX_LINES = 20_000
/** Cells of the comparison table; above it the middle of a change is not aligned. */
const MAX_CELLS = 4_000_000
const CONTEXT = 3

type Op = { kind: " " | "+" | "-"; line: string }

export type Diff = { file: string; text: string; additions: number; deletions: number; status: string }

/** A FileDiff of either shape (or a tool's metadata) as unified text with counts. */
export function normalize(d: Rec, fallbackFile = ""): Diff {
  const file = str(d.file) || str(d.filePath) || str(d.relativePath) || fallbackFile
  const patch = str(d.patch) || str(d.diff)
  if (patch) {
    const counted = count(patch)
    return { file, text: patch, additions: num(d.additions) || counted.additions, deletions: num(d.deletions) || counted.deletions, status: str(d.status) || str(d.type) }
  }
  const text = unified(str(d.before), str(d.after), file)
  const counted = count(text)
  return { file, text, additions: counted.additions, deletions: counted.deletions, status: str(d.status) || str(d.type) }
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

export function unified(before: string, after: string, file = ""): string {
  const a = lines(before)
  const b = lines(after)
  const ops = compare(a, b)
  const out: string[] = [`--- ${file || "before"}`, `+++ ${file || "after"}`]
  let i = 0
  while (i < ops.length) {
    if (ops[i].kind === " ") { i += 1; continue }
    const start = Math.max(0, i - CONTEXT)
    let end = i
    // Extend the hunk while changes are closer than two contexts apart.
    while (end < ops.length) {
      if (ops[end].kind !== " ") { end += 1; continue }
      let next = end
      while (next < ops.length && ops[next].kind === " ") next += 1
      if (next < ops.length && next - end <= CONTEXT * 2) { end = next; continue }
      break
    }
    const stop = Math.min(ops.length, end + CONTEXT)
    const hunk = ops.slice(start, stop)
    const oldStart = ops.slice(0, start).filter((o) => o.kind !== "+").length + 1
    const newStart = ops.slice(0, start).filter((o) => o.kind !== "-").length + 1
    out.push(`@@ -${oldStart},${hunk.filter((o) => o.kind !== "+").length} +${newStart},${hunk.filter((o) => o.kind !== "-").length} @@`)
    for (const o of hunk) out.push(o.kind + o.line)
    i = stop
  }
  return out.join("\n") + "\n"
}

function lines(s: string): string[] {
  if (!s) return []
  const l = s.split("\n")
  if (l.at(-1) === "") l.pop()
  return l.slice(0, MAX_LINES)
}

function compare(a: string[], b: string[]): Op[] {
  let pre = 0
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre += 1
  let suf = 0
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf += 1
  const head: Op[] = a.slice(0, pre).map((line) => ({ kind: " ", line }))
  const tail: Op[] = a.slice(a.length - suf).map((line) => ({ kind: " ", line }))
  const x = a.slice(pre, a.length - suf)
  const y = b.slice(pre, b.length - suf)
  return [...head, ...middle(x, y), ...tail]
}

/** Longest-common-subsequence alignment of the changed middle. */
function middle(x: string[], y: string[]): Op[] {
  if ((x.length + 1) * (y.length + 1) > MAX_CELLS) {
    return [...x.map((line): Op => ({ kind: "-", line })), ...y.map((line): Op => ({ kind: "+", line }))]
  }
  const w = y.length + 1
  const t = new Uint32Array((x.length + 1) * w)
  for (let i = x.length - 1; i >= 0; i--) for (let j = y.length - 1; j >= 0; j--) {
    t[i * w + j] = x[i] === y[j] ? t[(i + 1) * w + j + 1] + 1 : Math.max(t[(i + 1) * w + j], t[i * w + j + 1])
  }
  const ops: Op[] = []
  let i = 0
  let j = 0
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) { ops.push({ kind: " ", line: x[i] }); i++; j++ }
    else if (t[(i + 1) * w + j] >= t[i * w + j + 1]) ops.push({ kind: "-", line: x[i++] })
    else ops.push({ kind: "+", line: y[j++] })
  }
  while (i < x.length) ops.push({ kind: "-", line: x[i++] })
  while (j < y.length) ops.push({ kind: "+", line: y[j++] })
  return ops
}

const MAX_RENDER = 400_000

/** A diff in both views: unified (the default) and, when it has hunks, side by side; lines
 * syntax-highlighted when `file` names a known language. */
export function html(text: string, file = ""): string {
  const hl = highlight(text.split("\n"), file)
  const side = split(text, hl)
  return `<div class="diff-view${side ? " has-split" : ""}">${unifiedHtml(text, hl)}${side}</div>`
}

/** A unified diff as coloured lines; file headers dimmed. */
function unifiedHtml(text: string, hl: (string | undefined)[]): string {
  const cut = text.length > MAX_RENDER
  // "Index:" and "====" banners from jsdiff say nothing the file name does not.
  const body = (cut ? text.slice(0, MAX_RENDER) : text).split("\n").map((line, i) => {
    if (/^(Index: |={20,}$)/.test(line)) return undefined
    const cls = /^(Index: |====|--- |\+\+\+ |diff --git|index )/.test(line) ? "dh" : line.startsWith("@@") ? "dk" : line.startsWith("+") ? "da" : line.startsWith("-") ? "dd" : "dc"
    const code = cls !== "dh" && cls !== "dk" ? hl[i] : undefined
    return `<span class="${cls}">${code === undefined ? escape(line) : escape(line.slice(0, 1)) + code}</span>`
  }).filter((line) => line !== undefined).join("\n")
  return `<pre class="diff">${body}${cut ? `\n<span class="dh">… ${text.length - MAX_RENDER} more characters</span>` : ""}</pre>`
}

export function counts(d: { additions: number; deletions: number }): string {
  return `<span class="counts"><span class="add">+${d.additions}</span> <span class="del">−${d.deletions}</span></span>`
}

/** One file's change as an expandable row. */
export function file(d: Diff, open = false): string {
  const badge = d.status && d.status !== "modified" && d.status !== "update" ? ` <span class="badge">${escape(d.status)}</span>` : ""
  return `<details class="file"${open ? " open" : ""}><summary><code>${escape(d.file || "(unnamed file)")}</code>${badge} ${counts(d)}</summary>${html(d.text, d.file)}</details>`
}

/** A list of FileDiffs: "N files changed" with each file expandable. */
export function list(diffs: unknown[], title: string, open = false): string {
  const norm = diffs.filter((d): d is Rec => typeof d === "object" && d !== null && !Array.isArray(d)).map((d) => normalize(d))
  if (norm.length === 0) return ""
  const total = { additions: norm.reduce((s, d) => s + d.additions, 0), deletions: norm.reduce((s, d) => s + d.deletions, 0) }
  return `<details class="files"${open ? " open" : ""}><summary>${escape(title)} · ${norm.length} ${norm.length === 1 ? "file" : "files"} ${counts(total)}</summary>${norm.map((d) => file(d)).join("")}</details>`
}
