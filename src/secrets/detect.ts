/** Detection over one text: agentshare's rules and the secretlint preset, as ranges. */
import { defaultPassword } from "./placeholders.ts"
import { filler, RULES, type Rule } from "./rules.ts"
import type { Hit } from "./finding.ts"
import * as Secretlint from "./secretlint.ts"

export type { Hit }

/** A rule with its regex compiled once (rules that read capture offsets, `groups` or `spans`, need the `d` flag). */
export type Compiled = { rule: Rule; re: RegExp }
export const COMPILED: readonly Compiled[] = RULES.map((r) => ({
  rule: r,
  re: r.groups || r.spans ? new RegExp(r.pattern.source, `${r.pattern.flags}d`) : r.pattern,
}))

function span(rule: Rule, m: RegExpExecArray): [number, number] {
  for (const g of rule.groups ?? []) {
    const at = m.indices?.[g]
    if (at) return at
  }
  return [m.index, m.index + m[0].length]
}

function hinted(hint: NonNullable<Rule["hint"]>, text: string): boolean {
  if (typeof hint === "string") return text.includes(hint)
  if (hint instanceof RegExp) return hint.test(text)
  return hint.some((h) => text.includes(h))
}

/** Hits of one rule, appended to `out`; synchronous. */
export function run({ rule, re }: Compiled, text: string, out: Hit[] = []): Hit[] {
  if (rule.hint !== undefined && !hinted(rule.hint, text)) return out
  re.lastIndex = 0
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex += 1
      continue
    }
    if (rule.check && !rule.check(m)) continue
    for (const [start, end] of rule.spans ? rule.spans(m) : [span(rule, m)]) {
      if (end <= start || (rule.filler !== false && filler(text.slice(start, end)))) continue
      out.push({ start, end, rule: rule.id })
    }
  }
  return out
}

/** Hits of agentshare's own rules; synchronous. */
export function own(text: string): Hit[] {
  const out: Hit[] = []
  for (const c of COMPILED) run(c, text, out)
  return out
}

/** Every hit in `text`, ours first where two rules find the same place. */
export async function all(text: string): Promise<Hit[]> {
  const ours = own(text)
  const overlapsOurs = overlaps(ours)
  // Where both find a secret ours decides the span: our rules capture the secret itself, while
  // a secretlint report is widened to its whole token (a URL, NAME=value) to fail closed.
  const theirs = (await Secretlint.hits(text)).filter(
    (h) => !overlapsOurs(h.raw) && !(URL_RULES.has(h.rule) && localDefault(text.slice(h.start, h.end))),
  )
  return [...ours, ...theirs.map(({ start, end, rule }) => ({ start, end, rule }))]
}

/**
 * Whether a range overlaps any of `hits`, in O(log n) a question: a hit overlaps [s, e) when it
 * starts before e and ends after s, so it is enough to know the furthest end among the hits
 * that start before e (a prefix maximum over the hits sorted by start).
 */
function overlaps(hits: Hit[]): (range: [number, number]) => boolean {
  const sorted = [...hits].sort((a, b) => a.start - b.start)
  const starts = sorted.map((h) => h.start)
  const reach: number[] = []
  for (const h of sorted) reach.push(Math.max(reach.at(-1) ?? -Infinity, h.end))
  return ([s, e]) => {
    const before = lowerBound(starts, e) - 1
    return before >= 0 && (reach[before] ?? -Infinity) > s
  }
}

/** The first index whose value is >= v. */
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
