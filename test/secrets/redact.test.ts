import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Secrets from "../../src/secrets/index.ts"
import { realShare } from "../support/fixtures.ts"
import { cases, leaked, strings } from "./corpus.ts"

// Built at run time from pieces so that this file itself holds no secret-shaped string.
const OPENAI = ["sk-proj-", "Zq4".repeat(25), "T3BlbkFJ", "mW8".repeat(25)].join("")
const GITHUB = ["ghp", "_", "a1B2c3D4e5".repeat(3), "0xYz9Q"].join("")

const part = (state: unknown) => ({
  type: "part",
  data: { id: "prt_1", sessionID: "ses_1", messageID: "msg_1", type: "tool", tool: "bash", state },
})

describe("Secrets.scan and Secrets.redact", () => {
  it("finds where a secret is by key, field path, line and column, and never returns it", async () => {
    const items = [
      part({
        status: "completed",
        input: { command: "cat .env" },
        output: `NODE_ENV=production\nexport OPENAI_API_KEY=${OPENAI}\n`,
      }),
    ]
    const findings = await Secrets.scan(items)
    assert.equal(findings.length, 1)
    const f = findings[0]!
    assert.equal(f.key, "part/ses_1/msg_1/prt_1")
    assert.equal(f.path, "state.output")
    assert.equal(f.line, 2)
    assert.equal(f.column, "export OPENAI_API_KEY=".length + 1)
    assert.equal(f.rule, "openai")
    assert.equal(f.preview, `sk-p…(${OPENAI.length} chars)`)
    assert.ok(!leaked(OPENAI, JSON.stringify(findings)))
  })

  it("replaces each secret with [redacted:<rule>], leaves the rest and the input untouched", async () => {
    const items = [
      part({
        status: "completed",
        input: { command: `git push https://x-access-token:${GITHUB}@github.com/acme/api.git` },
        output: "Everything up-to-date\n",
      }),
    ]
    const before = JSON.stringify(items)
    const r = await Secrets.redact(items)
    assert.equal(JSON.stringify(items), before, "the input is not modified")
    const state = (r.items[0]!.data as { state: { input: { command: string }; output: string } }).state
    assert.equal(state.input.command, "git push https://x-access-token:[redacted:github]@github.com/acme/api.git")
    assert.equal(state.output, "Everything up-to-date\n")
    assert.deepEqual(r.counts, [1])
    assert.deepEqual(await Secrets.scan(r.items), [], "the redacted items scan clean")
  })

  it("counts a secret once per item however many fields hold it, and redacts every copy", async () => {
    const out = `token: ${OPENAI}\n`
    const items = [
      part({ status: "completed", input: { command: "cat token" }, output: out, metadata: { output: out, exit: 0 } }),
    ]
    const findings = await Secrets.scan(items)
    assert.equal(findings.length, 1, "one secret, two copies")
    assert.equal(findings[0]!.path, "state.output")
    assert.deepEqual(findings[0]!.also, ["state.metadata.output"])
    const r = await Secrets.redact(items)
    assert.deepEqual(r.counts, [1])
    assert.equal(r.findings.length, 1)
    const state = (r.items[0]!.data as { state: { output: string; metadata: { output: string } } }).state
    assert.equal(state.output, "token: [redacted:openai]\n")
    assert.equal(state.metadata.output, "token: [redacted:openai]\n")
    // Two different secrets in one item, and the same secret in another item, count apart.
    const two = [
      part({ status: "completed", output: `${OPENAI}\n${GITHUB}\n${OPENAI}` }),
      {
        ...part({ status: "completed", output: OPENAI }),
        data: { ...part({}).data, id: "prt_2", state: { status: "completed", output: OPENAI } },
      },
    ]
    const r2 = await Secrets.redact(two)
    assert.deepEqual(r2.counts, [2, 1])
  })

  it("renames an object key that holds a secret and reports it without showing the key", async () => {
    const items = [
      part({ status: "completed", input: {}, output: "", metadata: { [`GITHUB_TOKEN=${GITHUB}`]: true, exit: 0 } }),
    ]
    const r = await Secrets.redact(items)
    assert.equal(r.findings[0]?.path, "state.metadata.<key>")
    const metadata = (r.items[0]!.data as { state: { metadata: Record<string, unknown> } }).state.metadata
    assert.deepEqual(Object.keys(metadata), ["GITHUB_TOKEN=[redacted:github]", "exit"])
    assert.ok(!leaked(GITHUB, strings(r.items.map((i) => i.data))))
  })

  it("redacts the value of a field whose name says it is a credential", async () => {
    const model = { type: "model", data: [{ id: "corp", providerID: "corp", options: { apiKey: "Maple913#vortex" } }] }
    const r = await Secrets.redact([model], { root: "ses_1" })
    assert.equal(r.findings[0]?.key, "model/ses_1")
    assert.equal(r.findings[0]?.path, "[0].options.apiKey")
    assert.equal(r.findings[0]?.rule, "secret-field")
    assert.ok(!strings(r.items[0]!.data).includes("Maple913#vortex"))
  })

  it("finds secrets inside JSON held in a string (escaped quotes and \\n)", async () => {
    const inner = JSON.stringify({ log: `boot\nGITHUB_TOKEN: ${GITHUB}\nAuthorization: Bearer q8W2e4R6t8Y0u2I4o6P8` })
    const r = await Secrets.redactText(JSON.stringify({ body: inner }))
    assert.ok(!leaked(GITHUB, r.text))
    assert.ok(!r.text.includes("q8W2e4R6t8Y0u2I4o6P8"))
  })

  it("does not let a secretlint-disable comment switch detection off", async () => {
    const text = `// secretlint-disable\nconst hook = "https://hooks.slack.com/services/T0ABCDEF12/B0ABCDEF34/${"Xy7".repeat(8)}"\n// secretlint-enable`
    const findings = await Secrets.scanText(text)
    assert.equal(findings.length, 1)
    assert.equal(findings[0]?.line, 2)
  })

  it("leaves placeholders, references and documentation examples alone", async () => {
    const text = [
      "OPENAI_API_KEY=your-api-key-here",
      "DB_PASSWORD=${DB_PASSWORD}",
      'password: "<your-password>"',
      "const token = process.env.GITHUB_TOKEN",
      "MAX_TOKENS=4096",
      "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
      "postgres://postgres:postgres@localhost:5432/test",
      "privateKey: KeyObject;",
    ].join("\n")
    assert.deepEqual(await Secrets.scanText(text), [])
  })

  it("finds nothing in a real OpenCode share", async () => {
    assert.deepEqual(await Secrets.scan(realShare(), { root: "ses_root" }), [])
  })

  it("shows at most a quarter of a short secret in a preview", () => {
    assert.equal(Secrets.preview("hunter22"), "hu…(8 chars)")
    assert.equal(Secrets.preview("abc"), "…(3 chars)")
  })

  it("redacts a whole corpus batch in one call, and the result rescans clean", async () => {
    const items = cases().flatMap((c) => c.items)
    const r = await Secrets.redact(items, { root: "ses_root" })
    assert.equal(
      r.counts.reduce((a, b) => a + b, 0),
      r.findings.length,
    )
    assert.deepEqual(await Secrets.scan(r.items, { root: "ses_root" }), [])
    for (const c of cases()) for (const s of c.secrets) assert.ok(!leaked(s, strings(r.items.map((i) => i.data))), c.id)
  })
})
