/**
 * Many strings scanned as one text: every string (and long object key) of every item is
 * joined with a separator no rule matches across, scanned once, and each hit is mapped back to
 * its string. One pass over 5 MB costs far less than thousands of small ones.
 */
import { windows } from "./decode.ts"
import { isSecretName } from "./names.ts"
import type { Memo } from "./memo.ts"
import { isPlaceholder } from "./placeholders.ts"

export type Path = (string | number)[]
/** A path as a chain to the root: no array is copied per string, only for a finding. */
export type PathNode = { up: PathNode | undefined; at: string | number } | undefined

export function toPath(node: PathNode): Path {
  const out: Path = []
  for (let n = node; n; n = n.up) out.push(n.at)
  return out.reverse()
}

/** One string of one item: a value, or an object key (`isKey`). */
export type Segment = {
  /**
   * Set on the decoded form of a string (decode.ts), scanned right after it: `of` is the
   * string itself, `map` turns an offset here into one there.
   */
  alias?: { of: Segment; map: (offset: number) => number }
  item: number
  node: PathNode
  isKey: boolean
  value: string
  /** Offset of the string in the joined text. */
  start: number
  /** Set when the string is the value of a field whose name says it is a credential. */
  field: boolean
}

/** A NUL between newlines: line-anchored rules see a line break, no rule matches a NUL. */
export const SEP = "\n\0\n"
/** Keys shorter than this cannot hold anything a rule finds (`A_KEY=abcdef` is the shortest). */
const MIN_KEY = 8

/** A string this long or longer that occurs again in one scan is scanned once (see join). */
const COPY_MIN = 32

/** `copies`: strings left out of the text because an equal one is in it, each with that one. */
export type Joined = { text: string; segments: Segment[]; copies: [copy: Segment, of: Segment][] }

/**
 * Where the strings of a scan come from: `scopes[i]` is the share of `datas[i]` (several callers'
 * items are scanned in one pass), and `memo` what was scanned clean before (memo.ts).
 */
export type Sources = { scopes?: readonly (string | undefined)[]; memo?: Memo }

/**
 * The strings of `datas` joined for one scan. A string the memo knows scanned clean in the same
 * share is left out, unless it is a credential field's value, which is a finding whatever it
 * holds. A string equal to one already joined from the same share is left out too, and has its
 * hits (a tool's output is in its state and its metadata; a part re-sent in one batch holds the
 * same text twice). Items without a scope are one caller's, and the memo does not apply to them.
 */
export function join(datas: unknown[], { scopes, memo }: Sources = {}): Joined {
  const segments: Segment[] = []
  const copies: [Segment, Segment][] = []
  const firstsByScope = new Map<string | undefined, Map<string, Segment>>()
  let firsts = new Map<string, Segment>()
  let scope: string | undefined
  const parts: string[] = []
  let offset = 0
  const add = (segment: Segment) => {
    segments.push(segment)
    parts.push(segment.value.includes("\0") ? segment.value.replaceAll("\0", "\uFFFD") : segment.value)
    offset += segment.value.length + SEP.length
  }
  const push = (item: number, node: PathNode, value: string, isKey: boolean, field: boolean) => {
    const segment: Segment = { item, node, isKey, value, start: offset, field }
    if (!field && value.length >= COPY_MIN) {
      const first = firsts.get(value)
      if (first) {
        copies.push([segment, first])
        return
      }
      firsts.set(value, segment)
    }
    add(segment)
    // The parts of a string around its escapes are scanned a second time, decoded (decode.ts).
    for (const w of windows(value))
      add({ item, node, isKey, value: w.text, start: offset, field: false, alias: { of: segment, map: w.map } })
  }
  const walk = (item: number, value: unknown, node: PathNode, name: string | undefined) => {
    if (typeof value === "string") {
      const field = name !== undefined && isSecretName(name) && !isPlaceholder(value)
      if (field || scope === undefined || !memo?.clean(scope, value)) push(item, node, value, false, field)
      return
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) walk(item, value[i], { up: node, at: i }, undefined)
      return
    }
    if (typeof value !== "object" || value === null) return
    for (const k in value) {
      const child = { up: node, at: k }
      if (k.length >= MIN_KEY && (scope === undefined || !memo?.clean(scope, k))) push(item, child, k, true, false)
      walk(item, (value as Record<string, unknown>)[k], child, k)
    }
  }
  datas.forEach((d, i) => {
    scope = scopes?.[i]
    let known = firstsByScope.get(scope)
    if (!known) firstsByScope.set(scope, (known = new Map()))
    firsts = known
    walk(i, d, undefined, undefined)
  })
  return { text: parts.join(SEP), segments, copies }
}

/** Index of the segment holding offset `at` (or the next one, if `at` is in a separator). */
export function locate(segments: Segment[], at: number): number {
  let lo = 0
  let hi = segments.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if ((segments[mid]?.start ?? 0) <= at) lo = mid
    else hi = mid - 1
  }
  const s = segments[lo]
  return s && at >= s.start + s.value.length ? lo + 1 : lo
}

/** `state.metadata.files[2].content`; a key is shown as `<key>` since it is the secret. */
export function formatPath(path: Path, isKey: boolean): string {
  const shown = isKey ? [...path.slice(0, -1), "<key>"] : path
  let out = ""
  for (const p of shown) out += typeof p === "number" ? `[${p}]` : out ? `.${p}` : p
  return out
}

/** 1-based line and column of `offset` in `value`. */
export function position(value: string, offset: number): { line: number; column: number } {
  return positions(value)(offset)
}

/**
 * Line and column of offsets in one string, asked in increasing order (findings are sorted):
 * each call goes on from the last, so positions for all the findings of a string cost one pass
 * over it, not one pass each.
 */
export function positions(value: string): (offset: number) => { line: number; column: number } {
  let line = 1
  let lineStart = 0
  // The first line break at or after lineStart: looked up once, not again for every offset before it.
  let next = value.indexOf("\n")
  return (offset) => {
    if (offset < lineStart) {
      line = 1
      lineStart = 0
      next = value.indexOf("\n")
    }
    while (next !== -1 && next < offset) {
      line += 1
      lineStart = next + 1
      next = value.indexOf("\n", lineStart)
    }
    return { line, column: offset - lineStart + 1 }
  }
}
