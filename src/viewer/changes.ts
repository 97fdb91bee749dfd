/**
 * The files the session itself changed, from its own edit, write and patch calls (and those
 * of the sub-agents it holds), not from `session_diff`, which can name files other sessions
 * changed in the same worktree. Each file's calls are composed into one net diff: a file is a
 * list of lines, some known, some only known to exist (a hunk's line numbers place what it
 * says); each call's hunks are applied in order, each line remembering the turn that wrote it
 * and each original line the turn that removed it, so every net hunk names its turns.
 */
import { diffArrays, structuredPatch } from "diff"
import * as Diff from "./diff.ts"
import * as Hunks from "./hunks.ts"
import type { Transcript } from "./model.ts"
import * as Paths from "./paths.ts"
import { arr, get, isRec, rec, str, type Rec } from "./read.ts"
import { pick } from "./tools/frame.ts"
import { kind } from "./tools/kind.ts"
import * as Agent from "./agent.ts"

/** A call's change to one file, in one of the shapes agents record. */
export type Step = {
  turn: string
  part: string
  /** Unified text (hunks with line numbers). */
  patch?: string
  before?: string
  after?: string
  /** Replaced text without a position (an edit call without a recorded diff). */
  fragment?: { old: string; new: string }
  created?: boolean
  deleted?: boolean
}

export type File = { path: string; steps: Step[] }

export type Composed = {
  path: string
  /** Net unified diff, or undefined when the calls could not be composed (then `steps` show). */
  net?: string
  /** The turns of each net hunk, in the order of the hunks. */
  turns: string[][]
  additions: number
  deletions: number
  status: "added" | "modified" | "deleted"
  steps: Step[]
}

const MAX_FILES = 500
const MAX_STEPS = 200
const MAX_LINES = 50_000
const EDIT_KINDS = new Set(["edit", "multiedit", "write", "apply_patch", "patch", "notebook"])

const memo = new WeakMap<Transcript, File[]>()

/** Every file the session's own calls changed, in the order first changed. */
export function files(t: Transcript): File[] {
  const hit = memo.get(t)
  if (hit) return hit
  const paths = Paths.of(t)
  const byPath = new Map<string, File>()
  const add = (path: string, step: Step) => {
    const rel = Paths.relative(path, paths).replace(/^\.\//, "")
    if (!rel) return
    let f = byPath.get(rel)
    if (!f) {
      if (byPath.size >= MAX_FILES) return
      byPath.set(rel, (f = { path: rel, steps: [] }))
    }
    if (f.steps.length < MAX_STEPS) f.steps.push(step)
  }
  const sessions = [t.root, ...[...t.sessions.values()].filter((s) => s.id !== t.rootID && t.parentTurn.has(s.id))]
  for (const s of sessions) {
    const agent = Agent.of(t, s.id)
    for (const m of s.messages) {
      const turn = s.id === t.rootID ? (t.turnOf.get(m.id) ?? "") : (t.parentTurn.get(s.id) ?? "")
      for (const p of m.parts) {
        if (p.type !== "tool" || get(p, "state", "status") !== "completed") continue
        const k = kind(p, agent)
        if (!EDIT_KINDS.has(k)) continue
        for (const [path, step] of steps(p, k, turn)) add(path, step)
      }
    }
  }
  const out = [...byPath.values()]
  memo.set(t, out)
  return out
}

/** The (path, step) pairs one call made. */
function steps(p: Rec, k: string, turn: string): [string, Step][] {
  const input = rec(get(p, "state", "input"))
  const meta = rec(get(p, "state", "metadata"))
  const part = str(p.id)
  const file =
    pick(input, "filePath", "file_path", "absolute_path", "notebook_path", "path") ||
    str(meta.filepath) ||
    str(get(p, "state", "title"))
  if (k === "apply_patch" || k === "patch") {
    const list = arr(meta.files).filter(isRec)
    if (list.length)
      return list.map((f) => {
        const type = str(f.type) || str(f.status)
        return [
          str(f.movePath) || str(f.filePath) || str(f.relativePath) || str(f.file),
          {
            turn,
            part,
            patch: str(f.patch) || str(f.diff) || undefined,
            before: typeof f.before === "string" ? f.before : undefined,
            after: typeof f.after === "string" ? f.after : undefined,
            created: type === "add" || type === "added",
            deleted: type === "delete" || type === "deleted",
          },
        ]
      })
    const diff = str(meta.diff)
    return diff ? byHeader(diff).map(([path, text]) => [path, { turn, part, patch: text }]) : []
  }
  if (!file) return []
  if (k === "notebook") return [[file, { turn, part }]]
  const fd = rec(meta.filediff)
  if (typeof fd.before === "string" && typeof fd.after === "string" && (fd.before || fd.after))
    return [[file, { turn, part, before: fd.before, after: fd.after }]]
  const patch = str(fd.patch) || str(meta.diff)
  if (k === "write") {
    const content = typeof input.content === "string" ? input.content : undefined
    const created = meta.exists === false
    if (content !== undefined)
      return [[file, { turn, part, after: content, created, ...(created ? { before: "" } : {}) }]]
    return patch ? [[file, { turn, part, patch }]] : []
  }
  if (patch) return [[file, { turn, part, patch }]]
  const edits = arr(input.edits).filter(isRec)
  const pairs = edits.length
    ? edits.map((e) => ({ old: pick(e, "oldString", "old_string"), new: pick(e, "newString", "new_string") }))
    : [{ old: pick(input, "oldString", "old_string"), new: pick(input, "newString", "new_string") }]
  return pairs.filter((x) => x.old || x.new).map((x) => [file, { turn, part, fragment: x }])
}

/** A multi-file unified diff cut at its `--- ` headers. */
function byHeader(text: string): [string, string][] {
  const out: [string, string][] = []
  const parts = text.split(/^(?=--- )/m)
  for (const chunk of parts) {
    const m = /^--- (?:a\/)?(\S+).*\n\+\+\+ (?:b\/)?(\S+)/.exec(chunk)
    if (!m) continue
    out.push([m[2] === "/dev/null" ? m[1] : m[2], chunk])
  }
  return out
}

type Cur = { text?: string; origin?: number; by?: string }
type Orig = { text?: string; removedBy?: string }

class Mismatch extends Error {}

/** A file as the composition sees it: what it held first (`orig`) and holds now (`cur`). */
class Doc {
  orig: Orig[] = []
  cur: Cur[] = []
  /** Whether the file's length is known (a full content was seen). */
  whole = false

  /** Extends both sides with lines known only to exist, up to `n` current lines. */
  reach(n: number) {
    if (this.whole) {
      if (n > this.cur.length) throw new Mismatch()
      return
    }
    while (this.cur.length < n) {
      this.orig.push({})
      this.cur.push({ origin: this.orig.length - 1 })
    }
  }

  /** Learns or checks the text of current line `i`. */
  check(i: number, text: string) {
    const c = this.cur[i]
    if (c.text === undefined) {
      c.text = text
      if (c.origin !== undefined) this.orig[c.origin].text = text
    } else if (c.text !== text) throw new Mismatch()
  }

  apply(hunks: Hunks.Hunk[], turn: string) {
    let shift = 0
    for (const h of hunks) {
      const old = h.lines.filter((l) => l.kind === " " || l.kind === "-")
      const start = (h.oldLines === 0 ? h.oldStart : h.oldStart - 1) + shift
      if (start < 0) throw new Mismatch()
      this.reach(start + old.length)
      const next: Cur[] = []
      let at = start
      for (const l of h.lines) {
        if (l.kind === "\\") continue
        if (l.kind === "+") {
          next.push({ text: l.text, by: turn })
          continue
        }
        this.check(at, l.text)
        const line = this.cur[at++]
        if (l.kind === " ") next.push(line)
        else if (line.origin !== undefined) this.orig[line.origin].removedBy = turn
      }
      this.cur.splice(start, at - start, ...next)
      shift += next.length - (at - start)
    }
  }

  /** Sets the whole content: every line is known from here on. */
  replace(after: string, turn: string, before?: string) {
    const lines = split(after)
    if (before !== undefined) this.expect(split(before))
    // A whole new content over a file never seen whole: what it replaced is unknown.
    if (!this.whole) throw new Mismatch()
    if (this.cur.some((c) => c.text === undefined)) throw new Mismatch()
    const old = this.cur.map((c) => c.text as string)
    const p = structuredPatch("a", "b", join(old), after, undefined, undefined, { context: 0, maxEditLength: 4000 })
    if (!p) throw new Mismatch()
    this.apply(
      p.hunks.map((h) => Hunks.parse(`${Diff.head(h)}\n${h.lines.join("\n")}\n`).hunks[0]),
      turn,
    )
    if (this.cur.length !== lines.length) throw new Mismatch()
  }

  /** The file held exactly `lines` before a call: learn them, or check them. */
  expect(lines: string[]) {
    if (this.cur.length === 0 && !this.whole && this.orig.length === 0) {
      this.orig = lines.map((text) => ({ text }))
      this.cur = lines.map((text, i) => ({ text, origin: i }))
      this.whole = true
      return
    }
    this.reach(lines.length)
    if (this.cur.length !== lines.length) throw new Mismatch()
    lines.forEach((l, i) => {
      this.check(i, l)
    })
    this.whole = true
  }
}

const split = (s: string) => (s === "" ? [] : s.replace(/\n$/, "").split("\n"))
const join = (lines: string[]) => (lines.length ? `${lines.join("\n")}\n` : "")

/** One file's calls as a net diff, or the calls one by one when they do not compose. */
export function compose(f: File): Composed {
  const created =
    f.steps[0]?.created === true ||
    (f.steps[0]?.before === "" && f.steps[0]?.after !== undefined) ||
    /^@@ -0,0 /m.test(f.steps[0]?.patch ?? "")
  const deleted = f.steps.at(-1)?.deleted === true
  const status = created ? "added" : deleted ? "deleted" : "modified"
  const fallback = (): Composed => {
    const diffs = f.steps.map((s) => stepDiff(f.path, s))
    return {
      path: f.path,
      turns: [],
      additions: diffs.reduce((n, d) => n + d.additions, 0),
      deletions: diffs.reduce((n, d) => n + d.deletions, 0),
      status,
      steps: f.steps,
    }
  }
  try {
    const doc = new Doc()
    if (created) doc.expect([])
    for (const s of f.steps) {
      if (s.fragment || (!s.patch && s.after === undefined && !s.deleted)) return fallback()
      if (s.before !== undefined && s.after !== undefined) doc.replace(s.after, s.turn, s.before)
      else if (s.patch) doc.apply(Hunks.parse(s.patch).hunks, s.turn)
      else if (s.after !== undefined) doc.replace(s.after, s.turn)
      else if (s.deleted) doc.replace("", s.turn)
      if (doc.cur.length > MAX_LINES || doc.orig.length > MAX_LINES) return fallback()
    }
    return net(f, doc, status)
  } catch (error) {
    if (error instanceof Mismatch) return fallback()
    throw error
  }
}

/** The net hunks between what the file held first and holds now. */
function net(f: File, doc: Doc, status: Composed["status"]): Composed {
  type Tok = { text?: string; origin?: number; by?: string; removedBy?: string }
  const a: Tok[] = doc.orig.map((o, i) => ({ text: o.text, origin: i, removedBy: o.removedBy }))
  const b: Tok[] = doc.cur.map((c) => ({ text: c.text, origin: c.origin, by: c.by }))
  const same = (x: Tok, y: Tok) =>
    (x.origin !== undefined && x.origin === y.origin) ||
    (x.text !== undefined &&
      x.text === y.text &&
      (x.origin === undefined || y.origin === undefined || x.origin === y.origin))
  const changes = diffArrays(a, b, { comparator: same, maxEditLength: 4000 })
  if (!changes) return { path: f.path, turns: [], additions: 0, deletions: 0, status, steps: f.steps }
  // Walk the alignment into hunks with up to 3 lines of known context; an unknown line ends a hunk.
  type Row = { kind: " " | "-" | "+"; tok: Tok; o: number; n: number }
  const rows: Row[] = []
  let o = 1
  let n = 1
  for (const c of changes)
    for (const tok of c.value) {
      if (c.added) rows.push({ kind: "+", tok, o, n: n++ })
      else if (c.removed) rows.push({ kind: "-", tok, o: o++, n })
      else rows.push({ kind: " ", tok, o: o++, n: n++ })
    }
  const out: string[] = [`--- ${f.path}`, `+++ ${f.path}`]
  const turns: string[][] = []
  let additions = 0
  let deletions = 0
  let i = 0
  while (i < rows.length) {
    if (rows[i].kind === " ") {
      i++
      continue
    }
    let start = i
    for (let k = 0; k < 3 && start > 0 && rows[start - 1].kind === " " && rows[start - 1].tok.text !== undefined; k++)
      start--
    let end = i
    while (end < rows.length) {
      if (rows[end].kind !== " ") {
        end++
        continue
      }
      let gap = end
      while (gap < rows.length && rows[gap].kind === " " && rows[gap].tok.text !== undefined && gap - end < 6) gap++
      if (gap < rows.length && rows[gap].kind !== " " && gap - end <= 6) {
        end = gap
        continue
      }
      break
    }
    let stop = end
    for (let k = 0; k < 3 && stop < rows.length && rows[stop].kind === " " && rows[stop].tok.text !== undefined; k++)
      stop++
    const hunk = rows.slice(start, stop)
    const oldLines = hunk.filter((r) => r.kind !== "+").length
    const newLines = hunk.filter((r) => r.kind !== "-").length
    const first = hunk[0]
    const oldStart = oldLines ? first.o : first.o - 1
    const newStart = newLines ? first.n : first.n - 1
    out.push(`@@ -${oldStart},${oldLines} +${newStart},${newLines} @@`)
    const by = new Set<string>()
    for (const r of hunk) {
      if (r.kind === "+") {
        additions++
        if (r.tok.by) by.add(r.tok.by)
      }
      if (r.kind === "-") {
        deletions++
        if (r.tok.removedBy) by.add(r.tok.removedBy)
      }
      out.push(r.kind + (r.tok.text ?? ""))
    }
    turns.push([...by])
    i = stop
  }
  return {
    path: f.path,
    net: out.length > 2 ? `${out.join("\n")}\n` : "",
    turns,
    additions,
    deletions,
    status,
    steps: f.steps,
  }
}

/** One call's own diff, for files whose calls do not compose. */
export function stepDiff(path: string, s: Step): Diff.Diff {
  if (s.patch) return Diff.normalize({ patch: s.patch }, path)
  if (s.fragment) return Diff.normalize({ before: s.fragment.old, after: s.fragment.new }, path)
  if (s.after !== undefined) return Diff.normalize({ before: s.before ?? "", after: s.after }, path)
  return { file: path, text: "", additions: 0, deletions: 0, status: "" }
}

/** How many files the session changed: the header's count, without composing anything. */
export function count(t: Transcript): number {
  return files(t).length
}
