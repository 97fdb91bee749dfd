import assert from "node:assert/strict"
import { DatabaseSync } from "node:sqlite"
import { after, before, describe, it } from "node:test"
import { ROOT, start, type Running } from "./server.ts"

// An internal token no rule can know: what an owner has to take down by hand.
const INTERNAL = ["corp", "int", "7f3k29dk2la9", "qq81"].join("-")
const MID = "msg_zz0001takedown"

const bash = (id: string, output: string) => ({
  type: "part",
  data: {
    id,
    sessionID: ROOT,
    messageID: MID,
    type: "tool",
    tool: "bash",
    callID: `call_${id}`,
    state: {
      status: "completed",
      input: { command: "./login.sh", description: "Log in" },
      output,
      metadata: { output, exit: 0 },
      title: "login",
      time: { start: 1, end: 2 },
    },
  },
})
const message = {
  type: "message",
  data: { id: MID, sessionID: ROOT, role: "assistant", time: { created: 1, completed: 2 } },
}
const KEY = (id: string) => `part/${ROOT}/${MID}/${id}`

async function data(t: Running, id: string): Promise<string> {
  return (await t.get(`/api/share/${id}/data`)).text()
}

describe("owner takedown: POST /api/share/:id/redact", () => {
  let t: Running
  let share: { id: string; secret: string }
  before(async () => {
    t = await start("redact")
    share = await t.share(ROOT)
    const res = await t.post(`/api/share/${share.id}/sync`, {
      secret: share.secret,
      data: [
        { type: "session", data: { id: ROOT, title: "t", time: { created: 1, updated: 2 } } },
        message,
        bash("prt_a", `session: ${INTERNAL}\nok\n`),
        bash("prt_b", `reused ${INTERNAL}`),
        bash("prt_c", "nothing here"),
      ],
    })
    assert.equal(res.status, 200)
    assert.ok((await data(t, share.id)).includes(INTERNAL), "the rules cannot know this token")
  })
  after(() => t.close())

  it("replaces a literal in every item of the share, stores it and tells open viewers", async () => {
    const seen = t.events.length
    const res = await t.post(`/api/share/${share.id}/redact`, { secret: share.secret, literal: INTERNAL })
    assert.equal(res.status, 200, await res.clone().text())
    const body = (await res.json()) as { items: number; replaced: number; seq: number }
    assert.deepEqual({ items: body.items, replaced: body.replaced }, { items: 2, replaced: 4 })
    const stored = await data(t, share.id)
    assert.ok(!stored.includes(INTERNAL))
    assert.match(stored, /session: \[redacted:owner\]\\nok/)
    // `evict`: every instance drops its parsed copy of the old content.
    assert.deepEqual(
      t.events.slice(seen).map(({ at: _at, ...e }) => e),
      [{ type: "sync", shareID: share.id, seq: body.seq, evict: true }],
    )
    const page = await (await t.get(`/share/${share.id}`)).text()
    assert.ok(!page.includes(INTERNAL))
    // Every stored row, not only what the API shows.
    const db = new DatabaseSync(t.server.deps.config.databaseUrl.replace(/^sqlite:\/\//, ""), { readOnly: true })
    const rows = db.prepare("select data from share_item").all() as { data: string }[]
    db.close()
    assert.ok(rows.length > 0 && rows.every((r) => !r.data.includes(INTERNAL)))
  })

  it("keeps a taken-down item when the client syncs its old value again", async () => {
    const res = await t.post(`/api/share/${share.id}/sync`, {
      secret: share.secret,
      data: [bash("prt_a", `session: ${INTERNAL}\nok\n`)],
    })
    assert.equal(res.status, 200)
    assert.equal(((await res.json()) as { stale: number }).stale, 1)
    assert.ok(!(await data(t, share.id)).includes(INTERNAL))
  })

  it("replaces the one string at a path", async () => {
    const res = await t.post(`/api/share/${share.id}/redact`, {
      secret: share.secret,
      key: KEY("prt_c"),
      path: "state.input.command",
    })
    assert.equal(res.status, 200, await res.clone().text())
    const items = JSON.parse(await data(t, share.id)) as {
      data: { id: string; state?: { input: { command: string }; output: string } }
    }[]
    const c = items.find((i) => i.data.id === "prt_c")!
    assert.equal(c.data.state?.input.command, "[redacted:owner]")
    assert.equal(c.data.state?.output, "nothing here")
  })

  it("blanks a whole item but its ids and kind, so the viewer can still place it", async () => {
    const res = await t.post(`/api/share/${share.id}/redact`, { secret: share.secret, key: KEY("prt_c") })
    assert.equal(res.status, 200)
    const items = JSON.parse(await data(t, share.id)) as {
      data: Record<string, unknown> & { state?: Record<string, unknown> }
    }[]
    const c = items.find((i) => i.data.id === "prt_c")!
    assert.deepEqual(
      [c.data.type, c.data.tool, c.data.messageID, c.data.state?.status, c.data.state?.output],
      ["tool", "bash", MID, "completed", "[redacted:owner]"],
    )
  })

  it("refuses a wrong secret with 403, an unknown key or literal with 404, and a bad body with 400", async () => {
    assert.equal((await t.post(`/api/share/${share.id}/redact`, { secret: "nope", literal: "abcdefgh" })).status, 403)
    assert.equal(
      (await t.post(`/api/share/${share.id}/redact`, { secret: share.secret, key: "part/x/y/z" })).status,
      404,
    )
    assert.equal(
      (await t.post(`/api/share/${share.id}/redact`, { secret: share.secret, literal: "not-in-the-share" })).status,
      404,
    )
    assert.equal((await t.post(`/api/share/${share.id}/redact`, { secret: share.secret, literal: "ab" })).status, 400)
    assert.equal(
      (await t.post(`/api/share/${share.id}/redact`, { secret: share.secret, path: "state.output" })).status,
      400,
    )
    assert.equal((await t.post(`/api/share/${share.id}/redact`, { literal: "abcdefgh" })).status, 401)
  })

  it("accepts the owner's token instead of the share's secret, and no other owner's", async () => {
    const owner = (await (await t.post("/api/owner", {})).json()) as { token: string }
    const other = (await (await t.post("/api/owner", {})).json()) as { token: string }
    const created = (await (
      await t.post("/api/share", { sessionID: "ses_owned" }, { authorization: `Bearer ${owner.token}` })
    ).json()) as { id: string; secret: string }
    const sync = await t.post(`/api/share/${created.id}/sync`, {
      secret: created.secret,
      data: [
        {
          type: "part",
          data: { id: "prt_o", sessionID: "ses_owned", messageID: "msg_o", type: "text", text: `token ${INTERNAL}` },
        },
      ],
    })
    assert.equal(sync.status, 200)
    assert.equal(
      (
        await t.post(
          `/api/share/${created.id}/redact`,
          { literal: INTERNAL },
          { authorization: `Bearer ${other.token}` },
        )
      ).status,
      403,
    )
    const res = await t.post(
      `/api/share/${created.id}/redact`,
      { literal: INTERNAL },
      { authorization: `Bearer ${owner.token}` },
    )
    assert.equal(res.status, 200)
    assert.ok(!(await data(t, created.id)).includes(INTERNAL))
  })

  it("never logs the literal it took down", () => {
    const logs = t.logs.join("")
    assert.match(logs, /owner takedown/)
    assert.ok(!logs.includes(INTERNAL))
  })
})
