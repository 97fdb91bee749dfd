/** Detection over one text: agentshare's rules and the secretlint preset, as ranges. */
import { defaultPassword, filler, RULES, type Rule } from "./rules.ts"
import * as Secretlint from "./secretlint.ts"

/** A secret at [start, end) of the scanned text, found by `rule`. */
export type Hit = { start: number; end: number; rule: string }

/** Rules with capture groups need their offsets: the `d` flag, compiled once. */
const COMPILED = RULES.map((r) => ({ rule: r, re: r.groups ? new RegExp(r.pattern.source, r.pattern.flags + "d") : r.pattern }))

function span(rule: Rule, m: RegExpExecArray): [number, number] {
  for (const g of rule.groups ?? []) {
    const at = m.indices?.[g]
    if (at) return at
  }
  return [m.index, m.index + m[0].length]
}

/** Hits of agentshare's own rules; synchronous. */
export function own(text: string): Hit[] {
  const out: Hit[] = []
  for (const { rule, re } of COMPILED) {
    if (rule.hint !== undefined && !text.includes(rule.hint)) continue
    re.lastIndex = 0
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex += 1
        continue
      }
      if (rule.check && !rule.check(m)) continue
      const [start, end] = span(rule, m)
      // DER bodies of real keys hold long runs of "A": only other formats are checked for filler.
      if (end <= start || (rule.id !== "private-key" && filler(text.slice(start, end)))) continue
      out.push({ start, end, rule: rule.id })
    }
  }
  return out
}

/** Every hit in `text`, ours first where two rules find the same place. */
export async function all(text: string): Promise<Hit[]> {
  const ours = own(text)
  const starts = ours.map((h) => h.start).sort((a, b) => a - b)
  const reach = ours.reduce((m, h) => Math.max(m, h.end - h.start), 0)
  // Where both find a secret ours decides the span: our rules capture the secret itself, while
  // a secretlint report is widened to its whole token (a URL, NAME=value) to fail closed.
  const overlapsOurs = ([s, e]: [number, number]) => {
    for (let i = lowerBound(starts, s - reach); i < starts.length && (starts[i] ?? Infinity) < e; i++) {
      if (ours.some((h) => h.start === starts[i] && h.end > s)) return true
    }
    return false
  }
  const theirs = (await Secretlint.hits(text)).filter((h) => !overlapsOurs(h.raw) && !(URL_RULES.has(h.rule) && localDefault(text.slice(h.start, h.end))))
  return [...ours, ...theirs.map(({ start, end, rule }) => ({ start, end, rule }))]
}

function lowerBound(xs: number[], v: number): number {
  let lo = 0
  let hi = xs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((xs[mid] ?? 0) < v) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** secretlint's URL rules flag `postgres://postgres:postgres@localhost`; ours decide what a default is. */
const URL_RULES = new Set(["secretlint/basicauth", "secretlint/database-connection-string"])
function localDefault(found: string): boolean {
  const m = /:\/\/([^\s:/@]*):([^\s/@]+)@/.exec(found)
  return m !== null && defaultPassword(m[1] ?? "", m[2] ?? "")
}

/** Sorted, overlapping hits joined; a joined range is named by the first of our rules in it. */
export function merge(hits: Hit[]): Hit[] {
  const sorted = hits.map((h, i) => ({ ...h, i })).sort((a, b) => a.start - b.start || a.i - b.i)
  const out: Hit[] = []
  for (const h of sorted) {
    const last = out.at(-1)
    if (!last || h.start >= last.end) {
      out.push({ start: h.start, end: h.end, rule: h.rule })
      continue
    }
    last.end = Math.max(last.end, h.end)
    // Our rule names say more than secretlint's when both find one secret.
    if (last.rule.startsWith("secretlint/") && !h.rule.startsWith("secretlint/")) last.rule = h.rule
  }
  return out
}
