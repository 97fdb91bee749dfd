/**
 * Private by default: the sharer's absolute paths never reach a public page or the Markdown.
 * Every rendered string passes `scrub`, which turns the session's directory into a relative
 * path and the sharer's home directory into `~`, wherever they appear (diff headers, tool
 * output, titles, prose). The raw JSON export keeps the data as it was synced.
 */
import { escape } from "./escape.ts"
import type { Transcript } from "./model.ts"
import { get, str } from "./read.ts"

export type Paths = {
  /** The session's directory: `root/x` becomes `x`, `root` alone `.`. */
  root: string
  /** Home directories seen in the session's paths: each becomes `~`. */
  homes: string[]
  /** One regex for all of them (undefined when there is nothing to hide). */
  pattern?: RegExp
  /** What each match becomes, by the matched text. */
  to: Map<string, string>
  /** The bare directories: a text holding none of them is returned as it is, unscanned. */
  needles: string[]
}

const HOME = [
  /^\/home\/[^/]+/,
  /^\/Users\/[^/]+/,
  /^\/root(?=\/|$)/,
  /^[A-Za-z]:\\Users\\[^\\]+/,
  /^\/var\/home\/[^/]+/,
]

/** The home directory a path lies in, or "". */
export function home(path: string): string {
  for (const re of HOME) {
    const m = re.exec(path)
    if (m) return m[0]
  }
  return ""
}

const memo = new WeakMap<Transcript, Paths>()

/** The directories of a transcript: its root (session directory, else the first assistant
 * message's path.root) and every home directory its sessions and messages name. */
export function of(t: Transcript): Paths {
  const hit = memo.get(t)
  if (hit) return hit
  const first = t.root.messages.find((m) => m.role === "assistant")
  const root = clean(str(get(first?.info, "path", "root")) || str(t.root.info.directory))
  const dirs = new Set<string>([root])
  for (const s of t.sessions.values()) {
    dirs.add(clean(str(s.info.directory)))
    for (const m of s.messages.slice(0, 200)) {
      dirs.add(clean(str(get(m.info, "path", "root"))))
      dirs.add(clean(str(get(m.info, "path", "cwd"))))
    }
  }
  const homes = [...new Set([...dirs].map(home).filter(Boolean))]
  const p = make(root, homes)
  memo.set(t, p)
  return p
}

const clean = (p: string) => (p.length > 1 ? p.replace(/[/\\]+$/, "") : p)

export function make(root: string, homes: string[]): Paths {
  const to = new Map<string, string>()
  const alts: string[] = []
  // A path only counts at a boundary: /home/al must not eat /home/alice.
  const add = (from: string, rel: string, sep: string) => {
    for (const form of new Set([from, escape(from), from.replaceAll("\\", "\\\\")])) {
      to.set(form + sep, rel === "" ? "" : rel + sep)
      to.set(form, rel === "" ? "." : rel)
      alts.push(`${quote(form)}(?:${quote(sep)}|(?![\\w.-]))`)
    }
  }
  // The root is only hidden when it says something (not "/" or a bare home).
  if (/^(?:[A-Za-z]:)?[/\\][^/\\]+[/\\][^/\\]/.test(root) && root !== home(root))
    add(root, "", root.includes("\\") ? "\\" : "/")
  for (const h of homes) add(h, "~", h.includes("\\") ? "\\" : "/")
  // Longest first, so the root wins over the home it lies in.
  alts.sort((a, b) => b.length - a.length)
  const needles = [...new Set([...to.keys()].filter((k) => !to.has(k.slice(0, -1))))]
  return { root, homes, to, needles, pattern: alts.length ? new RegExp(alts.join("|"), "g") : undefined }
}

const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** `text` with every path of `p` made relative (root) or `~` (home). Linear in the text. */
export function scrub(text: string, p: Paths): string {
  if (!p.pattern || !p.needles.some((n) => text.includes(n))) return text
  return text.replace(p.pattern, (m) => p.to.get(m) ?? m)
}

/** `path` relative to the session's directory (or with `~` for the home), for labels. */
export function relative(path: string, p: Paths): string {
  return scrub(path, p)
}
