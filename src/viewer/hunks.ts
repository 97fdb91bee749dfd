/**
 * A unified diff read into hunks with the line numbers of both sides, for the unified and
 * split views and the session's Changes. Lines outside hunks (file headers, `diff --git`,
 * jsdiff's `Index:` banners, text a patch tool wrapped around it) are kept apart.
 */
export const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/

export type Line = { kind: " " | "+" | "-" | "\\"; text: string; old?: number; new?: number; index: number }

export type Hunk = {
  oldStart: number
  oldLines: number
  newStart: number
  newLines: number
  head: string
  lines: Line[]
  index: number
}

export type Parsed = {
  hunks: Hunk[] /** Lines before the first hunk and between files. */
  other: { text: string; index: number }[]
}

/** Parses `text`; a line that does not fit the hunk it is in ends that hunk. */
export function parse(text: string): Parsed {
  const all = text.split("\n")
  if (all.at(-1) === "") all.pop()
  const hunks: Hunk[] = []
  const other: Parsed["other"] = []
  let cur: Hunk | undefined
  let oldLeft = 0
  let newLeft = 0
  let o = 0
  let n = 0
  for (const [index, text] of all.entries()) {
    const h = HUNK.exec(text)
    if (h) {
      cur = {
        oldStart: Number(h[1]),
        oldLines: h[2] === undefined ? 1 : Number(h[2]),
        newStart: Number(h[3]),
        newLines: h[4] === undefined ? 1 : Number(h[4]),
        head: text,
        lines: [],
        index,
      }
      hunks.push(cur)
      oldLeft = cur.oldLines
      newLeft = cur.newLines
      o = cur.oldStart
      n = cur.newStart
      continue
    }
    const mark = text[0]
    if (cur && mark === "\\") {
      cur.lines.push({ kind: "\\", text: text.slice(1), index })
      continue
    }
    if (cur && mark === "-" && oldLeft > 0) {
      oldLeft--
      cur.lines.push({ kind: "-", text: text.slice(1), old: o++, index })
      continue
    }
    if (cur && mark === "+" && newLeft > 0) {
      newLeft--
      cur.lines.push({ kind: "+", text: text.slice(1), new: n++, index })
      continue
    }
    if (cur && (mark === " " || text === "") && oldLeft > 0 && newLeft > 0) {
      oldLeft--
      newLeft--
      cur.lines.push({ kind: " ", text: text.slice(1), old: o++, new: n++, index })
      continue
    }
    cur = undefined
    oldLeft = newLeft = 0
    other.push({ text, index })
  }
  return { hunks, other }
}
