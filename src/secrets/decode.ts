/**
 * Text as its reader would see it, for the rules: JSON `\uXXXX` escapes, URL encoding (`%67`,
 * `%5F`, UTF-8 sequences such as `%E2%80%8B`), markdown escapes (`\_`, `\-`, `\.`, and JSON's
 * `\/`) and zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF, soft hyphen)
 * undone. A token written `\u0067hp_…`, `ghp%5F…`, `ghp\_…` or with a U+200B inside is then
 * found as it is in plain form.
 *
 * The decoded text is scanned besides the original, never instead of it: decoding can also
 * break a match (`p%40ss` in a URL password). Each hit in it is mapped back to the original
 * string, so redaction replaces the original span. Linear: one pass to find the escapes, one
 * over the parts around them; the decoded text is never longer than the original, and the map
 * holds one point per escape.
 */

export type Decoded = {
  text: string
  /** Offset in the original string of an offset in `text` (hit boundaries map to escape boundaries). */
  map: (offset: number) => number
}

const ESCAPE = /\\u([0-9a-fA-F]{4})|%([0-9a-fA-F]{2})|\\([-_.+=/~])|[\u00ad\u200b-\u200d\u2060\ufeff]/g
const ESCAPE_ONE = new RegExp(ESCAPE.source)
const INVISIBLE = new Set([0xad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff])
const UTF8 = new TextDecoder("utf-8", { fatal: false })

/** Characters of context kept around an escape, each way: longer than any secret and its name. */
const REACH = 1024

/**
 * The decoded forms of the parts of `s` around its escapes: each escape with REACH characters
 * either side, widened to whole lines (by up to REACH more), overlapping parts joined. Far
 * from an escape the decoded text is the original, which is scanned anyway; so a 1 MB file
 * with one `\.` in it adds a few KB to the scan, not 1 MB.
 */
export function windows(s: string): (Decoded & { start: number })[] {
  // Most strings hold no escape: one search, no regex object built for them.
  if (s.search(ESCAPE_ONE) === -1) return []
  const spans: [number, number][] = []
  const re = new RegExp(ESCAPE.source, "g")
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const from = Math.max(0, m.index - REACH)
    const to = Math.min(s.length, m.index + m[0].length + REACH)
    const last = spans.at(-1)
    if (last && from <= last[1]) last[1] = to
    else spans.push([from, to])
    re.lastIndex = Math.max(re.lastIndex, m.index + m[0].length)
  }
  const out: (Decoded & { start: number })[] = []
  for (const [from, to] of spans) {
    const start = lineStart(s, from)
    const end = lineEnd(s, to)
    const decoded = decode(s.slice(start, end))
    if (decoded) out.push({ start, text: decoded.text, map: (offset) => start + decoded.map(offset) })
  }
  return out
}

/** The start of the line `at` is in, if it is at most REACH before; else `at`. Reads REACH characters at most. */
function lineStart(s: string, at: number): number {
  const from = Math.max(0, at - REACH)
  const nl = s.slice(from, at).lastIndexOf("\n")
  return nl !== -1 ? from + nl + 1 : from === 0 ? 0 : at
}

/** The end of the line `at` is in, if it is at most REACH after; else `at`. Reads REACH characters at most. */
function lineEnd(s: string, at: number): number {
  const to = Math.min(s.length, at + REACH)
  const nl = s.slice(at, to).indexOf("\n")
  return nl !== -1 ? at + nl : to === s.length ? s.length : at
}

/** The decoded form of `s`, or undefined when there is nothing to decode. */
export function decode(s: string): Decoded | undefined {
  const parts: string[] = []
  // After each escape, [decoded offset, original offset]: from there on both advance together.
  const points: number[] = [0, 0]
  let last = 0
  let length = 0
  const re = new RegExp(ESCAPE.source, "g")
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const [unit, size] = replacement(s, m)
    if (unit === undefined) continue
    if (m.index > last) parts.push(s.slice(last, m.index))
    length += m.index - last
    parts.push(unit)
    length += unit.length
    last = m.index + size
    points.push(length, last)
    re.lastIndex = last
  }
  if (points.length === 2) return undefined
  parts.push(s.slice(last))
  return { text: parts.join(""), map: mapper(points) }
}

/** What one escape stands for and how many characters of the original it takes; undefined: leave it. */
function replacement(s: string, m: RegExpExecArray): [string | undefined, number] {
  const [whole, unicode, percent, markdown] = m
  if (unicode !== undefined) {
    const code = Number.parseInt(unicode, 16)
    return [INVISIBLE.has(code) ? "" : String.fromCharCode(code), whole.length]
  }
  if (markdown !== undefined) return [markdown, whole.length]
  if (percent === undefined) return ["", whole.length]
  const byte = Number.parseInt(percent, 16)
  if (byte < 0x80) return [String.fromCharCode(byte), 3]
  // A UTF-8 sequence: its lead byte says how many %XX follow.
  const count = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 0
  const bytes = [byte]
  for (let i = 1; i < count; i++) {
    const next = /^%([89abAB][0-9a-fA-F])/.exec(s.slice(m.index + 3 * i, m.index + 3 * i + 3))
    if (!next) return [undefined, 0]
    bytes.push(Number.parseInt(next[1] as string, 16))
  }
  if (count === 0) return [undefined, 0]
  const char = UTF8.decode(Uint8Array.from(bytes))
  const point = char.codePointAt(0) ?? 0
  return [INVISIBLE.has(point) ? "" : char, 3 * count]
}

function mapper(points: number[]): (offset: number) => number {
  const n = points.length / 2
  return (offset) => {
    // The last point at or before `offset`; of several at one offset (dropped characters), the last.
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((points[2 * mid] ?? 0) <= offset) lo = mid
      else hi = mid - 1
    }
    return (points[2 * lo + 1] ?? 0) + offset - (points[2 * lo] ?? 0)
  }
}
