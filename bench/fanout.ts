/**
 * Fan-out benchmark on PostgreSQL (a throwaway cluster, or --database):
 * - sync-to-viewer latency with one and two instances and 1, 100 and 1,000 SSE viewers: from
 *   the POST of a sync to instance A until each viewer's `sync` event (with two instances every
 *   viewer is on B, so each event crosses PostgreSQL LISTEN/NOTIFY);
 * - ingest items/s on PostgreSQL (clients syncing back to back to one instance) against raw
 *   `pg` upserts of the same items, one transaction per batch, in the same run.
 * Bounded: --rounds per viewer count, --seconds of ingest.
 *
 *   npm run bench:fanout -- [--rounds 10] [--seconds 10] [--clients 20]
 */
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import pg from "pg"
import { Stream } from "../test/viewer/sse.ts"
import * as Postgres from "../test/support/postgres.ts"
import { fmt, machine, percentile, startServer, syncLoad, type Item } from "./lib.ts"

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "10" },
    seconds: { type: "string", default: "10" },
    clients: { type: "string", default: "20" },
    database: { type: "string" },
  },
})
const ROUNDS = Number(values.rounds)

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })

async function latency(a: string, b: string, viewers: number, label: string) {
  const sid = `ses_fanout_${label}_${viewers}`
  const share = (await (await post(`${a}/api/share`, { sessionID: sid })).json()) as { id: string; secret: string }
  await post(`${a}/api/share/${share.id}/sync`, {
    secret: share.secret,
    data: [
      { type: "session", data: { id: sid, title: "fan-out" } },
      { type: "message", data: { id: "msg_1", sessionID: sid, role: "user" } },
    ],
  })
  const streams: Stream[] = []
  for (let i = 0; i < viewers; i += 50)
    streams.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, viewers - i) }, () => Stream.open(`${b}/share/${share.id}/events`)),
      )),
    )
  await Promise.all(streams.map((s) => s.next("ready")))
  const samples: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now()
    const waits = streams.map((s) =>
      s.next("sync").then((e) => {
        if (!e) throw new Error("stream ended")
        samples.push(performance.now() - start)
      }),
    )
    await post(`${a}/api/share/${share.id}/sync`, {
      secret: share.secret,
      data: [
        {
          type: "part",
          data: {
            id: `prt_${String(r).padStart(4, "0")}`,
            sessionID: sid,
            messageID: "msg_1",
            type: "text",
            text: `update ${r}`,
          },
        },
      ],
    })
    const deadline = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("viewers did not all hear the sync within 30s")), 30_000).unref(),
    )
    await Promise.race([Promise.all(waits), deadline])
  }
  for (const s of streams) s.close()
  samples.sort((x, y) => x - y)
  console.log(
    `| ${label} | ${viewers} | ${samples.length} | ${fmt(percentile(samples, 50))} | ${fmt(percentile(samples, 99))} |`,
  )
}

/** Raw pg: the same batches upserted with one multi-row statement per batch in a transaction. */
async function baseline(url: string, sent: Item[][]): Promise<number> {
  const client = new pg.Client(url)
  await client.connect()
  await client.query(
    "create table if not exists raw_item (share_id text not null, key text not null, data text not null, primary key (share_id, key))",
  )
  let items = 0
  const start = performance.now()
  for (const batch of sent) {
    const params: string[] = []
    const rows = batch.map((item) => {
      const key = item.type === "part" ? `part/${item.data.messageID}/${item.data.id}` : `${item.type}/${item.data.id}`
      params.push(item.data.sessionID ?? item.data.id, key, JSON.stringify(item.data))
      return `($${params.length - 2}, $${params.length - 1}, $${params.length})`
    })
    // One row per key in a statement, as ON CONFLICT requires.
    const seen = new Set<string>()
    const unique: string[] = []
    const uparams: string[] = []
    rows.forEach((_, i) => {
      const k = `${params[i * 3]}|${params[i * 3 + 1]}`
      if (seen.has(k)) return
      seen.add(k)
      uparams.push(params[i * 3], params[i * 3 + 1], params[i * 3 + 2])
      unique.push(`($${uparams.length - 2}, $${uparams.length - 1}, $${uparams.length})`)
    })
    await client.query("begin")
    await client.query(
      `insert into raw_item (share_id, key, data) values ${unique.join(",")} on conflict (share_id, key) do update set data = excluded.data`,
      uparams,
    )
    await client.query("commit")
    items += batch.length
  }
  const perSec = items / ((performance.now() - start) / 1000)
  await client.end()
  return perSec
}

let cluster: string | undefined
let database = values.database
if (!database) {
  cluster = mkdtempSync(join(tmpdir(), "agentshare-bench-pg-"))
  database = (await Postgres.startCluster(cluster)).replace(/\/postgres$/, "/postgres")
}
const a = await startServer({ DATABASE_URL: database })
const b = await startServer({ DATABASE_URL: database })
try {
  console.log(`# Fan-out benchmark (PostgreSQL): ${machine()}`)
  console.log("| instances | viewers | events | p50 ms | p99 ms |")
  console.log("|---|---:|---:|---:|---:|")
  for (const viewers of [1, 100, 1000]) await latency(a.url, a.url, viewers, "one")
  for (const viewers of [1, 100, 1000]) await latency(a.url, b.url, viewers, "two")
  const seconds = Number(values.seconds)
  const load = await syncLoad(a.url, Number(values.clients), seconds, false)
  const served = load.items / seconds
  const raw = await baseline(database, load.sent)
  console.log(
    `\ningest on PostgreSQL: ${values.clients} clients back to back for ${seconds} s: ${load.requests} syncs, ${load.errors} errors, ${fmt(served, 0)} items/s, p50 ${fmt(percentile(load.latencies, 50))} ms, p99 ${fmt(percentile(load.latencies, 99))} ms`,
  )
  console.log(
    `baseline raw pg upserts of the same ${load.items} items: ${fmt(raw, 0)} items/s; server/raw = ${fmt(served / raw, 3)}`,
  )
} finally {
  await Promise.all([a.stop(), b.stop()])
  if (cluster) Postgres.stopCluster(cluster)
}
