/**
 * Secrets in what the CLI uploads: which policy applies, the review table, and `guard`, a share
 * client that scans every batch before it is queued. Everything the CLI sends goes through
 * `client.sync`, so guarding that one call covers `share`, `share --watch` and `watch`.
 */
import * as Client from "../client/index.ts"
import type { SyncItem } from "../schema/index.ts"
import * as Secrets from "../secrets/index.ts"
import * as Config from "./config.ts"
import type { Env } from "./env.ts"
import { usage } from "./exit.ts"
import * as Sanitize from "./sanitize.ts"

/** `allow` is `--allow-secrets`: scan and say so, but upload as it is; `off` does not scan. */
export type Mode = Config.SecretsPolicy | "allow"

export const FLAGS = { redact: { type: "boolean" }, "allow-secrets": { type: "boolean" } } as const

/** The mode for this run: a flag, else AGENTSHARE_SECRETS, else the config file, else `block`. */
export function mode(env: Env, flags: { redact?: boolean; "allow-secrets"?: boolean }, verb: string): { mode: Mode; source: string } {
  if (flags.redact && flags["allow-secrets"]) throw usage(`agentshare ${verb}: --redact and --allow-secrets exclude each other`)
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

/** Session text printed on the uploader's terminal: control characters cannot move its cursor. */
const cell = Sanitize.line

/** The review table: where each secret is and what kind, with a masked preview; never the secret. */
export function table(findings: Secrets.Finding[], max = 50): string {
  const rows = [["item", "field", "line:col", "rule", "preview"], ...findings.slice(0, max).map((f) => [cell(f.key), cell(f.path || "(value)"), `${f.line}:${f.column}`, f.rule, cell(f.preview)])]
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  const lines = rows.map((r) => "  " + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  "))
  if (findings.length > max) lines.push(`  … and ${findings.length - max} more`)
  return lines.join("\n")
}

export type GuardEvent =
  | { type: "redacted"; share: Client.ShareRef; findings: Secrets.Finding[] }
  | { type: "blocked"; share: Client.ShareRef; error: Error; findings: Secrets.Finding[] }

/** True when a share stopped because of secrets (exit 7), not for any other reason. */
export const isSecrets = (error: unknown): boolean => error instanceof SecretsFound || error instanceof Secrets.SecretsRemain

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
      if (r.findings.length > 0) onEvent({ type: "redacted", share, findings: r.findings })
      return r.items
    } catch (error) {
      onEvent({ type: "blocked", share, error: error as Error, findings: error instanceof SecretsFound ? error.findings : [] })
      throw error
    }
  }
}
