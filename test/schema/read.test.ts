/** The reader of hostile JSON: nesting is measured exactly and without recursion, then the schema. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { z } from "zod"
import { depth, json } from "../../src/schema/read.ts"

describe("reading hostile JSON", () => {
  it("measures nesting: primitives 0, each object or array one level more", () => {
    assert.equal(depth(1), 0)
    assert.equal(depth("text"), 0)
    assert.equal(depth(null), 0)
    assert.equal(depth({}), 1)
    assert.equal(depth([]), 1)
    assert.equal(depth({ a: 1, b: "x" }), 1)
    assert.equal(depth({ a: [1, { b: {} }], c: [[[]]] }), 4)
    // A key JSON.parse keeps as an own property is walked like any other.
    assert.equal(depth(JSON.parse('{"__proto__": {"x": {"y": []}}}')), 4)
  })

  it("stops counting past the limit, on nesting far deeper than the stack", () => {
    let v: unknown = 0
    for (let i = 0; i < 200_000; i++) v = i % 2 ? [v] : { v }
    assert.equal(depth(v, 64), 65)
    assert.equal(depth(v, 1_000_000), 200_000)
  })

  it("names the first problem: not JSON, too deep, or the field the schema refuses", () => {
    const schema = z.object({ data: z.array(z.object({ type: z.string() })) })
    assert.deepEqual(json("{", schema), { ok: false, problem: "invalid_json", message: "not valid JSON" })
    assert.deepEqual(json(`{"data":${"[".repeat(70)}${"]".repeat(70)}}`, schema, { maxDepth: 64 }), {
      ok: false,
      problem: "too_deep",
      message: "nests deeper than 64 levels",
    })
    const r = json('{"data":[{"type":"part"},{"type":3}]}', schema)
    assert.equal(r.ok, false)
    assert.match(r.ok ? "" : r.message, /^data\[1\]\.type: /)
    assert.deepEqual(json('{"data":[{"type":"part"}]}', schema), { ok: true, value: { data: [{ type: "part" }] } })
  })
})
