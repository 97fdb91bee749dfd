/**
 * Secrets in what the CLI uploads: which policy applies, the review table, and `guard`, a share
 * client that scans every batch before it is queued. Everything the CLI sends goes through
 * `client.sync`, so guarding that one call covers `share`, `share --watch` and `watch`.
 */
import type * as Client from "../client/index.ts"
import type { SyncItem } from "../schema/index.ts"
import * as Secrets from "../secrets/index.ts"
import * as Config from "./config.ts"
import type { Env } from "./env.ts"
import { usage } from "./exit.ts"
import * as Labels from "./labels.ts"
import * as Ui from "./ui.ts"

/** `allow` is `--allow-secrets`: scan and say so, but upload as it is; `off` does not scan. */
export type Mode = Config.SecretsPolicy | "allow"

export const FLAGS = { redact: { type: "boolean" }, "allow-secrets": { type: "boolean" } } as const

/** The mode for this run: a flag, else AGENTSHARE_SECRETS, else the config file, else `block`. */
export function mode(
  env: Env,
  flags: { redact?: boolean; "allow-secrets"?: boolean },
  verb: string,
): { mode: Mode; source: string } {
  if (flags.redact && flags["allow-secrets"])
    throw usage(`agentshare ${verb}: --redact and --allow-secrets exclude each other`)
  if (flags.redact) return { mode: "redact", source: "--redact" }
  if (flags["allow-secrets"]) return { mode: "allow", source: "--allow-secrets" }
  const configured = Config.secrets(env)
  return { mode: configured.policy, source: configured.source }
}

/** Findings found before anything was uploaded; nothing of the share was sent. */
export class SecretsFound extends Error {
  readonly findings: Secrets.Finding[]
  constructor(findings: Secrets.Finding[]) {
    super(`${findings.length} secret(s) found (rules: ${rules(findings)})`)
    this.name = "SecretsFound"
    this.findings = findings
  }
}

export const rules = (findings: Secrets.Finding[]) => [...new Set(findings.map((f) => f.rule))].join(", ")

/**
 * The review table: where each secret is and what kind, with a masked preview; never the secret.
 * Fits 80 columns: items go by short labels (labels.ts) when the items are given, and a secret
 * in several fields of one item is one row ("+1" for each other field holding it).
 */
export function table(findings: Secrets.Finding[], items: readonly SyncItem[] = [], root = "", max = 50): string {
  const names = Labels.of(items, root)
  const field = (f: Secrets.Finding) => `${f.path || "(value)"}${f.also?.length ? ` +${f.also.length}` : ""}`
  const rows = [
    ["where", "field", "at", "rule", "preview"],
    ...findings
      .slice(0, max)
      .map((f) => [names.get(f.key) ?? Labels.fallback(f.key), field(f), `${f.line}:${f.column}`, f.rule, f.preview]),
  ]
  const lines = [Ui.fit(rows, { indent: "  ", shrink: { 0: "right", 1: "left", 3: "right", 4: "right" } })]
  if (findings.length > max) lines.push(`  … and ${findings.length - max} more`)
  return lines.join("\n")
}

export type GuardEvent =
  | { type: "redacted"; share: Client.ShareRef; findings: Secrets.Finding[]; items: SyncItem[] }
  | { type: "blocked"; share: Client.ShareRef; error: Error; findings: Secrets.Finding[]; items: SyncItem[] }

/** True when a share stopped because of secrets (exit 7), not for any other reason. */
export const isSecrets = (error: unknown): boolean =>
  error instanceof SecretsFound || error instanceof Secrets.SecretsRemain

/**
 * The share client's prepare step for a mode: `redact` replaces every secret, scans the result
 * again and fails closed on a leftover; `block` stops the share at the first finding. It runs in
 * the queue, on each batch as it will be sent, so batches of one share stay in order and
 * nothing is sent after a share stopped. `off` and `allow` scan nothing here.
 */
export function prepare(mode: Mode, onEvent: (e: GuardEvent) => void = () => {}): Client.Queue.Prepare | undefined {
  if (mode === "off" || mode === "allow") return undefined
  return async (share, items) => {
    const root = { root: share.sessionID }
    try {
      if (mode === "block") {
        const findings = await Secrets.scan(items, root)
        if (findings.length > 0) throw new SecretsFound(findings)
        return items
      }
      const r = await Secrets.redact(items, root)
      // Fail closed: the batch as it will be sent must scan clean, not only the strings redact changed.
      const left = r.findings.length > 0 ? await Secrets.scan(r.items, root) : []
      if (left.length > 0) throw new Secrets.SecretsRemain(left.map((f) => f.rule))
      if (r.findings.length > 0) onEvent({ type: "redacted", share, findings: r.findings, items })
      return r.items
    } catch (error) {
      onEvent({
        type: "blocked",
        share,
        error: error as Error,
        findings: error instanceof SecretsFound ? error.findings : [],
        items,
      })
      throw error
    }
  }
}
