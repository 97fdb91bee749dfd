import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Config from "../../src/server/config.ts"

describe("REDACT_ON_INGEST", () => {
  it("defaults to redact and accepts reject and off", () => {
    assert.equal(Config.defaults().redactOnIngest, "redact")
    for (const mode of ["redact", "reject", "off"] as const) {
      const r = Config.parse({ REDACT_ON_INGEST: mode })
      assert.ok(r.ok && r.config.redactOnIngest === mode)
    }
  })

  it("refuses any other value and names the variable", () => {
    const r = Config.parse({ REDACT_ON_INGEST: "yes" })
    assert.ok(!r.ok)
    assert.match(r.problems.join("\n"), /^REDACT_ON_INGEST: /m)
  })
})
