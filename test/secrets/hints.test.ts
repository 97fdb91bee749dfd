/**
 * A rule's hint only skips texts it cannot match: over the labelled corpus, the clean corpus
 * and the adversarial shapes, every text a rule's pattern matches (run with its hint taken away)
 * also passes the hint. A hint that missed a shape would let that secret through unredacted.
 */
import assert from "node:assert/strict"
import { describe, test } from "node:test"
import { COMPILED, run } from "../../src/secrets/detect.ts"
import { cases, clean, strings } from "./corpus.ts"
import { SHAPES } from "./shapes.ts"

const texts = (): string[] => [
  ...cases().flatMap((c) => c.items.map((item) => strings(item))),
  ...clean().map((b) => b.text),
  ...Object.values(SHAPES).map((shape) => shape(2048)),
]

const passes = (hint: string | readonly string[] | RegExp, text: string): boolean =>
  typeof hint === "string"
    ? text.includes(hint)
    : hint instanceof RegExp
      ? hint.test(text)
      : hint.some((h) => text.includes(h))

describe("rule hints", () => {
  test("every text a hinted rule matches passes its hint", () => {
    const all = texts()
    const hinted = COMPILED.filter((c) => c.rule.hint !== undefined)
    assert.ok(hinted.length >= 10, `hinted rules: ${hinted.length}`)
    const labelled = new Set(cases().map((c) => c.rule))
    for (const c of hinted) {
      const bare = { rule: { ...c.rule, hint: undefined }, re: c.re }
      let matched = 0
      for (const text of all) {
        if (run(bare, text).length === 0) continue
        matched += 1
        assert.ok(passes(c.rule.hint as NonNullable<typeof c.rule.hint>, text), `${c.rule.id}: ${text.slice(0, 120)}`)
      }
      // A rule the corpus has secrets for is checked on real matches, not on none.
      if (labelled.has(c.rule.id)) assert.ok(matched > 0, `${c.rule.id}: no text of the corpus matched`)
    }
  })
})
