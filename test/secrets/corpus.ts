/** Runs the detectors over the labelled corpus: recall on the secrets, flags on clean lines. */
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Secrets from "../../src/secrets/index.ts"
import type { Case, CleanBlock } from "../fixtures/secrets/generate.ts"

const DIR = join(dirname(fileURLToPath(import.meta.url)), "../fixtures/secrets")
/** A surviving run this long of a secret counts as a leak, not only the whole secret. */
export const WINDOW = 12

export const cases = (): Case[] => JSON.parse(readFileSync(join(DIR, "secrets.json"), "utf8")).cases
export const clean = (): CleanBlock[] => JSON.parse(readFileSync(join(DIR, "clean.json"), "utf8")).blocks

/** Every string and key in a value, joined: what a reader of the stored share could see. */
export function strings(value: unknown): string {
  const out: string[] = []
  const walk = (v: unknown) => {
    if (typeof v === "string") out.push(v)
    else if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        out.push(k)
        walk(x)
      }
  }
  walk(value)
  return out.join("\n\0\n")
}

/** The part of `secret` still readable in `haystack`, if any run of WINDOW characters is. */
export function leaked(secret: string, haystack: string): boolean {
  if (secret.length <= WINDOW) return haystack.includes(secret)
  for (let i = 0; i + WINDOW <= secret.length; i++) if (haystack.includes(secret.slice(i, i + WINDOW))) return true
  return false
}

export type CaseResult = {
  id: string
  rule: string
  context: string
  leaked: boolean
  rules: string[]
  before: boolean
}

export async function recall(): Promise<CaseResult[]> {
  const out: CaseResult[] = []
  for (const c of cases()) {
    const r = await Secrets.redact(c.items, { root: "ses_root" })
    const after = strings(r.items.map((i) => i.data))
    const before = strings(c.items.map((i) => i.data))
    out.push({
      id: c.id,
      rule: c.rule,
      context: c.context,
      before: c.secrets.every((s) => before.includes(s)),
      leaked: c.secrets.some((s) => leaked(s, after)),
      rules: [...new Set(r.findings.map((f) => f.rule))],
    })
  }
  return out
}

export type CleanResult = { lines: number; flagged: number; byRule: Map<string, number>; examples: string[] }

export async function falsePositives(): Promise<CleanResult> {
  let lines = 0
  let flagged = 0
  const byRule = new Map<string, number>()
  const examples: string[] = []
  for (const b of clean()) {
    const blockLines = b.text.split("\n")
    lines += blockLines.length
    const findings = await Secrets.scanText(b.text)
    const hit = new Map<number, string>()
    for (const f of findings) if (!hit.has(f.line)) hit.set(f.line, f.rule)
    flagged += hit.size
    for (const [line, rule] of hit) {
      byRule.set(rule, (byRule.get(rule) ?? 0) + 1)
      if (examples.length < 60)
        examples.push(`${b.category}:${line} [${rule}] ${(blockLines[line - 1] ?? "").slice(0, 100)}`)
    }
  }
  return { lines, flagged, byRule, examples }
}
