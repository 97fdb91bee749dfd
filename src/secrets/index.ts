/**
 * Secret detection for both sides of a share: the CLI scans what it is about to upload, the
 * server scans what arrives (REDACT_ON_INGEST). One set of rules: the secretlint recommended
 * preset plus agentshare's own (rules.ts) for what agent sessions leak, and structured fields
 * whose name says they hold a credential (`secret-field`).
 *
 * Using it from the CLI:
 * ```ts
 * import * as Secrets from "./index.ts"
 * const findings = await Secrets.scan(syncItems, { root: sessionID })   // block: show a table
 * const { items, findings } = await Secrets.redact(syncItems, { root })  // --redact
 * const { text } = await Secrets.redactText(line)                        // a plain string
 * ```
 * - A finding is `{key, path, line, column, rule, preview}`; the preview shows at most four
 *   leading characters and the length, never the secret. Show findings to the uploader only.
 * - `redact` replaces each secret with `[redacted:<rule>]` in every string of `data`, and
 *   object keys too (a key holding a secret is renamed to the marker): a tool's metadata may
 *   map file contents or headers by key. It rescans what it changed and throws SecretsRemain
 *   if anything is still found: treat that as "do not publish".
 * - `Secrets.scanner({ size, budgetMs })` runs scan and redact in worker threads, each call
 *   within a time budget (ScanTimeout past it): what the server uses, so no scan holds up
 *   another request. The CLI calls the functions in process.
 * - Items may be SyncItems (`{type, data, sessionID?}`, keys computed as the server would) or
 *   already keyed (`{key, data}`). Inputs are never modified.
 */
export { scan, redact, scanText, redactText, type Item, type Options, type Redacted } from "./items.ts"
export { preview, marker, SecretsRemain, type Finding, type TextFinding } from "./finding.ts"
export { create as scanner, ScanTimeout, type Encoded, type Scanner, type ScannerOptions } from "./pool.ts"
export { RULES, catalog } from "./rules.ts"
export { ruleIds as secretlintRules } from "./secretlint.ts"
export { isSecretName } from "./names.ts"
export { isPlaceholder } from "./placeholders.ts"
