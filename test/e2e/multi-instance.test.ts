/**
 * Two agentshare processes on one PostgreSQL: the real OpenCode client syncs to instance A, a
 * live viewer on instance B sees every update in order, and an unshare sent to B ends the live
 * stream of a viewer on A.
 */
import assert from "node:assert/strict"
import { DatabaseSync } from "node:sqlite"
import { after, before, describe, it } from "node:test"
import pg from "pg"
import * as FakeLlm from "../support/fake-llm.ts"
import * as Opencode from "../support/opencode.ts"
import * as Postgres from "../support/postgres.ts"
import { startServerProcess, type ServerProcess } from "../support/server-process.ts"
import { until } from "../support/wait.ts"
import { Stream } from "../viewer/sse.ts"

const ci = process.env.CI === "true" || process.env.CI === "1"
const client = await Opencode.client()
const pgOk = Postgres.available()
const missing = !client.ok
  ? `the real OpenCode client: ${client.reason}`
  : !pgOk.ok
    ? `PostgreSQL: ${pgOk.reason}`
    : undefined
if (missing && ci) throw new Error(`the multi-instance test needs ${missing}`)

/** True once the share holds a finished assistant message (the client's last flush arrived). */
async function finished(res: Response): Promise<boolean> {
  const data = (await res.json()) as {
    type: string
    data: { role?: string; time?: { completed?: number }; finish?: string }
  }[]
  return data.some(
    (i) =>
      i.type === "message" &&
      i.data.role === "assistant" &&
      i.data.finish === "stop" &&
      i.data.time?.completed !== undefined,
  )
}

describe("two instances on one PostgreSQL", { skip: missing ? `needs ${missing}` : false }, () => {
  let db: { url: string; drop(): Promise<void> }
  let a: ServerProcess
  let b: ServerProcess
  let llm: FakeLlm.FakeLlm
  const cleanups: (() => Promise<unknown>)[] = []

  before(async () => {
    db = await Postgres.freshDatabase()
    // Both start at once: migrations run once, under PostgreSQL's advisory lock.
    ;[a, b] = await Promise.all([
      startServerProcess({ DATABASE_URL: db.url }),
      startServerProcess({ DATABASE_URL: db.url }),
    ])
    llm = await FakeLlm.start()
  })

  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined)
    await Promise.all([a?.stop(), b?.stop()])
    await llm?.close()
    await db?.drop()
  })

  it("fans a real client's syncs out to viewers on the other instance, and unshare there ends the stream here", async () => {
    if (!client.ok) throw new Error(client.reason)
    const box = await Opencode.sandbox({ bin: client.bin, shareUrl: a.url, llmUrl: llm.url })
    cleanups.push(() => box.dispose())
    const srv = await Opencode.serve(box)
    cleanups.push(() => srv.close())
    const created = await srv.request("POST", "/session", { title: "multi-instance" })
    const sessionID = (created.json as { id: string }).id
    const shared = await srv.request("POST", `/session/${sessionID}/share`)
    const url = (shared.json as { share?: { url?: string } }).share?.url ?? ""
    assert.ok(url.startsWith(`${a.url}/share/s_`), url)
    const id = url.slice(`${a.url}/share/`.length)

    const onB = await Stream.open(`${b.url}/share/${id}/events`)
    const onA = await Stream.open(`${a.url}/share/${id}/events`)
    cleanups.push(
      async () => onB.close(),
      async () => onA.close(),
    )
    assert.equal(onB.response.status, 200)
    assert.ok(await onB.next("ready"))
    assert.ok(await onA.next("ready"))
    const seqs: number[] = []
    void (async () => {
      for (let e = await onB.next("sync"); e; e = await onB.next("sync")) seqs.push(Number(e.id))
    })()

    const prompt = await srv.request(
      "POST",
      `/session/${sessionID}/message`,
      { parts: [{ type: "text", text: "Please create file:multi.txt, run echo hi, and edit the file" }] },
      180_000,
    )
    assert.equal(prompt.status, 200)

    // Every sync the client sent lands through A; B's viewer hears them as they land, in order,
    // up to the share's final sequence number.
    const admin = new pg.Client(db.url)
    await admin.connect()
    cleanups.push(() => admin.end())
    let finalSeq = -1
    await until(
      async () => {
        const r = await admin.query("select seq::int as seq from share where id = $1", [id])
        finalSeq = r.rows[0]?.seq ?? -1
        return finalSeq > 0 &&
          seqs.at(-1) === finalSeq &&
          (await finished(await fetch(`${a.url}/api/share/${id}/data`)))
          ? true
          : undefined
      },
      {
        timeoutMs: 60_000,
        what: "B's viewer to reach the share's final seq",
        describe: () => `B saw ${seqs.join(",")}; share seq ${finalSeq}`,
      },
    )
    assert.ok(seqs.length >= 2, `B saw several updates: ${seqs.join(",")}`)
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], `in order: ${seqs.join(",")}`)

    // What B's page shows is the session the client has.
    const messages = (await srv.request("GET", `/session/${sessionID}/message`)).json as { info: { id: string } }[]
    const onBData = (await (await fetch(`${b.url}/api/share/${id}/data`)).json()) as {
      type: string
      data: { id: string }
    }[]
    for (const m of messages)
      assert.ok(
        onBData.some((i) => i.type === "message" && i.data.id === m.info.id),
        `B serves ${m.info.id}`,
      )

    // Unshare on B with the secret the client keeps; A's viewer is told and its stream ends.
    const oc = new DatabaseSync(Opencode.databasePath(box), { readOnly: true })
    const row = oc.prepare("select id, secret from session_share where session_id = ?").get(sessionID) as {
      id: string
      secret: string
    }
    oc.close()
    assert.equal(row.id, id)
    const del = await fetch(`${b.url}/api/share/${id}`, {
      method: "DELETE",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ secret: row.secret }),
    })
    assert.equal(del.status, 200)
    const removed = await onA.next("removed")
    assert.ok(removed, "A's viewer got the removed event")
    assert.equal(await onA.ended(), true)
    assert.equal((await fetch(`${a.url}/share/${id}`)).status, 410)
  })
})
