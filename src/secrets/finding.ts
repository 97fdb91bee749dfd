/** What a finding shows: where a secret is and what kind, never the secret. */

export type Finding = {
  /** The item's key (`part/<sid>/<mid>/<pid>`), or `#<index>` for an item without one. */
  key: string
  /** Field path inside the item's data, such as `state.output`; "" for the data itself. */
  path: string
  /** 1-based line and column inside that string. */
  line: number
  column: number
  /** Rule id, such as `openai` or `secretlint/slack`. */
  rule: string
  /** The first few characters and the length, such as `sk-p…(164 chars)`. */
  preview: string
  /** Other fields of the same item holding the same secret (counted once, with this finding). */
  also?: string[]
}

/** A finding inside one plain string. */
export type TextFinding = Omit<Finding, "key" | "path"> & { start: number; end: number }

/**
 * Up to four leading characters, fewer for short secrets, so that a preview never gives away
 * more than a quarter of a secret: enough for its owner to recognise it, useless to anyone else.
 */
export function preview(secret: string): string {
  const n = [...secret].length
  const show = n >= 16 ? 4 : n >= 8 ? 2 : 0
  return `${[...secret].slice(0, show).join("")}…(${n} chars)`
}

/** What a redacted span becomes. */
export const marker = (rule: string) => `[redacted:${rule}]`

/** Thrown when redaction could not make the payload scan clean; publishing must stop. */
export class SecretsRemain extends Error {
  readonly rules: string[]
  /** What the first pass found (it is what a caller reports when it refuses the payload). */
  readonly findings: Finding[]
  constructor(rules: string[], findings: Finding[] = []) {
    super(`secrets remain after redaction (rules: ${[...new Set(rules)].join(", ")})`)
    this.name = "SecretsRemain"
    this.rules = [...new Set(rules)]
    this.findings = findings
  }
}

/** A secret at [start, end) of a scanned text, found by `rule`. */
export type Hit = { start: number; end: number; rule: string }
