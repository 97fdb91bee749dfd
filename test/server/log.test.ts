import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as App from "../../src/server/app.ts"
import * as Log from "../../src/server/log.ts"
import { realShare } from "../support/fixtures.ts"
import { testApp } from "../support/app.ts"

describe("logging", () => {
  it("writes one access line per request with a request id, and never a secret", async () => {
    const lines: Record<string, unknown>[] = []
    const log = Log.create(
      { logLevel: "info", logFormat: "json" },
      { write: (line: string) => void lines.push(JSON.parse(line)) },
    )
    const t = await testApp()
    try {
      const app = App.create({ ...t.deps, log })
      const send = (method: string, path: string, body: unknown) =>
        app.request(path, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      const created = (await (await send("POST", "/api/share", { sessionID: "ses_log" })).json()) as {
        id: string
        secret: string
      }
      await send("POST", `/api/share/${created.id}/sync`, { secret: created.secret, data: realShare() })
      await send("POST", `/api/share/${created.id}/sync`, { secret: "wrong-secret-value", data: [] })
      const res = await send("DELETE", `/api/share/${created.id}`, { secret: created.secret })
      assert.ok(res.headers.get("x-request-id"))
      const access = lines.filter((l) => l.msg === "request")
      assert.deepEqual(
        access.map((l) => l.status),
        [201, 200, 403, 200],
      )
      assert.ok(access.every((l) => typeof l.reqId === "string" && typeof l.ms === "number"))
      assert.equal(new Set(access.map((l) => l.reqId)).size, 4)
      const all = JSON.stringify(lines)
      assert.ok(!all.includes(created.secret))
      assert.ok(!all.includes("wrong-secret-value"))
    } finally {
      await t.close()
    }
  })
})
