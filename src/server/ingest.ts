/**
 * Secrets in a sync, before anything is stored or fanned out (REDACT_ON_INGEST): redact them,
 * reject the sync, or let it through. Logs name rules and counts, never a secret or a preview.
 */
import type { KeyedItem } from "../schema/index.ts"
import * as Secrets from "../secrets/index.ts"
import type { ShareRecord } from "../store/index.ts"
import type { Deps } from "./context.ts"
import { badRequest } from "./errors.ts"

export type Cleaned = { items: KeyedItem[]; counts: number[] }

const detected = (message: string) => badRequest("secret_detected", message)

export async function secrets(deps: Deps, share: ShareRecord, items: KeyedItem[]): Promise<Cleaned> {
  const mode = deps.config.redactOnIngest
  if (mode === "off" || items.length === 0) return { items, counts: items.map(() => 0) }
  // Keys are made of ids; one holding a secret cannot be redacted without losing the item.
  const inKeys = await Secrets.scanText(items.map((i) => i.key).join("\n"))
  const first = inKeys[0]
  if (first) throw detected(`data[${first.line - 1}]: an id matches rule ${first.rule}; ids cannot be redacted, nothing of this sync was stored`)
  if (mode === "reject") {
    const findings = await Secrets.scan(items)
    const f = findings[0]
    if (!f) return { items, counts: items.map(() => 0) }
    deps.log.warn({ shareID: share.id, findings: findings.length, rules: rules(findings) }, "sync rejected: secrets found")
    const index = items.findIndex((i) => i.key === f.key)
    const more = findings.length > 1 ? ` (and ${findings.length - 1} more)` : ""
    throw detected(`data[${index}] ${f.key} ${f.path || "data"} line ${f.line}: a secret matching rule ${f.rule} was found${more}; nothing of this sync was stored`)
  }
  try {
    const r = await Secrets.redact(items)
    if (r.findings.length > 0) deps.log.info({ shareID: share.id, redactions: r.findings.length, rules: rules(r.findings) }, "secrets redacted on ingest")
    return { items: r.items, counts: r.counts }
  } catch (error) {
    if (!(error instanceof Secrets.SecretsRemain)) throw error
    deps.log.warn({ shareID: share.id, rules: error.rules }, "sync rejected: redaction did not come out clean")
    throw detected(`secrets matching ${error.rules.join(", ")} could not be redacted; nothing of this sync was stored`)
  }
}

const rules = (findings: Secrets.Finding[]) => [...new Set(findings.map((f) => f.rule))]
