/**
 * Crash durability: many clients sync while the server is SIGKILLed at random moments and
 * restarted; afterwards every key holds its last acknowledged value or a newer one that was
 * sent (a sync can commit and then lose its response), never an older one, on every backend.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { backends, type Opened } from "../support/backends.ts"
import { startServerProcess, type ServerProcess } from "../support/server-process.ts"

const CLIENTS = 8
const KILLS = 5
const KEYS = 4

type Client = { sid: string; id: string; secret: string; acked: number[]; sent: number[] }

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  })
}

/** Key k of a session at version v: a streaming text part whose rank grows with v. */
const item = (sid: string, k: number, v: number) => ({
  type: "part",
  data: { id: `prt_${k}`, sessionID: sid, messageID: "msg_1", type: "text", text: "v".repeat(v), v },
})

const variants = backends.flatMap((backend) =>
  backend.name === "sqlite"
    ? (["full", "normal"] as const).map((sync) => ({
        backend,
        label: `sqlite, synchronous=${sync}`,
        env: { SQLITE_SYNCHRONOUS: sync },
      }))
    : [{ backend, label: backend.name, env: {} as Record<string, string> }],
)

for (const { backend, label, env } of variants) {
  describe(`crash durability (${label})`, () => {
    let opened: Opened
    before(async () => {
      opened = await backend.open()
      // The server processes open the database themselves.
      await opened.store.close()
    })
    after(async () => {
      await opened.cleanup().catch(() => {})
    })

    it("keeps every acknowledged sync across repeated SIGKILLs", async () => {
      let server: ServerProcess = await startServerProcess({ DATABASE_URL: opened.url, ...env })
      const port = server.port
      const clients: Client[] = []
      for (let i = 0; i < CLIENTS; i++) {
        const sid = `ses_crash${i}`
        const res = await post(`${server.url}/api/share`, { sessionID: sid })
        const { id, secret } = (await res.json()) as { id: string; secret: string }
        clients.push({ sid, id, secret, acked: Array(KEYS).fill(0), sent: Array(KEYS).fill(0) })
      }
      let running = true
      let acks = 0
      let failures = 0
      const loops = clients.map(async (c, ci) => {
        let v = 0
        while (running) {
          v += 1
          const keys = [v % KEYS, (v + ci) % KEYS]
          for (const k of keys) c.sent[k] = v
          try {
            const res = await post(`http://127.0.0.1:${port}/api/share/${c.id}/sync`, {
              secret: c.secret,
              data: keys.map((k) => item(c.sid, k, v)),
            })
            await res.arrayBuffer()
            if (res.ok) {
              for (const k of keys) c.acked[k] = v
              acks += 1
            } else failures += 1
          } catch {
            failures += 1
            await new Promise((r) => setTimeout(r, 20))
          }
        }
      })
      for (let kill = 0; kill < KILLS; kill++) {
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 700))
        await server.kill()
        server = await startServerProcess({ DATABASE_URL: opened.url, ...env }, port)
      }
      // On a loaded machine restarts are slow: run on until enough syncs were acknowledged to
      // mean something, within a bound.
      const deadline = Date.now() + 30_000
      do await new Promise((r) => setTimeout(r, 300))
      while (acks <= CLIENTS * KILLS * 2 && Date.now() < deadline)
      running = false
      await Promise.all(loops)
      try {
        assert.ok(acks > CLIENTS * KILLS, `enough syncs were acknowledged to mean something (${acks})`)
        console.log(
          `# ${label}: ${acks} syncs acknowledged, ${failures} failed while the server was down, ${KILLS} kills`,
        )
        for (const c of clients) {
          const data = (await (await fetch(`${server.url}/api/share/${c.id}/data`)).json()) as {
            type: string
            data: { id: string; v: number }
          }[]
          for (let k = 0; k < KEYS; k++) {
            const stored = data.find((d) => d.type === "part" && d.data.id === `prt_${k}`)?.data.v ?? 0
            assert.ok(
              stored >= c.acked[k],
              `${c.id} prt_${k}: stored v${stored} is at least the acknowledged v${c.acked[k]}`,
            )
            assert.ok(stored <= c.sent[k], `${c.id} prt_${k}: stored v${stored} was sent (last sent v${c.sent[k]})`)
          }
        }
      } finally {
        await server.stop()
      }
    })
  })
}
