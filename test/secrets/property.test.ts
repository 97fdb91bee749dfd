import assert from "node:assert/strict"
import { describe, it } from "node:test"
import fc from "fast-check"
import * as Secrets from "../../src/secrets/index.ts"
import { cases, leaked, strings } from "./corpus.ts"

/** Formats that identify themselves (a prefix, a shape): found wherever they are spliced. Bare
 * passwords and key bodies need their context (a name, a BEGIN line) and are not used here. */
const SELF_EVIDENT = new Set([
  "jwt",
  "aws-access-key",
  "google-api-key",
  "google-oauth",
  "azure-client-secret",
  "openai",
  "anthropic",
  "ai-provider-key",
  "github",
  "gitlab",
  "slack",
  "stripe",
  "npm",
])
const SECRETS = cases()
  .filter((c) => SELF_EVIDENT.has(c.rule))
  .flatMap((c) => c.secrets)

/** Shape without strings: what redaction must keep (numbers, booleans, nulls, array lengths, key count). */
function shape(v: unknown): unknown {
  if (typeof v === "string") return "s"
  if (Array.isArray(v)) return v.map(shape)
  if (v && typeof v === "object") return Object.values(v).map(shape)
  return v
}

/** A JSON value with corpus secrets spliced into some of its strings. */
const withSecrets = fc
  .tuple(
    fc.jsonValue({ maxDepth: 4 }),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom(...SECRETS),
        fc.constantFrom(" ", "\n", "=", ": ", '"', "(", "\\n"),
        fc.constantFrom(" ", ".", ",", '"', "\n", ")", "\\n"),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([base, inserts]) => {
    let i = 0
    const placed: string[] = []
    const walk = (v: unknown): unknown => {
      if (typeof v === "string") {
        const ins = inserts[i++ % inserts.length]!
        placed.push(ins[1])
        const at = ins[0] % (v.length + 1)
        // Delimited on both sides, as text around a token always is (a glued "xghp_…" is another word).
        return `${v.slice(0, at)}${ins[2]}${ins[1]}${ins[3]} ${v.slice(at)}`
      }
      if (Array.isArray(v)) return v.map(walk)
      if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
      return v
    }
    const data = { note: "", value: walk(base) }
    // At least one secret, even when the random value holds no string.
    const first = inserts[0]!
    data.note = `token ${first[1]} end`
    placed.push(first[1])
    return { data, placed }
  })

describe("redaction properties", () => {
  it("leaves no inserted secret readable, keeps the shape, and rescans clean", async () => {
    await fc.assert(
      fc.asyncProperty(withSecrets, async ({ data, placed }) => {
        const r = await Secrets.redact([{ data }])
        const out = strings(r.items[0]!.data)
        for (const s of placed) assert.ok(!leaked(s, out), `leaked ${Secrets.preview(s)}`)
        assert.deepEqual(shape(r.items[0]!.data), shape(data))
        assert.deepEqual(await Secrets.scan(r.items), [])
      }),
      { numRuns: 150, seed: 6 },
    )
  })

  it("never changes content it finds nothing in", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (data) => {
        const r = await Secrets.redact([{ data }])
        if (r.findings.length === 0) assert.deepEqual(r.items[0]!.data, data)
      }),
      { numRuns: 150, seed: 7 },
    )
  })
})
