/**
 * Adversarial text shapes for the rule-complexity check and bench/secrets.ts: for each rule,
 * the inputs that make a backtracking regex work hardest. Long runs of a rule's character
 * classes, its anchors and prefixes repeated (`sv=`, `-----BEGIN`, `://`, `=`, `eyJ`), context
 * without the secret that would end it, unterminated quotes, and the encodings the decoder
 * undoes. Each shape makes a string of about `n` characters from a unit repeated.
 */

/** `head` once, then `unit` repeated to about `n` characters, then `tail`. */
const fill =
  (unit: string, head = "", tail = "") =>
  (n: number) =>
    head + unit.repeat(Math.max(1, Math.ceil((n - head.length - tail.length) / unit.length))) + tail

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
const line64 = B64.slice(0, 64)

/** A fixed pseudo-random mix of every character a rule cares about. */
function noise(n: number): string {
  const alphabet = " \n\t=:;&?/%\\\"'`-_.@#+~<>{}()[]$*,|!Aa0Zz9xX"
  let a = 0x2545f491
  let out = ""
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0
    out += alphabet[(a >>> 16) % alphabet.length]
  }
  return out
}

export const SHAPES: Record<string, (n: number) => string> = {
  letters: fill("a"),
  upper: fill("A"),
  digits: fill("7"),
  spaces: fill(" "),
  tabs: fill("\t"),
  newlines: fill("\n"),
  "escaped newlines": fill("\\n"),
  "base64 run": fill(B64),
  "base64 lines": fill(`${line64}\n`),
  "escaped base64 lines": fill(`${line64}\\n`),
  noise,
  // azure-sas: today's rule takes 26 s for 200 KB of this.
  "?sv= and letters": fill("a", "https://x.blob.core.windows.net/c?sv="),
  "&sv= repeated": fill("&sv=a", "?sv=a"),
  "&sig= repeated": fill("&sig=a", "?sv=2022-11-02"),
  "short &sig= params": fill(`&sig=${"A".repeat(20)}`, "?sv=1"),
  // private-key: BEGIN and END lines, tails, labels.
  "PRIVATE KEY then base64 lines": fill(`${line64}\n`, "PRIVATE KEY\n"),
  "PRIVATE KEY then escaped base64 lines": fill(`${line64}\\n`, "PRIVATE KEY\\n"),
  "base64 lines then END": fill(`${line64}\n`, "", "-----END PRIVATE KEY-----"),
  "BEGIN repeated": fill("-----BEGIN PRIVATE KEY-----"),
  "BEGIN then base64": fill(`${line64}\n`, "-----BEGIN RSA PRIVATE KEY-----\n"),
  "END repeated": fill("-----END PRIVATE KEY-----\n"),
  "BEGIN with a long label": fill(`-----BEGIN ${"A".repeat(28)} `),
  dashes: fill("-"),
  // URLs with credentials.
  "://": fill("://"),
  "scheme:// repeated": fill("a://"),
  "://user:pass without @": fill("a:", "postgres://u:"),
  "http://a:a repeated": fill("http://a:a"),
  "mongodb:// and colons": fill(":a", "mongodb://u"),
  "@ repeated": fill("a@"),
  "x-oauth-basic": fill("a:", "https://", "x-oauth-basic"),
  // assignments.
  "= repeated": fill("="),
  "a= repeated": fill("a="),
  "TOKEN= repeated": fill("API_TOKEN="),
  "TOKEN: and tabs": fill("\t", "API_TOKEN:"),
  "name: spaces": fill(" ", "password:"),
  "password= spaces then =": fill(" =", "password"),
  "quoted name repeated": fill('"apiKey":'),
  "name then spaces": fill(" ", '"apiKey"'),
  "unterminated quote": fill("a", 'password = "'),
  "escaped quotes": fill('\\"'),
  "double quotes": fill('"'),
  "single quotes": fill("'"),
  "export repeated": fill("export "),
  "numbered lines": fill("1: "),
  "diff lines": fill("\n+ - "),
  // connection strings.
  "; repeated": fill(";"),
  "; Password= then spaces": fill(" ", "Server=x; Password="),
  "Password= repeated": fill(";Password=a"),
  "conninfo pairs": fill(" user=a", "host=db"),
  "host= repeated": fill("host=a "),
  "host= then password= repeated": fill(" password=", "host=a"),
  "host= then password= and quotes": fill(" password='a", "host=db user=app"),
  // headers and tokens.
  "Authorization: bearer letters": fill("a", "Authorization: Bearer "),
  "Authorization repeated": fill("Authorization: "),
  "Cookie pairs": fill("a=b; ", "Cookie: "),
  "Cookie repeated": fill("Cookie: "),
  "Set-Cookie repeated": fill("Set-Cookie: a="),
  "eyJ repeated": fill("eyJ"),
  "eyJ segments": fill("eyJaaaaaaaa."),
  "eyJ then letters": fill("a", "eyJ"),
  "sk- repeated": fill(" sk-"),
  "sk- then letters": fill("a", "sk-"),
  "T3BlbkFJ repeated": fill("T3BlbkFJ", "sk-"),
  "sk-ant- repeated": fill(" sk-ant-api03-"),
  "xoxb- segments": fill("a-", "xoxb-"),
  "xoxb- long segments": fill(`${"a".repeat(41)}-`, "xoxb-"),
  "ghp_ repeated": fill(" ghp_"),
  "glpat- and dots": fill("a.", "glpat-"),
  "AKIA repeated": fill(" AKIA"),
  "AIza repeated": fill(" AIza"),
  "SG. segments": fill("a_", "SG.a."),
  "SG. repeated": fill("SG.a."),
  "Q~ repeated": fill("aaa1Q~"),
  "ya29. then letters": fill("a", "ya29."),
  "hooks.slack.com repeated": fill("https://hooks.slack.com/services/T"),
  "discord webhooks repeated": fill("https://discord.com/api/webhooks/"),
  "telegram ids": fill("123456789:A"),
  "telegram tokens": fill(`123456789:A${"bC4".repeat(11)}d `),
  "token: lines": fill("\n  token: "),
  "indented tokens": fill(`\n    token: ${"Zq4Xw8Pl2Mn7".repeat(3)}`),
  "curl -b repeated": fill(" -b a=b;", "curl"),
  "_authToken= repeated": fill("_authToken="),
  "aws secret name and spaces": fill(" ", "aws_secret_access_key ="),
  "private_key_id repeated": fill('"private_key_id": "'),
  "AccountKey= repeated": fill("AccountKey="),
  // command lines.
  "machine login repeated": fill(" login a", "machine h"),
  "machine repeated": fill("machine "),
  "mysql options": fill(" -x", "mysql"),
  "mysql -p repeated": fill(" -p", "mysql"),
  "curl options": fill(" -H a", "curl"),
  "curl -u repeated": fill(" -u a", "curl"),
  "docker auth repeated": fill('"auth": "'),
  "client-key-data repeated": fill("client-key-data: "),
  "?password= repeated": fill("?password="),
  "&token= params": fill("&token=a", "https://x/?a=1"),
  // many findings: what is done per finding (positions, merging, widening, redaction) must stay linear.
  "many tokens in one word": fill(`npm_${"A1b2C3d4E5".repeat(3)}F6g7H8-`),
  "many secret lines": fill("API_TOKEN=Zq4Xw8Pl2Mn7\n"),
  "many quoted secrets": fill('"apiKey": "Zq4Xw8Pl2Mn7", '),
  // encodings the decoder undoes.
  "% repeated": fill("%"),
  "%6 repeated": fill("%6"),
  "%67 repeated": fill("%67"),
  "utf-8 percent sequences": fill("%E2%80%8B"),
  "\\u repeated": fill("\\u"),
  "\\u0067 repeated": fill("\\u0067"),
  "\\_ repeated": fill("\\_"),
  backslashes: fill("\\"),
  "zero-width between letters": fill("a\u200b"),
  "zero-width run": fill("\u200b\u2060\ufeff"),
}
