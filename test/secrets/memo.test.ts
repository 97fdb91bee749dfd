/**
 * Values scanned once: a string that scanned clean is not scanned again in the same share by the
 * thread that remembers it (memo.ts), and a string that occurs twice in one share's items of one
 * scan is scanned once (text.ts). Neither may change a finding or a redaction, and neither works
 * across shares.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Secrets from "../../src/secrets/index.ts"
import { redactMany, scanMany } from "../../src/secrets/items.ts"
import * as Memo from "../../src/secrets/memo.ts"
import { join } from "../../src/secrets/text.ts"
import { cases } from "./corpus.ts"

const TOKEN = `ghp_${"Ab3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY2z4B"}`
const prose = (n: number) => `a long line of ordinary session text, number ${n}, with nothing secret in it`

describe("values scanned once", () => {
  it("remembers only clean strings of the lengths it keeps, within its bound", () => {
    const memo = Memo.create(1000)
    memo.remember("s_a", "short")
    memo.remember("s_a", "x".repeat(Memo.MAX + 1))
    assert.equal(memo.clean("s_a", "short"), false, "shorter than MIN: scanning costs less than looking up")
    assert.equal(memo.clean("s_a", "x".repeat(Memo.MAX + 1)), false)
    for (let i = 0; i < 100; i++) memo.remember("s_a", prose(i))
    assert.ok(memo.size() <= 2000, `${memo.size()} characters held for a bound of 1000 per generation`)
    assert.equal(memo.clean("s_a", prose(0)), false, "the oldest were dropped")
    assert.equal(memo.clean("s_a", prose(99)), true)
    assert.equal(memo.clean("s_b", prose(99)), false, "another share's string is not this share's")
    // A string of the old generation that is asked for again is kept when the old one goes.
    const kept = Memo.create(200)
    kept.remember("s_a", prose(1000))
    kept.remember("s_a", prose(1001))
    kept.remember("s_a", prose(1002))
    assert.equal(kept.clean("s_a", prose(1000)), true)
    for (let i = 0; i < 2; i++) kept.remember("s_a", prose(2000 + i))
    assert.equal(kept.clean("s_a", prose(1000)), true)
  })

  it("leaves a remembered clean string out of the share's next scan, never one that held a secret", async () => {
    const memo = Memo.create()
    const clean = prose(1)
    const secret = `export GITHUB_TOKEN=${TOKEN} # the deploy token`
    const items = [{ data: { text: clean, output: secret } }]
    const first = await scanMany([{ items, options: { scope: "s_a" } }], memo)
    assert.equal(first[0]?.length, 1)
    const joined = (scope: string) => join([items[0]?.data], { scopes: [scope], memo }).text
    assert.ok(!joined("s_a").includes(clean), "the clean string is not scanned again in its share")
    assert.ok(joined("s_a").includes(secret), "the string with a secret is scanned every time")
    assert.ok(joined("s_b").includes(clean), "another share's scan does not skip it")
    assert.ok(join([items[0]?.data], { memo }).text.includes(clean), "nor does a scan of no share")
    const again = await scanMany([{ items, options: { scope: "s_a" } }], memo)
    assert.deepEqual(again, first)
    // The same clean text with a secret added is a new string: scanned, and found.
    const changed = [{ data: { text: `${clean} ${TOKEN}` } }]
    assert.equal((await scanMany([{ items: changed, options: { scope: "s_a" } }], memo))[0]?.length, 1)
  })

  it("finds and redacts the same with a warm memo as without one, over the corpus", async () => {
    const groups = cases().map((c, i) => ({ items: c.items, options: { root: "ses_root", scope: `s_${i % 3}` } }))
    const memo = Memo.create()
    const cold = await scanMany(groups)
    // Warmed by the corpus and its clean text, then asked again: every finding is still made.
    await redactMany(groups, memo)
    assert.ok(memo.size() > 10_000, `${memo.size()} characters remembered`)
    assert.deepEqual(await scanMany(groups, memo), cold)
    const here = await redactMany(groups)
    const warm = await redactMany(groups, memo)
    assert.deepEqual(warm, here)
    assert.ok(cold.flat().length > 200)
  })

  it("scans a string that occurs twice in one share's items once, and finds and redacts every copy", async () => {
    const output = `$ env\nHOME=/home/dev\nGITHUB_TOKEN=${TOKEN}\n`
    // A shell part holds its output twice; a part re-sent in one batch holds all of it twice.
    const part = { type: "tool", state: { output, metadata: { output } } }
    const joined = join([part, part])
    assert.equal(joined.text.split(TOKEN).length - 1, 1, "the copies are not in the text")
    assert.equal(joined.copies.length, 3)
    // Two shares' items in one job are each scanned: neither's scan depends on the other's.
    const two = join([part, part], { scopes: ["s_a", "s_b"] })
    assert.equal(two.text.split(TOKEN).length - 1, 2)
    const findings = await Secrets.scan([{ data: part }, { data: part }])
    assert.equal(findings.length, 2, "one finding per item")
    assert.deepEqual(findings[0]?.also, ["state.metadata.output"])
    const r = await Secrets.redact([{ data: part }, { data: part }])
    const text = JSON.stringify(r.items.map((i) => i.data))
    assert.ok(!text.includes(TOKEN))
    assert.equal(text.split("[redacted:").length - 1, 4, "every copy is redacted")
    assert.deepEqual(r.counts, [1, 1])
  })
})
