/**
 * The secretlint recommended preset, run over text. Its reports carry ranges, never used
 * messages (they quote the secret). The preset's filter-comments rule is off: a
 * `secretlint-disable` comment inside a session must not switch redaction off.
 */
import { lintSource } from "@secretlint/core"
import { secretLintProfiler } from "@secretlint/profiler"
import { creator as preset } from "@secretlint/secretlint-rule-preset-recommend"
import type { SecretLintCoreConfig } from "@secretlint/types"
import type { Hit } from "./finding.ts"
import { SEP } from "./text.ts"

// secretlint's profiler records a performance mark for every rule on every lint, keeps them all
// (and so does Node's global performance timeline) and scans them linearly on each new one: in
// a long-running server that is a memory leak and quadratic time (most of the CPU under load).
// agentshare never reads the profile, so marking is switched off.
secretLintProfiler.mark = () => {}

const PREFIX = "@secretlint/secretlint-rule-"
const CONFIG: SecretLintCoreConfig = {
  rules: [{ id: preset.meta.id, rule: preset, rules: [{ id: `${PREFIX}filter-comments`, disabled: true }] }],
}
/** How far a report may be widened to the token around it (see widen). */
const WIDEN_LIMIT = 4096

/** The preset's rule ids as agentshare names them (`secretlint/slack`). */
export const ruleIds = (): string[] =>
  preset.rules.map((r) => name(r.meta.id)).filter((id) => id !== "secretlint/filter-comments")

const name = (id: string) => `secretlint/${id.startsWith(PREFIX) ? id.slice(PREFIX.length) : id}`

/** A report: `raw` is the range secretlint gave, start/end the range widened to its token. */
export type Report = Hit & { raw: [number, number] }

/** One rule of the preset alone, as agentshare names it: for the rule-complexity check. */
function only(rule: string): SecretLintCoreConfig {
  const creator = preset.rules.find((r) => name(r.meta.id) === rule)
  if (!creator) throw new Error(`no secretlint rule ${rule}`)
  return { rules: [{ id: creator.meta.id, rule: creator }] }
}

/**
 * Reports of the whole preset over `text`, or of one of its rules (`secretlint/aws`).
 *
 * secretlint's core drops duplicate reports by comparing each with every later one, which is
 * quadratic in the reports of one call (1 MiB of npm tokens: minutes). So the text goes in
 * chunks, which bounds the reports of a call, and so the work is linear in the text: chunks of
 * CHUNK characters, and once a chunk has given MANY reports, of SMALL_CHUNK for the rest of the
 * text (ordinary text has a handful, and fewer calls cost less). Chunks end between two strings
 * where they can (no rule matches across the separator), else at a line break, else anywhere;
 * the next chunk then starts a little before the cut, so a report that crosses it is whole in
 * one of the two.
 */
export async function hits(text: string, rule?: string): Promise<Report[]> {
  const config = rule === undefined ? CONFIG : only(rule)
  const found = new Map<string, { start: number; end: number; rule: string }>()
  let size = CHUNK
  for (const [from, to] of chunks(text, () => size)) {
    const result = await lintSource({
      source: { content: text.slice(from, to), filePath: "/session.txt", contentType: "text" },
      options: { config, maskSecrets: true, noPhysicFilePath: true },
    })
    if (result.messages.length > MANY) size = SMALL_CHUNK
    for (const m of result.messages) {
      const r = { start: from + m.range[0], end: from + m.range[1], rule: name(m.ruleId) }
      found.set(`${r.start}:${r.end}:${r.rule}`, r)
    }
  }
  const widen = widener(text)
  return [...found.values()]
    .sort((a, b) => a.start - b.start)
    .map((m) => ({ ...widen(m.start, m.end, m.rule), raw: [m.start, m.end] }))
}

export const CHUNK = 64 * 1024
const SMALL_CHUNK = 8 * 1024
/** Reports in one chunk past which the chunks get small: some hundreds cost a millisecond or two. */
const MANY = 200
/**
 * How far a chunk cut inside a line reaches back into the previous one: longer than any report
 * of the preset that fits on one line (1password's, about 1,300 characters, is the longest).
 * Reports that span lines are private keys and AWS secrets, which agentshare's own rules find
 * whole anyway.
 */
const OVERLAP = 2048

/** [from, to) ranges covering `text`, each at most `size()` long, asked anew for each chunk (see hits). */
export function* chunks(text: string, size: () => number = () => CHUNK): Generator<[number, number]> {
  let at = 0
  for (let chunk = size(); text.length - at > chunk; chunk = size()) {
    const limit = at + chunk
    const half = at + chunk / 2
    // Searched in the window's second half only: lastIndexOf on the whole text would read back
    // to its start every time.
    const window = text.slice(half, limit)
    const sep = window.lastIndexOf(SEP)
    if (sep > 0) {
      yield [at, half + sep]
      at = half + sep + SEP.length
      continue
    }
    const nl = window.lastIndexOf("\n")
    if (nl > 0) {
      yield [at, half + nl + 1]
      // The line before the cut is read again, so a report that goes on over a line break is whole.
      const before = window.lastIndexOf("\n", nl - 1)
      at = half + Math.max(before + 1, nl + 1 - OVERLAP, 1)
      continue
    }
    yield [at, limit]
    at = limit - OVERLAP
  }
  if (at < text.length) yield [at, text.length]
}

const STOP = /[\s"'`<>\0]/
/** STOP for ASCII, looked up instead of matched: widening tests every character it passes. */
const ASCII_STOP = Array.from({ length: 128 }, (_, c) => STOP.test(String.fromCharCode(c)))

/**
 * Some reports cover the name before a secret and only part of the value (the AWS rule reports
 * the secret's length from the start of its name). Redacting such a range would leave the rest
 * of the secret readable, so a report grows to the whole token around it: fail closed.
 *
 * Asked for reports in order of their start, it remembers what it has read on either side, so
 * many reports inside one long token cost one pass over it, not one each, and it never reads
 * more than WIDEN_LIMIT before a report.
 */
function widener(text: string): (start: number, end: number, rule: string) => Hit {
  const stop = (i: number) => {
    const c = text.charCodeAt(i)
    return c < 128 ? (ASCII_STOP[c] as boolean) : STOP.test(text[i] as string)
  }
  let scanned = 0
  let stopBefore = -1
  // No stop character in [from, stopAfter); stopAfter is one, or the end of the text.
  let from = 0
  let stopAfter = 0
  return (start, end, rule) => {
    if (start < scanned || start - WIDEN_LIMIT > scanned) [scanned, stopBefore] = [Math.max(0, start - WIDEN_LIMIT), -1]
    for (; scanned < start; scanned++) if (stop(scanned)) stopBefore = scanned
    const s = Math.max(stopBefore + 1, start - WIDEN_LIMIT, 0)
    const at = Math.max(end, start + 1)
    if (at > stopAfter) {
      for (stopAfter = at; stopAfter < text.length && !stop(stopAfter); stopAfter++);
      from = at
    } else if (at < from) {
      let i = at
      while (i < from && !stop(i)) i++
      if (i < from) stopAfter = i
      from = at
    }
    const e = Math.max(at, Math.min(stopAfter, end + WIDEN_LIMIT, text.length))
    return { start: s, end: e, rule }
  }
}
