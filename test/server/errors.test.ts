/** Every error code is defined once, in src/server/errors.ts, with one status, and documented. */
import assert from "node:assert/strict"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import { fileURLToPath } from "node:url"
import { ApiError, CODES } from "../../src/server/errors.ts"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : []
  })
}

describe("error codes", () => {
  it("gives every code exactly one status, the one every error of that code answers", () => {
    for (const [code, status] of Object.entries(CODES)) {
      const e = new ApiError(code as keyof typeof CODES, "m")
      assert.equal(e.status, status, code)
      assert.deepEqual(e.body(), { error: { code, message: "m" } })
    }
  })

  it("defines errors in src/server/errors.ts only", () => {
    const elsewhere = files(join(ROOT, "src/server"))
      .filter((f) => !f.endsWith("errors.ts"))
      .filter((f) => /new ApiError\(\s*\d|error:\s*\{\s*code:\s*"/.test(readFileSync(f, "utf8")))
    assert.deepEqual(
      elsewhere.map((f) => f.slice(ROOT.length)),
      [],
    )
  })

  it("documents every code a client can get", () => {
    const docs = ["docs/PROTOCOL.md", "docs/ENTERPRISE.md", "docs/CONFIG.md", "docs/SECURITY.md"]
      .map((d) => readFileSync(join(ROOT, d), "utf8"))
      .join("\n")
    const missing = Object.keys(CODES).filter((code) => code !== "internal" && !docs.includes(`\`${code}\``))
    assert.deepEqual(missing, [])
  })
})
