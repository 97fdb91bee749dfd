/** The one sanitizer the CLI prints through (src/cli/sanitize.ts), on the sequences terminals act on. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Sanitize from "../../src/cli/sanitize.ts"

describe("the CLI's sanitizer", () => {
  it("removes whole sequences: OSC (BEL or ST), CSI (7-bit and C1), DCS, SOS/PM/APC, other escapes", () => {
    const cases: [string, string][] = [
      ["a\x1b]52;c;cm0gLXJmIH4K\x07b", "ab"],
      ["a\x1b]0;title\x1b\\b", "ab"],
      ["a\x9d0;title\x9cb", "ab"],
      ["a\x1b[2Jb\x1b[1;31mc\x1b[?25ld", "abcd"],
      ["a\x9b2Jb", "ab"],
      ["a\x1bPq#0;2;0;0;0\x1b\\b", "ab"],
      ["a\x1b_apc\x1b\\b\x1b^pm\x9cc\x1bXsos\x07d", "abcd"],
      ["a\x1b7\x1b8\x1bc\x1b(Bb", "ab"],
    ]
    for (const [input, want] of cases) assert.equal(Sanitize.text(input), want, JSON.stringify(input))
  })

  it("removes C0 and C1 controls, DEL and carriage returns; keeps newlines and tabs, or flattens them on one line", () => {
    assert.equal(Sanitize.text("a\x00b\x07c\x08d\re\x7ff\x85g\x9fh\r\ni\tj"), "abcdefgh\ni\tj")
    assert.equal(Sanitize.line("one\ntwo\tthree\r\n"), "one two three ")
    assert.equal(Sanitize.text("plain text — ünïcödé ✓"), "plain text — ünïcödé ✓")
  })

  it("leaves the text of an unterminated control string, without its introducer", () => {
    assert.equal(Sanitize.text("a\x1b]0;never ends"), "a0;never ends")
    assert.equal(Sanitize.text("a\x9dno end\x1b[2Jb"), "ano endb")
  })

  it("stays linear on introducers without terminators", () => {
    // A quadratic scan of these would not finish within the test's time.
    for (const unit of ["\x9d", "\x1b]", "\x1bP", "\x9b0", "\x1b[0"]) {
      const out = Sanitize.text(`${unit.repeat(200_000)}\nend`)
      assert.ok(out.endsWith("end"))
      assert.doesNotMatch(out, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/)
    }
  })

  it("writes JSON whose every control is escaped, the value unchanged", () => {
    const value = { t: "a\x1b]52;c;x\x07\x9b2J\x7f\u2028\r" }
    const text = Sanitize.json(value, 2)
    assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028]/)
    assert.deepEqual(JSON.parse(text), value)
  })
})
