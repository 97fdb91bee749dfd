/** What one of agentshare's detectors is (rules.ts, tools.ts). */

export type Rule = {
  id: string
  /** What it finds, for docs/SECURITY.md. */
  title: string
  pattern: RegExp
  /** Capture groups that may hold the secret; the first that took part wins, else the whole match. */
  groups?: number[]
  /**
   * Several secrets in one match (the values of a Cookie header): their [start, end) offsets in
   * the text, read from the match's indices. Replaces `groups`; a match may yield none.
   */
  spans?: (match: RegExpExecArray) => [number, number][]
  /**
   * A string every match contains, strings one of which every match contains, or a (non-global)
   * regex every text with a match matches: when the text lacks it the rule is skipped (a cheap
   * prefilter; a rule that starts with a lookbehind is tried at every position of the text).
   */
  hint?: string | readonly string[] | RegExp
  /** Rejects a match that has the shape but is not a secret. */
  check?: (match: RegExpExecArray) => boolean
  /**
   * Key material (DER, base64 of a key) holds long runs of one character: `false` keeps such a
   * match from being taken for documentation filler.
   */
  filler?: false
}
