/**
 * Credentials as tools and their config files hold them: `.netrc`, libpq conninfo strings,
 * mysql and curl command lines, cookies, URL query strings, docker's config.json and
 * kubeconfig. Part of agentshare's rules (rules.ts).
 *
 * Each pattern starts at a fixed anchor (`machine`, `mysql`, `curl`, ` password=`, `cookie`, …)
 * and reads a bounded number of bounded parts after it (or one run that ends the match), so no
 * start can read on through the rest of a long text: the rule-complexity check
 * (test/secrets/complexity.test.ts) holds them to linear time.
 */
import { defaultPassword, isPlaceholder } from "./placeholders.ts"
import type { Rule } from "./rule.ts"

/** The first of these groups that took part in the match. */
const first = (m: RegExpExecArray, groups: number[]) => groups.map((g) => m[g]).find((v) => v !== undefined)

/** Between the words of a .netrc entry: blanks, line breaks (also escaped), read-tool line numbers, diff pluses. */
const NETRC_GAP = String.raw`(?:[ \t\r\n+]|\\n|\d{1,6}[:|])+`
/** The keywords of a libpq conninfo string that come before a password. */
const CONNINFO_KEYS =
  "host|hostaddr|port|dbname|user|sslmode|connect_timeout|application_name|service|options|target_session_attrs"
/** One argument of a command line, or a `\` line continuation. */
const ARG = String.raw`(?:[ \t]+[^\s;|]{1,2048}|[ \t]*\\\r?\n)`
/** A command-line value: single-quoted, double-quoted, or bare. */
const VALUE = String.raw`(?:\\?'([^'\n\\]{1,256})\\?'|\\?"([^"\n\\]{1,256})\\?"|([^\s'"\\;|&\`]{1,256}))`

/**
 * The values of the cookie pairs in the first of `groups` that took part, or of the first pair
 * only when `cookieOnly` says so (a Set-Cookie's cookie, not its attributes).
 */
const cookieValues =
  (groups: number[], cookieOnly: (m: RegExpExecArray) => boolean) =>
  (m: RegExpExecArray): [number, number][] => {
    const g = groups.find((i) => m.indices?.[i])
    const at = g === undefined ? undefined : m.indices?.[g]
    if (g === undefined || !at) return []
    const out: [number, number][] = []
    let offset = at[0]
    for (const pair of (m[g] ?? "").split(";")) {
      const eq = pair.indexOf("=")
      const raw = eq > 0 ? pair.slice(eq + 1) : ""
      const value = raw.trim()
      const start = offset + eq + 1 + (raw.length - raw.trimStart().length)
      if (value && !isPlaceholder(value)) out.push([start, start + value.length])
      if (cookieOnly(m)) break
      offset += pair.length + 1
    }
    return out
  }

/** `"auth"` of a docker config.json: base64 of `user:password`. */
function registryAuth(m: RegExpExecArray): boolean {
  if (m[2] !== undefined) return !isPlaceholder(m[2])
  const decoded = Buffer.from(m[1] ?? "", "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  return (
    /^[\x20-\x7e]+$/.test(decoded) && colon >= 0 && !defaultPassword(decoded.slice(0, colon), decoded.slice(colon + 1))
  )
}

export const TOOL_RULES: Rule[] = [
  {
    id: "netrc",
    title: ".netrc passwords: machine host login user password secret (one line or several)",
    pattern: new RegExp(
      String.raw`(?<![A-Za-z0-9_-])(?:machine[ \t]+[^\s\\]{1,256}|default)${NETRC_GAP}(?:login|account)[ \t]+[^\s\\]{1,256}(?:${NETRC_GAP}(?:login|account|port|protocol)[ \t]+[^\s\\]{1,256}){0,3}${NETRC_GAP}password[ \t]+([^\s\\]{1,256})`,
      "g",
    ),
    hint: "password",
    groups: [1],
    check: (m) => !isPlaceholder(m[1] ?? ""),
  },
  {
    id: "conninfo",
    title: "password= of libpq conninfo strings (host=… user=… password=…)",
    // Anchored on " password=", with a conninfo keyword earlier on its line in a bounded
    // lookbehind: starting at every `user` or `port` in a text costs five times more.
    pattern: new RegExp(
      String.raw`[ \t]password[ \t]*=(?<=(?:^|[^A-Za-z0-9_.-])(?:${CONNINFO_KEYS})[ \t]*=[^\n]{0,300}[ \t]password[ \t]*=)[ \t]*(?:'((?:[^'\\\n]|\\.){1,256})'|([^\s'"\\]{1,256}))`,
      "g",
    ),
    hint: /password[ \t]*=/,
    groups: [1, 2],
    check: (m) => !defaultPassword("", first(m, [1, 2]) ?? ""),
  },
  {
    id: "mysql",
    title: "passwords on mysql and mariadb command lines (-pSecret, --password=…)",
    pattern: new RegExp(
      String.raw`(?<![A-Za-z0-9_.-])(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlsh|mysqlpump|mariadb|mariadb-dump|mariadb-admin)${ARG}{0,32}?[ \t]+(?:-p|--password=)${VALUE}`,
      "g",
    ),
    hint: /mysql|mariadb/,
    groups: [1, 2, 3],
    check: (m) => !isPlaceholder(first(m, [1, 2, 3]) ?? ""),
  },
  {
    id: "curl",
    title: "passwords on curl and wget command lines (-u user:password, --user, --password=)",
    pattern: new RegExp(
      String.raw`(?<![A-Za-z0-9_.-])(?:curl|wget)${ARG}{0,32}?[ \t]+(?:(?:-u|-U|--user|--proxy-user|--http-user|--ftp-user)(?:[ \t]+|=)(?:\\?'([^'\n:\\]{0,256}):([^'\n\\]{1,256})\\?'|\\?"([^"\n:\\]{0,256}):([^"\n\\]{1,256})\\?"|([^\s'"\\:;|&]{0,256}):([^\s'"\\;|&]{1,256}))|--(?:http-|ftp-|proxy-)?password(?:[ \t]+|=)${VALUE})`,
      "g",
    ),
    hint: /curl|wget/,
    groups: [2, 4, 6, 7, 8, 9],
    check: (m) => !defaultPassword(first(m, [1, 3, 5]) ?? "", first(m, [2, 4, 6, 7, 8, 9]) ?? ""),
  },
  {
    id: "cookie",
    title: "cookie values of Cookie and Set-Cookie headers (the names stay readable)",
    // The word boundary is a lookbehind after the literal, so the search can skip to "cookie".
    pattern:
      /(set-)?cookie(?<=(?:^|[^A-Za-z0-9_-]|\\[nrt])(?:set-)?cookie)\\?["']?[ \t]*:[ \t]*\\?["']?([^\r\n"'\\]{1,4096})/gi,
    hint: /cookie/i,
    spans: cookieValues([2], (m) => m[1] !== undefined),
  },
  {
    id: "cookie",
    title: "cookie values given to curl -b / --cookie",
    pattern:
      /(?<![A-Za-z0-9_-])(?:-b|--cookie)(?:[ \t]+|=)(?:\\?'([^'\n\\]{1,4096})\\?'|\\?"([^"\n\\]{1,4096})\\?"|([^\s'"\\;|&]{1,4096}))/g,
    hint: /-b|--cookie/,
    spans: cookieValues([1, 2, 3], () => false),
  },
  {
    id: "url-query",
    title: "credentials in URL query strings (?password=, passwd=, pwd=, token=, api_key=, access_token=, …)",
    pattern:
      /[?&](?:password|passwd|pwd|pass|token|access_token|refresh_token|id_token|auth_token|api_key|apikey|api-key|client_secret|secret|private_token|session_token)=([^&\s#'"<>\\`]{1,1024})/gi,
    groups: [1],
    check: (m) => !isPlaceholder(m[1] ?? ""),
  },
  {
    id: "docker-auth",
    title: 'registry credentials in docker\'s config.json ("auth": base64 of user:password, identitytoken)',
    pattern:
      /\\?["']auth\\?["'][ \t]*:[ \t]*\\?["']([A-Za-z0-9+/]{8,}={0,2})\\?["']|\\?["'](?:identitytoken|registrytoken)\\?["'][ \t]*:[ \t]*\\?["']([^"'\\\s]{16,})\\?["']/gi,
    hint: /auth\\?["']|identitytoken|registrytoken/i,
    groups: [1, 2],
    check: registryAuth,
  },
  {
    id: "kubeconfig",
    title: "client-key-data of a kubeconfig (a base64 private key; client-certificate-data is public)",
    pattern: /(?<![A-Za-z0-9_-])\\?["']?client-key-data\\?["']?[ \t]*:[ \t]*\\?["']?([A-Za-z0-9+/]{40,}={0,2})/g,
    hint: "client-key-data",
    groups: [1],
    filler: false,
  },
  {
    id: "kubeconfig",
    title: "a kubeconfig user's token, id-token or refresh-token (also longer than env-assignment reads)",
    pattern:
      /token(?<=(?:^|\n|\\n)(?:\d{1,6}[:|])?[+ -]?[ \t]+(?:id-|refresh-)?token)[ \t]*:[ \t]*\\?["']?([A-Za-z0-9._~+/=-]{20,})/g,
    hint: /token[ \t]*:/,
    groups: [1],
    check: (m) => !isPlaceholder(m[1] ?? ""),
  },
]
