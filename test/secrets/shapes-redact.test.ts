/**
 * Secret shapes that passed redaction before issue 12, each as a session holds it. Every
 * secret is built at run time from pieces, so that this file holds no secret-shaped string.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Decode from "../../src/secrets/decode.ts"
import * as Secrets from "../../src/secrets/index.ts"

const GITHUB = ["ghp", "_", "Rk9Wc4Zy7N", "b1Hd5Jf6Gs", "3Ka8Lq2Wm9", "Ep4Rt7"].join("")
const PASS = ["Orchid", "481", "#", "tundra"].join("")
const b64 = (s: string) => Buffer.from(s).toString("base64")

/** The text after redaction, and whether any 8-character run of `secret` is still in it. */
async function redacted(text: string, secret: string): Promise<{ text: string; leaked: boolean }> {
  const out = (await Secrets.redactText(text)).text
  for (let i = 0; i + 8 <= secret.length; i++)
    if (out.includes(secret.slice(i, i + 8))) return { text: out, leaked: true }
  return { text: out, leaked: secret.length < 8 && out.includes(secret) }
}

async function assertRedacted(text: string, secret: string, keep?: string) {
  const r = await redacted(text, secret)
  assert.ok(!r.leaked, `secret survives in: ${r.text}`)
  assert.match(r.text, /\[redacted:/)
  if (keep !== undefined) assert.ok(r.text.includes(keep), `"${keep}" should stay readable in: ${r.text}`)
}

async function assertClean(text: string) {
  const found = await Secrets.scanText(text)
  assert.deepEqual(
    found.map((f) => `${f.rule} at ${f.line}:${f.column}`),
    [],
    text,
  )
}

describe("shapes the rules rewritten for linear time still find", () => {
  it("redacts the sig of an Azure SAS URL whatever the order of its parameters", async () => {
    const sig = encodeURIComponent(["Zq4Xw8Pl2Mn7", "Rk9Wc4Zy7Nb1", "Hd5Jf6Gs3Ka8Lq2Wm9Ep4", "="].join(""))
    for (const query of [
      `?sv=2022-11-02&ss=b&sp=rl&sig=${sig}`,
      `?sp=r&sv=2022-11-02&se=2026-12-01&sig=${sig}&spr=https`,
      `?sv=2021&sv=2022-11-02&sig=${sig}`,
      `?sv=2022-11-02?sig=${sig}`,
    ]) {
      await assertRedacted(`curl "https://acct.blob.core.windows.net/c/b.bak${query}"`, sig, "sv=")
    }
  })

  it("redacts the lines of a private key whose BEGIN line was cut off, also with escaped line breaks", async () => {
    const lines = Array.from({ length: 6 }, (_, i) =>
      `${"Mk".repeat(20)}${"Zq4Xw8Pl2Mn7Rk9Wc4Zy7Nb1".slice(i)}${i}`.slice(0, 64),
    )
    for (const nl of ["\n", "\\n"]) {
      const text = `...${nl}${lines.join(nl)}${nl}-----END RSA PRIVATE KEY-----${nl}`
      const r = await redacted(text, lines.join(""))
      for (const l of lines) assert.ok(!r.text.includes(l), `line survives: ${r.text}`)
    }
  })
})

describe("placeholders are whole values, not words inside real ones", () => {
  it("redacts real passwords that contain a placeholder word", async () => {
    await assertRedacted(
      `DB_PASSWORD=${["Super", "Secret", "2024!"].join("")}`,
      ["Super", "Secret", "2024!"].join(""),
      "DB_PASSWORD=",
    )
    await assertRedacted(
      `REDIS_PASSWORD=${["hammock", "-Lantern-", "42"].join("")}`,
      ["hammock", "-Lantern-", "42"].join(""),
      "REDIS_PASSWORD=",
    )
    await assertRedacted(
      `export API_TOKEN="${["sample", "Rk9Wc4Zy7Nb1"].join("")}"`,
      ["sample", "Rk9Wc4Zy7Nb1"].join(""),
    )
    await assertRedacted(
      `{"password": "${["Fake", "Falcon", "913", "^"].join("")}"}`,
      ["Fake", "Falcon", "913", "^"].join(""),
    )
  })

  it("still leaves whole placeholder values alone", async () => {
    await assertClean(
      [
        "DB_PASSWORD=changeme",
        "API_KEY=your-api-key",
        "password: <password>",
        "TOKEN=xxxxxxxxxxxx",
        "SECRET=example",
        "DB_PASSWORD=${DB_PASSWORD}",
        "api_key: your_api_key_here",
        "client_secret: REPLACE_ME_WITH_REAL_VALUE",
        "JWT_SECRET=change-me",
        'password: "my-secret-password"',
        "STRIPE_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx",
        'token: "***"',
        "PASSWORD=redacted",
        'password = "wrong-password"',
      ].join("\n"),
    )
  })
})

describe("credential shapes of tools and configs", () => {
  it("redacts a .netrc password, on one line or several", async () => {
    await assertRedacted(`machine api.example.net login deploy password ${PASS}`, PASS, "login deploy")
    await assertRedacted(`machine git.internal\n  login ci\n  password ${PASS}\n`, PASS, "login ci")
    await assertRedacted(`default login anonymous password ${PASS}`, PASS)
  })

  it("redacts password= of a libpq conninfo string", async () => {
    await assertRedacted(
      `psql "host=db.internal port=5432 user=app password=${PASS} dbname=app sslmode=require"`,
      PASS,
      "dbname=app",
    )
    await assertRedacted(`dsn = "host=db user=app password='${PASS}'"`, PASS)
  })

  it("redacts mysql -p and --password=", async () => {
    await assertRedacted(`mysql -h db.internal -u root -p${PASS} shop`, PASS, "-u root")
    await assertRedacted(`mysqldump --user=root --password=${PASS} shop > dump.sql`, PASS)
    await assertRedacted(`mysql -uroot -p'${PASS}' -e 'select 1'`, PASS)
  })

  it("redacts curl -u user:password", async () => {
    await assertRedacted(`curl -u deploy:${PASS} https://api.example.net/v1/me`, PASS, "deploy:")
    await assertRedacted(`curl -s --user "ci:${PASS}" -X POST https://ci.example.net/job`, PASS)
  })

  it("redacts Cookie and Set-Cookie values and keeps the cookie names", async () => {
    const sid = ["s%3A", "Rk9Wc4Zy7Nb1Hd5Jf6Gs3Ka8", ".", "Lq2Wm9Ep4Rt7"].join("")
    await assertRedacted(`> Cookie: theme=dark; connect.sid=${sid}; lang=en`, sid, "connect.sid=")
    await assertRedacted(`< Set-Cookie: session=${sid}; Path=/; HttpOnly; Secure`, sid, "Path=/")
    await assertRedacted(`curl -b "session=${sid}" https://app.example.net/`, sid)
  })

  it("redacts password=, token=, api_key= and the like in a URL's query", async () => {
    for (const name of ["password", "passwd", "pwd", "token", "api_key", "access_token"]) {
      await assertRedacted(
        `GET https://api.example.net/v1/export?user=ci&${name}=${PASS.replace("#", "x")}&format=csv`,
        PASS.replace("#", "x"),
        "format=csv",
      )
    }
  })

  it("redacts Discord webhook tokens and Telegram bot tokens", async () => {
    const hook = ["Rk9Wc4Zy7Nb1Hd5Jf6Gs3Ka8Lq2Wm9Ep4Rt7Yu1Io0Pz5Xc6Vb3Nm8", "Qa2Ws3Ed4Rf5Tg"].join("")
    await assertRedacted(`curl -X POST https://discord.com/api/webhooks/1234567890123456789/${hook}`, hook)
    const bot = ["7123456789", ":", "AAH", "Rk9Wc4Zy7Nb1Hd5Jf6Gs3Ka8Lq2Wm9Ep"].join("")
    await assertRedacted(`TELEGRAM=${bot}`, bot)
    await assertRedacted(`https://api.telegram.org/bot${bot}/sendMessage`, bot)
  })

  it("redacts the auth of a docker config.json", async () => {
    const auth = b64(`deploy:${PASS}`)
    await assertRedacted(
      `{\n  "auths": {\n    "registry.example.net": {\n      "auth": "${auth}"\n    }\n  }\n}`,
      auth,
      "registry.example.net",
    )
  })

  it("redacts client-key-data and a user's token in a kubeconfig, not client-certificate-data", async () => {
    const key = b64(`-----BEGIN EC ${"PRIVATE"} KEY-----\n${"Rk9Wc4Zy7Nb1Hd5Jf6Gs3Ka8".repeat(3)}\n`)
    const cert = b64(`-----BEGIN CERTIFICATE-----\n${"Lq2Wm9Ep4Rt7Yu1Io0Pz5Xc6".repeat(3)}\n`)
    const token = ["Zq4Xw8Pl2Mn7", "Rk9Wc4Zy7Nb1", "Hd5Jf6Gs3Ka8"].join("")
    const config = `users:\n- name: admin\n  user:\n    client-certificate-data: ${cert}\n    client-key-data: ${key}\n- name: ci\n  user:\n    token: ${token}\n`
    // Both hold the base64 of "-----BEGIN " and of "-----" and a line break: the key's body must go.
    await assertRedacted(config, key.slice(40, -8), `client-certificate-data: ${cert}`)
    await assertRedacted(config, token)
  })
})

describe("encoded forms of a token that is caught in plain form", () => {
  const forms: [string, string][] = [
    ["JSON \\u escapes", `\\u0067${GITHUB.slice(1)}`],
    ["all \\u escapes", [...GITHUB].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")],
    ["URL encoding", `%67${GITHUB.slice(1)}`],
    ["an encoded underscore", GITHUB.replace("_", "%5F")],
    ["a markdown escape", GITHUB.replace("_", "\\_")],
    ["a zero-width space", `${GITHUB.slice(0, 10)}\u200b${GITHUB.slice(10)}`],
    ["zero-width joiners", `${GITHUB.slice(0, 5)}\u200c${GITHUB.slice(5, 20)}\u200d${GITHUB.slice(20)}`],
    ["a word joiner and a BOM", `${GITHUB.slice(0, 7)}\u2060${GITHUB.slice(7, 30)}\ufeff${GITHUB.slice(30)}`],
  ]
  for (const [how, written] of forms) {
    it(`redacts a token written with ${how}, the original text replaced`, async () => {
      const text = `the token is ${written} (rotate it)`
      const out = (await Secrets.redactText(text)).text
      assert.equal(out, "the token is [redacted:github] (rotate it)")
    })
  }

  it("decodes only the parts of a long string around its escapes, and still finds the token there", async () => {
    const filler = "lorem ipsum dolor sit amet ".repeat(20_000)
    const text = `${filler}token ${GITHUB.replace("_", "\\_")} here\n${filler}`
    const parts = Decode.windows(text)
    assert.equal(parts.length, 1)
    assert.ok(parts[0]!.text.length < 5000, `${parts[0]!.text.length} characters decoded`)
    const out = (await Secrets.redactText(text)).text
    assert.ok(out.includes("token [redacted:github] here"))
    assert.equal(out.length, text.length - GITHUB.length - 1 + "[redacted:github]".length)
  })

  it("maps each finding back to the original string's line and column", async () => {
    const found = await Secrets.scanText(`line one\n  x = "%67${GITHUB.slice(1)}"`)
    assert.deepEqual(
      found.map((f) => [f.rule, f.line, f.column]),
      [["github", 2, 8]],
    )
  })
})

describe("look-alikes that are not secrets", () => {
  it("leaves references, ports, prompts and names without values alone", async () => {
    await assertClean(
      [
        "password: ${{ secrets.DB }}",
        "docker run -p 8080:80 nginx",
        "mysql -u root -p",
        "mysql -h db -P 3306 -u app -p shop",
        'curl -u "$USER:$TOKEN" https://api.example.net',
        "curl -u ${API_USER}:${API_PASS} https://api.example.net",
        "git push -u origin main",
        "Cookie: theme; lang",
        'document.cookie = "theme=dark"',
        "Set-Cookie: session=deleted; Path=/; Max-Age=0",
        "client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=",
        "machine learning login page password reset",
        "host=localhost user=postgres password=postgres dbname=test",
        "https://example.net/reset?token=${TOKEN}&user=1",
        "const url = `${base}?api_key=${apiKey}`",
        '"auth": ""',
      ].join("\n"),
    )
  })
})
