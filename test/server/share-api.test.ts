import assert from "node:assert/strict"
import { existsSync, readFileSync } from "node:fs"
import { DatabaseSync } from "node:sqlite"
import { after, before, describe, it } from "node:test"
import pg from "pg"
import { realShare, sampleItem } from "../support/fixtures.ts"
import { share, testApp, type TestApp } from "../support/app.ts"
import { backends } from "../support/backends.ts"

const SID = realShare()[0].data.id as string

for (const backend of backends)
  describe(`ShareNext API on ${backend.name}`, () => {
    let t: TestApp
    before(async () => {
      t = await testApp({}, Date.now, backend)
    })
    after(() => t.close())

    it("creates a share with a random s_ id, a PUBLIC_URL link and a secret", async () => {
      const res = await t.send("POST", "/api/share", { sessionID: SID })
      assert.equal(res.status, 201)
      const body = (await res.json()) as { id: string; url: string; secret: string }
      assert.match(body.id, /^s_[A-Za-z0-9_-]{22}$/)
      assert.equal(body.url, `http://share.test/share/${body.id}`)
      assert.ok(body.secret.length >= 43, "secret carries at least 256 bits")
      const other = await share(t, SID)
      assert.notEqual(other.id, body.id)
      assert.notEqual(other.secret, body.secret)
    })

    it("stores only a hash of the secret", { skip: backend.name !== "sqlite" && "reads the SQLite file" }, async () => {
      const s = await share(t, "ses_hash")
      const db = new DatabaseSync(t.dbPath, { readOnly: true })
      const rows = db.prepare("select * from share where id = ?").all(s.id)
      db.close()
      assert.equal(rows.length, 1)
      assert.ok(!JSON.stringify(rows).includes(s.secret))
    })

    it("syncs a real session and serves it back in import order", async () => {
      const s = await share(t, SID)
      const items = realShare()
      const res = await t.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data: items })
      assert.equal(res.status, 200)
      const sync = (await res.json()) as { accepted: number; seq: number }
      assert.equal(sync.accepted, items.length)
      const data = (await (await t.send("GET", `/api/share/${s.id}/data`)).json()) as { type: string; data: any }[]
      assert.deepEqual(
        data.map((i) => i.type),
        items.map((i) => i.type),
      )
      assert.deepEqual(
        data.map((i) => i.data.id ?? i.type),
        items.map((i) => i.data.id ?? i.type),
      )
      // Models are stored without options and headers (custom providers keep keys there).
      const model = data.find((i) => i.type === "model")!.data as Record<string, unknown>[]
      for (const m of model) {
        assert.equal("options" in m, false)
        assert.equal("headers" in m, false)
      }
    })

    it("keeps the latest value per key and ignores a stale one that arrives late", async () => {
      const s = await share(t, "ses_stale")
      const running = structuredClone(sampleItem("part-tool-task-running"))
      const completed = structuredClone(sampleItem("part-tool-task-completed"))
      completed.data.id = running.data.id
      completed.data.messageID = running.data.messageID
      completed.data.sessionID = running.data.sessionID
      for (const item of [running, completed]) {
        const r = await t.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data: [item] })
        assert.equal(r.status, 200)
      }
      // The earlier running state arrives after the completed one: it must not win.
      const late = await t.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data: [running] })
      assert.equal(((await late.json()) as { stale: number }).stale, 1)
      const rows = await t.deps.store.shares.items(((await t.deps.store.shares.find(s.id)) as any).share)
      const part = rows.find((r) => r.type === "part")!
      assert.equal((part.data as any).state.status, "completed")
      assert.equal(rows.filter((r) => r.type === "part").length, 1)
    })

    it("keeps unknown item types from newer clients", async () => {
      const s = await share(t, "ses_unknown")
      const r = await t.send("POST", `/api/share/${s.id}/sync`, {
        secret: s.secret,
        data: [{ type: "todo", data: [{ content: "x" }] }],
      })
      assert.equal(r.status, 200)
      const rows = await t.deps.store.shares.items(((await t.deps.store.shares.find(s.id)) as any).share)
      assert.deepEqual(
        rows.map((x) => x.key),
        ["todo/ses_unknown"],
      )
    })

    it("drops an unknown item over its size limit but keeps the rest of the batch", async () => {
      const small = await testApp({ unknownItemLimit: 100 }, Date.now, backend)
      try {
        const s = await share(small, "ses_big")
        const r = await small.send("POST", `/api/share/${s.id}/sync`, {
          secret: s.secret,
          data: [{ type: "future", data: "x".repeat(500) }, sampleItem("session")],
        })
        assert.equal(r.status, 200)
        const body = (await r.json()) as { accepted: number; dropped: { index: number }[] }
        assert.equal(body.accepted, 1)
        assert.deepEqual(
          body.dropped.map((d) => d.index),
          [0],
        )
      } finally {
        await small.close()
      }
    })

    it("refuses a wrong or missing secret with 403 and changes nothing", async () => {
      const s = await share(t, "ses_secret")
      for (const secret of ["wrong", s.secret.slice(0, -1) + (s.secret.endsWith("A") ? "B" : "A"), "x".repeat(300)]) {
        const r = await t.send("POST", `/api/share/${s.id}/sync`, { secret, data: [sampleItem("session")] })
        assert.equal(r.status, 403)
        assert.equal(((await r.json()) as any).error.code, "forbidden")
      }
      const missing = await t.send("POST", `/api/share/${s.id}/sync`, { data: [] })
      assert.equal(missing.status, 400)
      const del = await t.send("DELETE", `/api/share/${s.id}`, { secret: "wrong" })
      assert.equal(del.status, 403)
      const found = await t.deps.store.shares.find(s.id)
      assert.equal(found.state, "live")
      assert.equal(found.state === "live" && found.share.itemCount, 0)
    })

    it("unshares with the secret in a DELETE body: every row goes, a tombstone stays, then 410", async () => {
      const s = await share(t, SID)
      await t.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data: realShare() })
      const del = await t.send("DELETE", `/api/share/${s.id}`, { secret: s.secret })
      assert.equal(del.status, 200)
      if (backend.name !== "sqlite") return assertGonePostgres(t, s)
      const db = new DatabaseSync(t.dbPath, { readOnly: true })
      const items = db.prepare("select count(*) as n from share_item where share_id = ?").get(s.id) as { n: number }
      const shares = db.prepare("select count(*) as n from share where id = ?").get(s.id) as { n: number }
      const tomb = db.prepare("select * from share_tombstone where id = ?").all(s.id)
      db.close()
      assert.equal(items.n, 0)
      assert.equal(shares.n, 0)
      assert.equal(tomb.length, 1)
      assert.deepEqual(Object.keys(tomb[0] as object).sort(), ["deleted_at", "id", "reason"])
      for (const [method, path, body] of [
        ["GET", `/api/share/${s.id}/data`, undefined],
        ["GET", `/api/share/${s.id}`, undefined],
        ["POST", `/api/share/${s.id}/sync`, { secret: s.secret, data: [] }],
        ["DELETE", `/api/share/${s.id}`, { secret: s.secret }],
      ] as const) {
        const r = await t.send(method, path, body)
        assert.equal(r.status, 410, `${method} ${path}`)
        assert.equal(((await r.json()) as any).error.code, "gone")
      }
    })

    async function assertGonePostgres(t: TestApp, s: { id: string; secret: string }) {
      const client = new pg.Client(t.deps.config.databaseUrl)
      await client.connect()
      try {
        const items = await client.query("select count(*)::int as n from share_item where share_id = $1", [s.id])
        const shares = await client.query("select count(*)::int as n from share where id = $1", [s.id])
        const tomb = await client.query("select * from share_tombstone where id = $1", [s.id])
        assert.equal(items.rows[0].n, 0)
        assert.equal(shares.rows[0].n, 0)
        assert.deepEqual(Object.keys(tomb.rows[0]).sort(), ["deleted_at", "id", "reason"])
        assert.equal((await t.send("GET", `/api/share/${s.id}/data`)).status, 410)
      } finally {
        await client.end()
      }
    }

    it("leaves no readable copy of unshared content in the SQLite file or its write-ahead log", {
      skip: backend.name !== "sqlite" && "reads the SQLite file",
    }, async () => {
      const s = await share(t, "ses_wipe")
      const marker = `WIPE-MARKER-${"w".repeat(5000)}`
      await t.send("POST", `/api/share/${s.id}/sync`, {
        secret: s.secret,
        data: [
          {
            type: "part",
            data: { id: "prt_1", sessionID: "ses_wipe", messageID: "msg_1", type: "text", text: marker },
          },
        ],
      })
      const wal = `${t.dbPath}-wal`
      const holds = (file: string) => existsSync(file) && readFileSync(file).includes(Buffer.from("WIPE-MARKER-"))
      assert.ok(holds(wal) || holds(t.dbPath), "the synced content is on disk")
      assert.equal((await t.send("DELETE", `/api/share/${s.id}`, { secret: s.secret })).status, 200)
      // As the server left them: no checkpoint by the test.
      assert.equal(holds(t.dbPath), false, "the database file")
      assert.equal(holds(wal), false, "the write-ahead log")
    })

    it("answers 404 for an unknown share on every route", async () => {
      for (const [method, path, body] of [
        ["GET", "/api/share/s_nothere/data", undefined],
        ["POST", "/api/share/s_nothere/sync", { secret: "x", data: [] }],
        ["DELETE", "/api/share/s_nothere", { secret: "x" }],
      ] as const) {
        const r = await t.send(method, path, body)
        assert.equal(r.status, 404, `${method} ${path}`)
        assert.equal(((await r.json()) as any).error.code, "not_found")
      }
    })

    it("answers 400 naming the field for malformed JSON, wrong types and bad ids", async () => {
      const s = await share(t, "ses_bad")
      const cases: [string, string, unknown, string, RegExp][] = [
        ["POST", "/api/share", "{not json", "invalid_json", /JSON/],
        ["POST", "/api/share", {}, "invalid_body", /sessionID/],
        ["POST", "/api/share", { sessionID: 42 }, "invalid_body", /sessionID/],
        ["POST", "/api/share", [], "invalid_body", /body/],
        ["POST", `/api/share/${s.id}/sync`, { secret: s.secret, data: {} }, "invalid_body", /data/],
        [
          "POST",
          `/api/share/${s.id}/sync`,
          { secret: s.secret, data: [{ type: "part", data: { id: "p" } }] },
          "invalid_item",
          /data\[0\]\.data\.sessionID/,
        ],
        [
          "POST",
          `/api/share/${s.id}/sync`,
          { secret: s.secret, data: [{ type: "Bad Type", data: {} }] },
          "invalid_body",
          /data\[0\]\.type/,
        ],
        [
          "POST",
          `/api/share/${s.id}/sync`,
          { secret: s.secret, data: [{ type: "model", data: {} }] },
          "invalid_item",
          /model/,
        ],
        ["POST", "/api/share/bad%20id/sync", { secret: "x", data: [] }, "invalid_id", /share id/],
        ["DELETE", `/api/share/${s.id}`, { secret: 7 }, "invalid_body", /secret/],
      ]
      for (const [method, path, body, code, message] of cases) {
        const r = await t.send(method, path, body)
        assert.equal(r.status, 400, `${method} ${path} ${JSON.stringify(body)}`)
        const err = ((await r.json()) as any).error
        assert.equal(err.code, code)
        assert.match(err.message, message)
      }
    })

    it("refuses a body that is not JSON-typed or not UTF-8", async () => {
      const r = await t.app.request("/api/share", {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: '{"sessionID":"x"}',
      })
      assert.equal(r.status, 415)
      const bad = await t.app.request("/api/share", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
      })
      assert.equal(bad.status, 400)
      assert.equal(((await bad.json()) as any).error.code, "invalid_encoding")
    })

    it("answers 413 and names the limit for a body, an item or a share over its limit", async () => {
      const small = await testApp({ bodyLimit: 2048, itemLimit: 600, shareLimit: 1500 }, Date.now, backend)
      try {
        const s = await share(small, "ses_limits")
        const body = await small.send("POST", `/api/share/${s.id}/sync`, {
          secret: s.secret,
          data: [{ type: "session", data: { id: "ses_limits", title: "x".repeat(4000) } }],
        })
        assert.equal(body.status, 413)
        assert.match(((await body.json()) as any).error.message, /2048 bytes/)
        const item = await small.send("POST", `/api/share/${s.id}/sync`, {
          secret: s.secret,
          data: [{ type: "session", data: { id: "ses_limits", title: "x".repeat(700) } }],
        })
        assert.equal(item.status, 413)
        assert.match(((await item.json()) as any).error.message, /600 bytes/)
        const part = (n: number) => ({
          type: "part",
          data: { id: `prt_${n}`, sessionID: "ses_limits", messageID: "msg_1", type: "text", text: "y".repeat(500) },
        })
        assert.equal(
          (await small.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data: [part(1), part(2)] })).status,
          200,
        )
        const full = await small.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data: [part(3)] })
        assert.equal(full.status, 413)
        assert.match(((await full.json()) as any).error.message, /1500 bytes/)
        // Nothing of the refused sync was stored.
        const found = await small.deps.store.shares.find(s.id)
        assert.equal(found.state === "live" && found.share.itemCount, 2)
      } finally {
        await small.close()
      }
    })

    it("answers the plural /api/shares paths that console-org clients use", async () => {
      const r = await t.send("POST", "/api/shares", { sessionID: "ses_plural" })
      assert.equal(r.status, 201)
      const s = (await r.json()) as { id: string; secret: string }
      assert.equal(
        (await t.send("POST", `/api/shares/${s.id}/sync`, { secret: s.secret, data: [sampleItem("session")] })).status,
        200,
      )
    })

    it("returns JSON 404 for an unknown API route", async () => {
      const r = await t.send("GET", "/api/nothing")
      assert.equal(r.status, 404)
      assert.equal(((await r.json()) as any).error.code, "not_found")
    })
  })
