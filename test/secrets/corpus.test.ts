import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { describe, it } from "node:test"
import * as Secrets from "../../src/secrets/index.ts"
import { cleanCorpus, secretsCorpus, SEED } from "../fixtures/secrets/generate.ts"
import { cases, clean, falsePositives, recall } from "./corpus.ts"

describe("secrets corpus", () => {
  it("holds at least 300 labelled fake secrets covering every rule and 2,000 clean lines", () => {
    const all = cases()
    assert.ok(all.length >= 300, `${all.length} cases`)
    const labelled = new Set(all.map((c) => c.rule))
    for (const { id } of Secrets.catalog()) assert.ok(labelled.has(id), `no case for rule ${id}`)
    assert.ok(labelled.has("secret-field"))
    const lines = clean().reduce((n, b) => n + b.text.split("\n").length, 0)
    assert.ok(lines >= 2000, `${lines} clean lines`)
  })

  it("is what docs/SECURITY.md lists: every rule has a row in its rules table", () => {
    const doc = readFileSync(new URL("../../docs/SECURITY.md", import.meta.url), "utf8")
    for (const { id } of Secrets.catalog())
      assert.match(doc, new RegExp(`^\\| \`${id}\` \\|`, "m"), `docs/SECURITY.md has no row for ${id}`)
  })

  it("is exactly what the seeded generator writes, so no secret in it was pasted by hand", () => {
    const committed = readFileSync(new URL("../fixtures/secrets/secrets.json", import.meta.url), "utf8")
    assert.equal(committed, `${JSON.stringify({ seed: SEED, cases: secretsCorpus() }, null, 1)}\n`)
    // The clean corpus's generated blocks come first and are deterministic too.
    const generated = cleanCorpus().filter((b) => !b.category.includes(":"))
    assert.deepEqual(clean().slice(0, generated.length), generated)
  })

  it("redacts every secret of the corpus: no 12-character run of one survives (100 % recall)", async () => {
    const results = await recall()
    for (const r of results) assert.ok(r.before, `${r.id}: the case does not hold its secret`)
    const leaks = results.filter((r) => r.leaked).map((r) => `${r.id} ${r.rule} in ${r.context}`)
    assert.deepEqual(leaks, [])
  })

  it("names each secret with the rule it is labelled with", async () => {
    const missed = (await recall())
      .filter((r) => !r.rules.includes(r.rule))
      .map((r) => `${r.id} ${r.rule}: ${r.rules.join(",")}`)
    assert.deepEqual(missed, [])
  })

  it("flags at most 0.05 % of the clean lines", async () => {
    const fp = await falsePositives()
    assert.ok(fp.flagged / fp.lines <= 0.0005, `${fp.flagged}/${fp.lines} flagged:\n${fp.examples.join("\n")}`)
  })
})
