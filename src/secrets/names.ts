/**
 * What a name and a value look like when they hold a credential: `DB_PASSWORD=…`,
 * `"apiKey": "…"`, a YAML `password:` line. Shared by the text rules and the JSON walk.
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

/**
 * Placeholders are whole values: a value made only of these words (`change-me`,
 * `REPLACE_ME_WITH_REAL_VALUE`, `my-secret-password`) is not a secret, while a real one that
 * merely contains one (`SuperSecret2024!`, `hammock-Lantern-42`) is. Digits are never
 * placeholder words: `password123` is a (weak) real password.
 */
const PLACEHOLDER_WORDS = new Set([
  "example",
  "examples",
  "sample",
  "samples",
  "placeholder",
  "dummy",
  "fake",
  "mock",
  "test",
  "testing",
  "demo",
  "todo",
  "tbd",
  "fixme",
  "none",
  "null",
  "nil",
  "empty",
  "default",
  "redacted",
  "hidden",
  "masked",
  "deleted",
  "secret",
  "secrets",
  "password",
  "passwd",
  "pass",
  "pwd",
  "passphrase",
  "token",
  "tokens",
  "key",
  "keys",
  "api",
  "apikey",
  "access",
  "auth",
  "client",
  "private",
  "credential",
  "credentials",
  "session",
  "cookie",
  "bearer",
  "jwt",
  "my",
  "your",
  "yours",
  "the",
  "a",
  "an",
  "some",
  "this",
  "that",
  "here",
  "there",
  "value",
  "values",
  "real",
  "actual",
  "valid",
  "invalid",
  "wrong",
  "bad",
  "good",
  "correct",
  "incorrect",
  "new",
  "old",
  "current",
  "change",
  "changeme",
  "me",
  "replace",
  "replaceme",
  "with",
  "insert",
  "enter",
  "put",
  "goes",
  "generate",
  "generated",
  "random",
  "string",
  "foo",
  "bar",
  "baz",
  "qux",
  "abc",
  "user",
  "username",
  "admin",
  "root",
  "db",
  "database",
  "app",
  "service",
  "account",
  "id",
  "for",
  "of",
  "to",
  "and",
  "or",
  "own",
  "something",
  "anything",
  "whatever",
  "xxx",
  "xx",
  "x",
])
/** Words that make a whole value a placeholder wherever they stand in it (`sk-your-key-here`). */
const PLACEHOLDER_MARKS = new Set(["your", "yours", "changeme", "replaceme", "placeholder", "redacted", "fixme"])
/** Masks and elisions: `xxxx`, `****`, `...`, `…`, and agentshare's own `[redacted:<rule>]`. */
const MASKED = /x{4,}|\*{3,}|\.\.\.|…|\[redacted:/i

/** True when every word of `v` is a placeholder word, or one of them marks a placeholder. */
function placeholderWords(v: string): boolean {
  if (MASKED.test(v)) return true
  const w = words(v)
  return w.some((x) => PLACEHOLDER_MARKS.has(x)) || (w.length > 0 && w.every((x) => PLACEHOLDER_WORDS.has(x)))
}

const KEYWORDS = new Set([
  "string",
  "number",
  "boolean",
  "null",
  "none",
  "nil",
  "undefined",
  "true",
  "false",
  "required",
  "optional",
  "str",
  "bytes",
  "int",
  "bool",
  "object",
  "any",
  "unknown",
  "empty",
  "default",
  "disabled",
  "enabled",
])

/**
 * A reference to a value kept elsewhere: `${VAR}`, `$VAR`, `$(cmd)`, `%VAR%`, `%(name)s`,
 * `<your-password>`, `{{ .Values.x }}`, `#{x}`, `@Value`, a YAML anchor or alias. Only these
 * shapes: a real password may well start with `%`, `<` or `*`.
 */
const REFERENCE =
  /^(?:\$[{(A-Za-z_]|%[A-Za-z_]\w*%|%\([A-Za-z_]\w*\)[sdr]|<[^<>]*>|\{\{|#\{|@[A-Za-z_]|[&*][A-Za-z_][\w-]*$)/

/** True when a value is clearly not a real credential: too short, a reference, a type, a placeholder. */
export function isPlaceholder(raw: string): boolean {
  const v = raw.trim().replace(/^["'`]|["'`,;]+$/g, "")
  if (v.length < 6) return true
  if (REFERENCE.test(v)) return true
  if (
    /^(process\.env|os\.environ|os\.getenv|env\(|ENV\[|import\.meta|config\.|settings\.|self\.|this\.|ctx\.|req\.|args\.|opts\.|options\.)/i.test(
      v,
    )
  )
    return true
  if (KEYWORDS.has(v.toLowerCase())) return true
  if (/^(.)\1+$/.test(v)) return true
  if (placeholderWords(v)) return true
  // A dotted identifier or a call is code that reads the secret from somewhere else.
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?:\(\))?$/.test(v) || /^[A-Za-z_$][\w$.]*\(.*\)$/.test(v)) return true
  if (/^https?:\/\/[^@\s]*$/.test(v)) return true
  if (/^(?:~|\.{1,2})?\/[\w.-]+(?:\/[\w.-]+)*\/?$/.test(v) && /[a-z]{3}/i.test(v) && !/[+=]/.test(v)) return true
  if (/^\d{1,7}$/.test(v)) return true
  // A type annotation (`privateKey: KeyObject;`, `password: BinaryLike,`), not a value.
  if (/^(?:[A-Z][a-z]{2,}){1,5}$/.test(v) || /^[A-Z]\w*<[\w<>, |[\]]*>$/.test(v)) return true
  return false
}

/** `postgres:postgres@localhost`, `user:password@`: a local default or a placeholder, not a secret. */
export function defaultPassword(user: string, password: string): boolean {
  return (
    password === user || isPlaceholder(password) || /^(?:pass|postgres|root|admin|guest|user|test)$/i.test(password)
  )
}
