/**
 * Values that are clearly not a real credential: placeholders (`change-me`, `your-key-here`),
 * masks, references to other variables, type names, and local default passwords. Names that
 * say a value is a credential are names.ts.
 */
import { words } from "./names.ts"

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
