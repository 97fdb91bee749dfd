/**
 * Prints recall and false positives per rule on the corpus, the table docs/SECURITY.md shows:
 *   node test/secrets/report.ts
 */
import * as Secrets from "../../src/secrets/index.ts"
import * as Secretlint from "../../src/secrets/secretlint.ts"
import { join } from "../../src/secrets/text.ts"
import { cases, falsePositives, recall } from "./corpus.ts"

/** Cases whose every secret the secretlint preset alone reports (for comparison only). */
async function secretlintAlone(): Promise<Set<string>> {
  const found = new Set<string>()
  for (const c of cases()) {
    const { text } = join(c.items.map((i) => i.data))
    const hits = await Secretlint.hits(text)
    const covered = (s: string) => {
      const at = text.indexOf(s)
      return at >= 0 && hits.some((h) => h.raw[0] < at + s.length && h.raw[1] > at)
    }
    if (c.secrets.every(covered)) found.add(c.id)
  }
  return found
}

const results = await recall()
const fp = await falsePositives()
const alone = await secretlintAlone()
const rules = [...new Set(results.map((r) => r.rule))]
console.log("| rule | cases | redacted (recall) | found by this rule | secretlint preset alone | clean lines flagged |")
console.log("| --- | --- | --- | --- | --- | --- |")
for (const rule of rules) {
  const rs = results.filter((r) => r.rule === rule)
  const ok = rs.filter((r) => !r.leaked).length
  const own = rs.filter((r) => r.rules.includes(rule)).length
  const sl = rs.filter((r) => alone.has(r.id)).length
  console.log(
    `| ${rule} | ${rs.length} | ${ok}/${rs.length} (${((100 * ok) / rs.length).toFixed(1)} %) | ${own}/${rs.length} | ${sl}/${rs.length} | ${fp.byRule.get(rule) ?? 0} |`,
  )
}
const others = [...fp.byRule].filter(([r]) => !rules.includes(r))
for (const [rule, n] of others) console.log(`| ${rule} | 0 | – | – | – | ${n} |`)
const ok = results.filter((r) => !r.leaked).length
console.log(
  `| **all** | ${results.length} | ${ok}/${results.length} (${((100 * ok) / results.length).toFixed(1)} %) | | ${alone.size}/${results.length} | ${fp.flagged}/${fp.lines} (${((100 * fp.flagged) / fp.lines).toFixed(2)} %) |`,
)
console.log(
  `\nrules: ${Secrets.catalog().length} own + ${Secrets.secretlintRules().length} secretlint; contexts: ${[...new Set(results.map((r) => r.context))].join(", ")}`,
)
for (const r of results.filter((x) => x.leaked))
  console.log(`LEAK ${r.id} ${r.rule} in ${r.context} (found: ${r.rules.join(",") || "nothing"})`)
for (const e of fp.examples) console.log(`FLAG ${e}`)
