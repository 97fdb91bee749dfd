/**
 * Secrets in a sync, before anything is stored or fanned out (REDACT_ON_INGEST): redact them,
 * reject the sync, or let it through. The scan runs in the scanner's worker threads, one call
 * per sync for its ids and its items together, within SCAN_BUDGET. Logs name rules and counts,
 * never a secret or a preview.
 */
import type { KeyedItem } from "../../schema/index.ts"
import * as Secrets from "../../secrets/index.ts"
import type { ShareRecord } from "../../store/index.ts"
import type { Deps } from "../context.ts"
import { badRequest, scanTimeout } from "../errors.ts"

/** A sync's item with its data as JSON text, the form it is scanned and stored in. */
export type EncodedItem = KeyedItem & { json: string }
export type Cleaned = { items: EncodedItem[]; counts: number[] }

const detected = (message: string) => badRequest("secret_detected", message)

/** The sync's item keys as one string, scanned with its items; no item key can look like it. */
const IDS = "#ids"

export async function secrets(deps: Deps, share: ShareRecord, items: EncodedItem[]): Promise<Cleaned> {
  const mode = deps.config.redactOnIngest
  if (mode === "off" || items.length === 0) return { items, counts: items.map(() => 0) }
  const keys = items.map((i) => i.key).join("\n")
  const ids = { key: IDS, data: keys, json: JSON.stringify(keys) }
  // What a scanner thread remembers of this share's values helps this share's next syncs only.
  const scoped = { scope: share.id }
  try {
    if (mode === "reject") {
      const findings = inItems(await deps.scanner.scan([ids, ...items], scoped))
      const f = findings[0]
      if (!f) return { items, counts: items.map(() => 0) }
      deps.log.warn(
        { shareID: share.id, findings: findings.length, rules: rules(findings) },
        "sync rejected: secrets found",
      )
      const index = items.findIndex((i) => i.key === f.key)
      const more = findings.length > 1 ? ` (and ${findings.length - 1} more)` : ""
      throw detected(
        `data[${index}] ${f.key} ${f.path || "data"} line ${f.line}: a secret matching rule ${f.rule} was found${more}; nothing of this sync was stored`,
      )
    }
    const r = await deps.scanner.redact<Secrets.Encoded>([ids, ...items], scoped)
    const findings = inItems(r.findings)
    if (findings.length > 0)
      deps.log.info(
        { shareID: share.id, redactions: findings.length, rules: rules(findings) },
        "secrets redacted on ingest",
      )
    return { items: r.items.slice(1) as EncodedItem[], counts: r.counts.slice(1) }
  } catch (error) {
    if (error instanceof Secrets.ScanTimeout) {
      deps.log.warn(
        { shareID: share.id, items: items.length, budgetMs: error.budgetMs },
        "sync rejected: secret scan over budget",
      )
      throw scanTimeout("this sync", error.budgetMs, "send its items in smaller batches")
    }
    if (!(error instanceof Secrets.SecretsRemain)) throw error
    inItems(error.findings)
    deps.log.warn({ shareID: share.id, rules: error.rules }, "sync rejected: redaction did not come out clean")
    throw detected(`secrets matching ${error.rules.join(", ")} could not be redacted; nothing of this sync was stored`)
  }
}

/**
 * The findings in the items, after refusing the sync if an id holds a secret: keys are made of
 * ids, and one holding a secret cannot be redacted without losing the item.
 */
function inItems(findings: Secrets.Finding[]): Secrets.Finding[] {
  const id = findings.find((f) => f.key === IDS)
  if (id)
    throw detected(
      `data[${id.line - 1}]: an id matches rule ${id.rule}; ids cannot be redacted, nothing of this sync was stored`,
    )
  return findings
}

const rules = (findings: Secrets.Finding[]) => [...new Set(findings.map((f) => f.rule))]
