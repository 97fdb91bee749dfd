/**
 * Unified diffs from what the agents record about an edit: Claude Code's `structuredPatch`
 * hunks, whole new files, and the `*** Begin Patch` text of Codex's apply_patch.
 */
import type { Rec } from "./builder.ts"

const header = (file: string) => `--- ${file}\n+++ ${file}\n`

/** Claude Code's structuredPatch: [{oldStart, oldLines, newStart, newLines, lines}]. */
export function hunks(file: string, list: unknown): string {
  if (!Array.isArray(list)) return ""
  const out: string[] = []
  for (const h of list) {
    if (typeof h !== "object" || h === null) continue
    const r = h as Rec
    const lines = Array.isArray(r.lines) ? r.lines.filter((l): l is string => typeof l === "string") : []
    if (lines.length === 0) continue
    out.push(
      `@@ -${num(r.oldStart)},${num(r.oldLines)} +${num(r.newStart)},${num(r.newLines)} @@\n${lines.join("\n")}\n`,
    )
  }
  return out.length ? header(file) + out.join("") : ""
}

/** A file that did not exist, now holding `content`. */
export function added(file: string, content: string): string {
  const lines = split(content)
  if (lines.length === 0) return ""
  return `${header(file)}@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join("\n")}\n`
}

/** A file that was removed. */
export function deleted(file: string, content: string): string {
  const lines = split(content)
  return `${header(file)}@@ -1,${lines.length} +0,0 @@\n${lines.map((l) => `-${l}`).join("\n")}${lines.length ? "\n" : ""}`
}

/** A hunk body without a file header (Codex FileChange's `unified_diff`), given its file. */
export function withHeader(file: string, diff: string): string {
  if (!diff) return ""
  return diff.startsWith("--- ") || diff.startsWith("diff ") ? diff : header(file) + diff
}

export type PatchFile = { file: string; type: "add" | "update" | "delete"; movePath?: string; diff: string }

/**
 * The files of an apply_patch text (`*** Add File:`, `*** Update File:` with `*** Move to:`,
 * `*** Delete File:`), each as a unified diff. Hunks carry no line numbers in this format, so
 * their headers are bare `@@` lines.
 */
export function applyPatch(text: string): PatchFile[] {
  const out: PatchFile[] = []
  let cur: { file: string; type: PatchFile["type"]; movePath?: string; body: string[] } | undefined
  const flush = () => {
    if (!cur) return
    const body = cur.body
    const diff =
      cur.type === "add"
        ? `${header(cur.file)}@@ -0,0 +1,${body.length} @@\n${body.join("\n")}${body.length ? "\n" : ""}`
        : cur.type === "delete"
          ? `${header(cur.file)}@@ file deleted @@\n`
          : body.length
            ? `${header(cur.file)}${body.join("\n")}\n`
            : ""
    out.push({ file: cur.file, type: cur.type, movePath: cur.movePath, diff })
    cur = undefined
  }
  for (const line of text.split("\n")) {
    const m = /^\*\*\* (Add|Update|Delete) File: (.+)$/.exec(line)
    if (m) {
      flush()
      cur = { file: m[2].trim(), type: m[1] === "Add" ? "add" : m[1] === "Update" ? "update" : "delete", body: [] }
      continue
    }
    if (!cur) continue
    const move = /^\*\*\* Move to: (.+)$/.exec(line)
    if (move) cur.movePath = move[1].trim()
    else if (line.startsWith("*** End Patch") || line === "*** End of File") continue
    else if (cur.type === "add") cur.body.push(line.startsWith("+") ? line : `+${line}`)
    else if (line.startsWith("@@") || /^[ +-]/.test(line))
      cur.body.push(line.startsWith("@@") && !/^@@ -\d/.test(line) ? `@@ ${line.slice(2).trim()}`.trimEnd() : line)
  }
  flush()
  return out
}

export function counts(patch: string): { additions: number; deletions: number } {
  let additions = 0
  let deletions = 0
  for (const line of patch.split("\n")) {
    if (line.startsWith("+++") || line.startsWith("---")) continue
    if (line.startsWith("+")) additions += 1
    else if (line.startsWith("-")) deletions += 1
  }
  return { additions, deletions }
}

function split(content: string): string[] {
  if (!content) return []
  const lines = content.split("\n")
  if (lines.at(-1) === "") lines.pop()
  return lines
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0)
