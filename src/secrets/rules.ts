/**
 * agentshare's own detectors: the formats agent sessions leak, each a global regex over text
 * plus an optional check of the match. `groups` name the capture that is the secret itself
 * (the rest of the match is context that stays readable, such as `AccountKey=`).
 */
import { isSecretName } from "./names.ts"
import { defaultPassword, isPlaceholder } from "./placeholders.ts"
import type { Rule } from "./rule.ts"
import { TOOL_RULES } from "./tools.ts"

export type { Rule } from "./rule.ts"
export { defaultPassword } from "./placeholders.ts"

/** Published documentation examples: real formats, never real credentials. */
const KNOWN_EXAMPLES = new Set([
  "AKIAIOSFODNN7EXAMPLE",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
])
const notExample = (m: RegExpExecArray, g = 0) => !KNOWN_EXAMPLES.has(m[g] ?? "")

// Segments are joined by "\n\0\n" (see text.ts): no rule may match a NUL, so none crosses one.
const PEM_LABEL = "[A-Z0-9 ]{0,30}PRIVATE KEY(?: BLOCK)?"
/** The labels of private key blocks, for an END line that was cut short. */
const PEM_LABELS = [
  "RSA PRIVATE KEY",
  "EC PRIVATE KEY",
  "DSA PRIVATE KEY",
  "OPENSSH PRIVATE KEY",
  "ENCRYPTED PRIVATE KEY",
  "PRIVATE KEY",
  "PGP PRIVATE KEY BLOCK",
]
/** Before a line of a file as tools show it: `12: ` (read), ` ` or `-` (diff). Never ambiguous with base64. */
const LINE_MARK = String.raw`(?:\d{1,6}[:|] ?|[ -])?`

function jwtHeader(m: RegExpExecArray): boolean {
  try {
    const header: unknown = JSON.parse(Buffer.from((m[0] ?? "").split(".")[0] ?? "", "base64url").toString("utf8"))
    return typeof header === "object" && header !== null && ("alg" in header || "typ" in header) && notExample(m)
  } catch {
    return false
  }
}

/**
 * A run of one character, or a word `example` standing on its own (`sk_test_EXAMPLE_KEY_…`) in
 * a long match: documentation filler. Only as a word: `SaffronExample2027%` is a password.
 */
export const filler = (s: string) =>
  s.length >= 16 && (/(.)\1{5}/.test(s) || /(?:^|[^A-Za-z])example(?:[^a-z]|$)/i.test(s))

const secretValue = (name: number, value: number) => (m: RegExpExecArray) =>
  isSecretName(m[name] ?? "") && !isPlaceholder(m[value] ?? "")

export const RULES: Rule[] = [
  {
    id: "private-key",
    title: "PEM private key blocks (RSA, EC, DSA, OpenSSH, PGP, PKCS#8), also with escaped \\n and cut short",
    pattern: new RegExp(String.raw`-----BEGIN ${PEM_LABEL}-----[^\0]*?(?:-----END ${PEM_LABEL}-----|(?=\n\0)|$)`, "g"),
    hint: "PRIVATE KEY",
    filler: false,
  },
  {
    id: "private-key",
    title: "the tail of a private key whose BEGIN line was cut off (its END line may be cut short too)",
    // Anchored on the END line with the key's lines in a lookbehind: starting at every line and
    // reading on to an END that never comes is quadratic (a base64 dump near "PRIVATE KEY").
    // A line may carry the read tool's number or a diff's mark; a `+` mark is part of the class.
    // A preview cut inside the END line (`-----END OPEN`) still names a private key's label.
    pattern: new RegExp(
      String.raw`-----END(?<=(?:^|\n|\\n|["'])((?:${LINE_MARK}[A-Za-z0-9+/=]{40,}(?:\r?\n|\\n))+)(?:${LINE_MARK}|\+)-----END)(?: ${PEM_LABEL}-----| ([A-Z0-9 ]{1,30})(?=\n\0|$))`,
      "g",
    ),
    hint: "-----END",
    groups: [1],
    check: (m) => m[2] === undefined || PEM_LABELS.some((label) => label.startsWith(m[2] ?? "")),
    filler: false,
  },
  {
    id: "jwt",
    title: "JSON Web Tokens (header decodes to JSON with alg or typ)",
    pattern:
      /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]))eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/g,
    check: jwtHeader,
  },
  {
    id: "aws-access-key",
    title: "AWS access key ids (AKIA…, ASIA…)",
    pattern: /(?:(?<![A-Za-z0-9])|(?<=\\[nrt]))(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g,
    check: (m) => notExample(m) && !m[0].endsWith("EXAMPLE"),
  },
  {
    id: "aws-secret-key",
    title: "AWS secret access keys and session tokens next to their name",
    pattern:
      /(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret_?key|aws_?session_?token|session_?token)\\?["']?\s*(?::|=>|=)\s*\\?["']?([A-Za-z0-9/+]{40}(?:[A-Za-z0-9/+=]{60,})?)(?![A-Za-z0-9/+=])/gi,
    groups: [1],
    check: (m) => notExample(m, 1),
  },
  {
    id: "gcp-service-account",
    title: "the private_key_id of a GCP service-account JSON (its private_key is a private-key block)",
    pattern: /\\?"private_key_id\\?"\s*:\s*\\?"([0-9a-f]{40})\\?"/g,
    hint: "private_key_id",
    groups: [1],
  },
  {
    id: "google-api-key",
    title: "Google API keys, including Google AI Studio / Gemini keys (AIza…)",
    pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]))AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
  },
  {
    id: "google-oauth",
    title: "Google OAuth client secrets (GOCSPX-…), access tokens (ya29.…) and refresh tokens (1//…)",
    pattern:
      /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]))(?:GOCSPX-[A-Za-z0-9_-]{28}|ya29\.[0-9A-Za-z_-]{30,}|1\/\/0[0-9A-Za-z_-]{40,})(?![A-Za-z0-9_-])/g,
  },
  {
    id: "azure-storage-key",
    title: "Azure storage and Service Bus keys in connection strings (AccountKey=, SharedAccessKey=)",
    pattern: /(?:AccountKey|SharedAccessKey|PrimaryKey|SecondaryKey)\s*=\s*([A-Za-z0-9+/]{40,100}={0,2})/g,
    groups: [1],
  },
  {
    id: "azure-sas",
    title: "signatures of Azure shared access signature URLs (sv=…&sig=…)",
    // Parameter by parameter, never through a second sv=: a free-form run between sv= and sig=
    // is quadratic (26 s for ?sv= and 200 KB of letters), and so is restarting at every sv=.
    pattern: /[?&]sv=[^\s&"'?]+(?:[?&](?!sv=)[^\s"'?&]*)*?[?&]sig=([A-Za-z0-9%+/]{30,}(?:%3D|=){0,2})/gi,
    hint: "sv=",
    groups: [1],
  },
  {
    id: "azure-client-secret",
    title: "Microsoft Entra (Azure AD) client secrets (…Q~…)",
    pattern:
      /(?:(?<![A-Za-z0-9_~.-])|(?<=\\[nrt]))[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~-]|\.[A-Za-z0-9_~.-])/g,
  },
  {
    id: "openai",
    title: "OpenAI API keys (sk-proj-…, sk-svcacct-…, sk-admin-…, legacy sk-…T3BlbkFJ…)",
    pattern:
      /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]))sk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,}|[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}|[A-Za-z0-9]{48})(?![A-Za-z0-9_-])/g,
    hint: "sk-",
  },
  {
    id: "anthropic",
    title: "Anthropic API and admin keys (sk-ant-api03-…, sk-ant-admin01-…, sk-ant-oat01-…)",
    pattern:
      /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]))sk-ant-(?:api|admin|oat|ort|sid)\d{2}-[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g,
  },
  {
    id: "ai-provider-key",
    title: "other model providers' keys: OpenRouter, Groq, xAI, Perplexity, Hugging Face, DeepSeek",
    pattern:
      /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]))(?:sk-or-v1-[a-f0-9]{64}|gsk_[A-Za-z0-9]{48,56}|xai-[A-Za-z0-9]{60,90}|pplx-[A-Za-z0-9]{40,56}|hf_[A-Za-z]{34,40}|sk-[a-f0-9]{32})(?![A-Za-z0-9_-])/g,
    hint: ["sk-", "gsk_", "xai-", "pplx-", "hf_"],
  },
  {
    id: "github",
    title: "GitHub tokens (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)",
    pattern:
      /(?:(?<![A-Za-z0-9_])|(?<=\\[nrt]))(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/g,
    hint: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
  },
  {
    id: "gitlab",
    title:
      "GitLab tokens (glpat-, gldt-, glrt-, glptt-, gloas-, glcbt-, glimt-, glft-, glsoat-) and runner registration tokens",
    pattern:
      /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]))(?:(?:glpat|gldt|glrt|glptt|gloas|glcbt|glimt|glft|glsoat|glagent|glffct)-[A-Za-z0-9_.-]{20,}|GR1348941[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])/g,
  },
  {
    id: "slack",
    title: "Slack tokens (xoxb-, xoxp-, xoxa-, xoxe-, xapp-) and incoming-webhook URLs",
    pattern:
      /(?:(?<![A-Za-z0-9-])|(?<=\\[nrt]))(?:xox[abposre](?:\.[a-z]+)?-[0-9A-Za-z-]{10,}|xapp-\d-[A-Z0-9]+-\d+-[a-f0-9]+|https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{20,})/g,
    hint: ["xox", "xapp-", "hooks.slack.com"],
  },
  {
    id: "stripe",
    title: "Stripe secret and restricted keys (sk_live_, sk_test_, rk_live_, rk_test_) and webhook secrets (whsec_)",
    pattern:
      /(?:(?<![A-Za-z0-9_])|(?<=\\[nrt]))(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,}|whsec_[A-Za-z0-9+/]{32,})(?![A-Za-z0-9_])/g,
    hint: ["_live_", "_test_", "whsec_"],
  },
  {
    id: "npm",
    title: "npm access tokens (npm_…) and _authToken lines of .npmrc",
    pattern:
      /(?:(?<![A-Za-z0-9_])|(?<=\\[nrt]))npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])|_authToken\s*=\s*([^\s$'"{][^\s'"]{5,})/g,
    groups: [1],
    check: (m) => m[1] === undefined || !isPlaceholder(m[1]),
    hint: ["npm_", "_authToken"],
  },
  {
    id: "discord",
    title: "Discord webhook URLs (the token after the id)",
    pattern:
      /https:\/\/(?:(?:canary|ptb)\.)?discord(?:app)?\.com\/api\/(?:v\d{1,2}\/)?webhooks\/\d{17,20}\/([A-Za-z0-9_-]{60,80})/g,
    hint: "discord",
    groups: [1],
  },
  {
    id: "discord",
    title: "Discord bot tokens (the bot's id in base64, a timestamp, an HMAC)",
    pattern:
      /(?:(?<![A-Za-z0-9_.-])|(?<=\\[nrt]))[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_.-])/g,
    // A bot token starts with the bot's id (a snowflake) in base64: other dotted words do not.
    check: (m) => /^\d{17,20}$/.test(Buffer.from(m[0].split(".")[0] ?? "", "base64").toString("latin1")),
  },
  {
    id: "telegram",
    title: "Telegram bot tokens (123456789:AA…), also in api.telegram.org/bot… URLs",
    // Anchored on ":A" with the bot's id in a lookbehind: starting at every digit costs three times more.
    pattern:
      /:A[A-Za-z0-9_-]{34}(?![A-Za-z0-9_-])(?<=(?:^|[^A-Za-z0-9_:-]|\\[nrt]|\/bot)(\d{5,16}):A[A-Za-z0-9_-]{34})/g,
    hint: ":A",
    check: (m) => /[a-z]/.test(m[0]) && /[A-Z0-9]/.test(m[0].slice(2)),
    // The whole token, the bot's id before the colon too.
    spans: (m) => [[m.indices?.[1]?.[0] ?? m.index, m.index + m[0].length]],
  },
  {
    id: "url-password",
    title: "URLs and connection strings with an embedded password (scheme://user:password@host)",
    // Anchored on "://" with the scheme in a lookbehind: starting at every letter costs 10x.
    pattern:
      /(?<=(?:^|[^A-Za-z0-9+.-]|\\[nrt])[a-zA-Z][a-zA-Z0-9+.-]{1,20}):\/\/([^\s:/@?#'"<>`]{0,128}):([^\s/@'"<>`]{1,256})@(?=[^\s/@'"<>`])/g,
    hint: "://",
    groups: [2],
    check: (m) => !defaultPassword(m[1] ?? "", m[2] ?? ""),
  },
  {
    id: "connection-string",
    title: "Password= and Pwd= fields of ADO.NET/ODBC/JDBC connection strings",
    pattern: /;\s*(?:Password|Pwd)\s*=\s*([^;'"\r\n]{1,256}?)\s*(?=;|$|\\?["'\r\n]|\\[nr])/gim,
    groups: [1],
    check: (m) => !isPlaceholder(m[1] ?? ""),
  },
  {
    id: "auth-header",
    title: "Authorization, X-Api-Key and similar headers with a credential (curl -H, HTTP dumps)",
    pattern:
      /(?:(?<![A-Za-z0-9-])|(?<=\\[nrt]))(?:authorization|proxy-authorization)\\?["']?\s*[:=]\s*\\?["']?(?:bearer|basic|token|bot)\s+([A-Za-z0-9._~+/=-]{12,})|(?:(?<![A-Za-z0-9-])|(?<=\\[nrt]))(?:x-api-key|api-key|x-auth-token|private-token|ocp-apim-subscription-key|x-goog-api-key)\\?["']?\s*[:=]\s*\\?["']?([A-Za-z0-9._~+/=-]{16,})/gi,
    groups: [1, 2],
    check: (m) => !isPlaceholder(m[1] ?? m[2] ?? ""),
  },
  ...TOOL_RULES,
  {
    id: "env-assignment",
    title:
      ".env, shell and YAML lines NAME=value (also numbered as the read tool shows them, or in a diff) / NAME: value whose name says secret, token, key or password and whose value is not a placeholder",
    pattern:
      /(?:^|(?<=\\n))(?:\d{1,6}[:|][ \t]?)?[+ -]?[ \t]*(?:export[ \t]+|-[ \t]+)?\\?["']?([A-Za-z_][A-Za-z0-9_.-]{0,80})\\?["']?[ \t]*[=:][ \t]*(\\?["']?)([^\s'"#\\`]{1,512})\2[ \t]*(?:#[^\n\\]*)?(?:\r?$|(?=\\[nr]))/gm,
    groups: [3],
    check: secretValue(1, 3),
  },
  {
    id: "env-assignment",
    title: "NAME=value or NAME: value anywhere in a line (GITHUB_TOKEN=… gh api …)",
    pattern:
      /(?:(?<![A-Za-z0-9_$])|(?<=\\[nrt]))([A-Z][A-Z0-9_]{2,80})(?:=|:[ \t]+)(\\?["']?)([^\s'"\\;&|`$()]{6,512})\2/g,
    groups: [3],
    check: secretValue(1, 3),
  },
  {
    id: "env-assignment",
    title: 'quoted assignments in code and JSON: "apiKey": "…", password = \'…\'',
    // Anchored on the separator with the name in a lookbehind: starting at every word costs 10x.
    pattern:
      /(?<=(?:^|[^A-Za-z0-9_-]|\\[nrt])\\?["']?([A-Za-z_][A-Za-z0-9_-]{0,80})\\?["']?[ \t]*)(?::=|=>|[:=])[ \t]*(\\?["'])([^'"\s\\]{6,512})\2/g,
    groups: [3],
    check: secretValue(1, 3),
  },
]

/** The rules' ids with their titles, in order, one entry per id. */
export function catalog(): { id: string; titles: string[] }[] {
  const byId = new Map<string, string[]>()
  for (const r of RULES) byId.set(r.id, [...(byId.get(r.id) ?? []), r.title])
  return [...byId].map(([id, titles]) => ({ id, titles }))
}
