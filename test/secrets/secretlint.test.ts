import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Secretlint from "../../src/secrets/secretlint.ts"
import { SEP } from "../../src/secrets/text.ts"

// A SendGrid key is found by the preset only; built from pieces so no secret shape is in this file.
const SENDGRID = ["SG", ".", "Qm3vT8xLp2Rk9Wc4Zy7Nb1", ".", "Hd5Jf6Gs3Ka8Lq2Wm9Ep4Rt7Yu1Io0Pz5Xc6Vb3Nm8Q"].join("")

describe("the secretlint preset, run in chunks", () => {
  it("cuts a long text into chunks of at most CHUNK characters that cover all of it", () => {
    const texts = [
      "x".repeat(100_000),
      `${"line of text\n".repeat(8000)}`,
      Array(300).fill("a string ".repeat(20)).join(SEP),
      "",
    ]
    for (const text of texts) {
      let covered = 0
      for (const [from, to] of Secretlint.chunks(text)) {
        assert.ok(to - from <= Secretlint.CHUNK, `a chunk of ${to - from}`)
        assert.ok(from <= covered, `a gap before ${from}`)
        // A cut between two strings skips the separator, which no rule matches.
        covered = Math.max(covered, to, text.startsWith(SEP, to) ? to + SEP.length : to)
      }
      assert.equal(covered, text.length)
    }
  })

  it("finds a secret that a chunk cut goes through, in a long line and across lines", async () => {
    for (const filler of ["word ", "line\n"]) {
      for (let at = Secretlint.CHUNK - SENDGRID.length - 4; at <= Secretlint.CHUNK + 4; at += 3) {
        const before = `${filler.repeat(Math.ceil(at / filler.length)).slice(0, at - 1)} `
        const text = `${before}${SENDGRID} ${filler.repeat(5000)}`
        const reports = await Secretlint.hits(text)
        const start = text.indexOf(SENDGRID)
        assert.ok(
          reports.some((r) => r.start <= start && r.end >= start + SENDGRID.length),
          `key at ${start} (${JSON.stringify(filler)}) not found whole`,
        )
      }
    }
  })
})
