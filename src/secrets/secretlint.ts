/**
 * The secretlint recommended preset, run over text. Its reports carry ranges, never used
 * messages (they quote the secret). The preset's filter-comments rule is off: a
 * `secretlint-disable` comment inside a session must not switch redaction off.
 */
import { lintSource } from "@secretlint/core"
import { secretLintProfiler } from "@secretlint/profiler"
import { creator as preset } from "@secretlint/secretlint-rule-preset-recommend"
import type { SecretLintCoreConfig } from "@secretlint/types"
import type { Hit } from "./detect.ts"

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
export const ruleIds = (): string[] => preset.rules.map((r) => name(r.meta.id)).filter((id) => id !== "secretlint/filter-comments")

const name = (id: string) => `secretlint/${id.startsWith(PREFIX) ? id.slice(PREFIX.length) : id}`

/** A report: `raw` is the range secretlint gave, start/end the range widened to its token. */
export type Report = Hit & { raw: [number, number] }

export async function hits(text: string): Promise<Report[]> {
  if (text.length === 0) return []
  const result = await lintSource({
    source: { content: text, filePath: "/session.txt", contentType: "text" },
    options: { config: CONFIG, maskSecrets: true, noPhysicFilePath: true },
  })
  return result.messages.map((m) => ({ ...widen(text, m.range[0], m.range[1], name(m.ruleId)), raw: [m.range[0], m.range[1]] }))
}

/**
 * Some reports cover the name before a secret and only part of the value (the AWS rule reports
 * the secret's length from the start of its name). Redacting such a range would leave the rest
 * of the secret readable, so a report grows to the whole token around it: fail closed.
 */
function widen(text: string, start: number, end: number, rule: string): Hit {
  const stop = /[\s"'`<>\0]/
  let s = start
  let e = Math.max(end, start + 1)
  while (s > 0 && start - s < WIDEN_LIMIT && !stop.test(text[s - 1] ?? " ")) s -= 1
  while (e < text.length && e - end < WIDEN_LIMIT && !stop.test(text[e] ?? " ")) e += 1
  return { start: s, end: e, rule }
}
