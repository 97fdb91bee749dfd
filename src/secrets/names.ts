/**
 * What a name looks like when its value is a credential: `DB_PASSWORD=…`, `"apiKey": "…"`, a
 * YAML `password:` line (and placeholders.ts, what a value looks like when it is not one).
 * Shared by the text rules and the JSON walk.
 */

/** Words that make a name secret on their own. */
const SECRET_WORDS = new Set([
  "secret",
  "secrets",
  "token",
  "password",
  "passwd",
  "pwd",
  "passphrase",
  "credential",
  "credentials",
  "apikey",
  "pat",
])
/** `…_KEY` is secret when the word before says what kind of key it is. */
const KEY_KINDS = new Set([
  "api",
  "access",
  "secret",
  "private",
  "master",
  "signing",
  "encryption",
  "auth",
  "client",
  "account",
  "license",
  "service",
  "subscription",
  "admin",
  "app",
  "deploy",
  "storage",
  "shared",
  "jwt",
  "hmac",
  "webhook",
  "session",
  "write",
  "read",
])
/** Words that, anywhere in a name, say it is about a secret rather than one (`showPassword`, `MAX_TOKENS`). */
const ABOUT_WORDS = new Set([
  "public",
  "publishable",
  "pub",
  "max",
  "min",
  "show",
  "visible",
  "toggle",
  "is",
  "has",
  "forgot",
  "reset",
  "confirm",
  "placeholder",
  "hint",
  "label",
  "regex",
  "pattern",
  "schema",
  "validator",
  "validation",
  "error",
  "message",
  "input",
  "field",
  "get",
  "set",
  "use",
  "on",
  "handle",
  "generate",
  "verify",
  "check",
  "tokens",
  "type",
  "length",
  "len",
  "count",
  "expires",
  "expiry",
  "ttl",
  "usage",
  "budget",
  "limit",
  "estimate",
  "estimated",
  "prompt",
  "completion",
  "reasoning",
  "cached",
])
/** Last words that name something next to a secret (`TOKEN_URL`, `passwordHash`, `SECRET_NAME`). */
const NEXT_TO_WORDS = new Set([
  "id",
  "ids",
  "file",
  "path",
  "url",
  "uri",
  "endpoint",
  "name",
  "names",
  "size",
  "expiration",
  "expire",
  "lifetime",
  "duration",
  "interval",
  "seconds",
  "header",
  "prefix",
  "dir",
  "version",
  "algorithm",
  "alg",
  "timeout",
  "env",
  "format",
  "mode",
  "hash",
  "hashed",
  "cache",
  "index",
  "map",
  "fingerprint",
  "kind",
  "provider",
  "enabled",
  "enable",
  "required",
  "method",
  "strategy",
  "domain",
  "issuer",
  "audience",
  "scope",
  "scopes",
  "callback",
  "redirect",
  "host",
  "port",
  "user",
  "username",
  "email",
  "region",
  "bucket",
  "policy",
  "rotation",
  "strength",
  "rule",
  "rules",
  "encoding",
  "location",
  "store",
  "manager",
  "service",
  "class",
  "component",
  "props",
  "state",
  "status",
  "response",
  "request",
  "param",
  "params",
  "option",
  "options",
  "holder",
  "source",
  "ref",
  "arn",
  "command",
  "cmd",
  "helper",
  "len",
])

/** `OPENAI_API_KEY` → openai, api, key; `clientSecret` → client, secret. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
}

/** Names repeat across a session (the same keys, the same variables): remembered, bounded. */
const memo = new Map<string, boolean>()

/** True when a variable, field or header name says its value is a credential. */
export function isSecretName(name: string): boolean {
  let known = memo.get(name)
  if (known === undefined) {
    known = secretName(name)
    if (memo.size >= 10_000) memo.clear()
    memo.set(name, known)
  }
  return known
}

function secretName(name: string): boolean {
  const w = words(name)
  if (w.length === 0 || w.length > 8) return false
  if (w.some((x) => ABOUT_WORDS.has(x))) return false
  const last = w.at(-1) ?? ""
  if (SECRET_WORDS.has(last)) return true
  if (last === "key" || last === "keys") {
    const before = w.at(-2)
    if (before && KEY_KINDS.has(before)) return true
    // OPENAI_KEY, STRIPE_KEY: a vendor's key, spelled the way environment variables are.
    return w.length >= 2 && /^[A-Z0-9_]+$/.test(name)
  }
  return w.some((x) => SECRET_WORDS.has(x)) && !NEXT_TO_WORDS.has(last) && last !== "key"
}
