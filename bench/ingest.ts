/**
 * Ingest benchmark: N simulated clients sync realistic batches to a real server process, first
 * paced like the stock client (one batch a second each), then as fast as each can (saturation).
 * Baseline, in the same run: raw upserts of the same items, one transaction per batch, into
 * node:sqlite (and, with --database postgres://…, raw pg). The figure that holds up on a noisy
 * machine is items per CPU-second (user + system time from /proc: the server process with all its
 * threads, plus PostgreSQL's backends where it is used), next to the wall-clock rates. While
 * ingest saturates, a separate process asks /healthz every 100 ms: a stalled loop shows there.
 *
 *   npm run bench:ingest -- [--clients 50] [--seconds 15] [--database postgres://…]
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { parseArgs } from "node:util"
import pg from "pg"
import * as Cpu from "./cpu.ts"
import { fmt, healthProbe, machine, percentile, startServer, syncLoad, type Item } from "./lib.ts"

const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "50" },
    seconds: { type: "string", default: "15" },
    database: { type: "string" },
  },
})
const CLIENTS = Number(values.clients)
const SECONDS = Number(values.seconds)
const PG = values.database

const keyOf = (item: Item) =>
  item.type === "part" ? `part/${item.data.messageID}/${item.data.id}` : `${item.type}/${item.data.id}`

/** Raw node:sqlite: the same batches upserted in one transaction each, WAL + synchronous=FULL. */
function sqliteBaseline(sent: Item[][]) {
  const dir = mkdtempSync(join(tmpdir(), "agentshare-bench-"))
  const db = new DatabaseSync(join(dir, "raw.db"))
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL")
  db.exec(
    "CREATE TABLE item (share_id TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (share_id, key)) WITHOUT ROWID",
  )
  const upsert = db.prepare(
    "INSERT INTO item (share_id, key, data) VALUES (?, ?, ?) ON CONFLICT (share_id, key) DO UPDATE SET data = excluded.data",
  )
  let items = 0
  const cpu = Cpu.self()
  const start = performance.now()
  for (const batch of sent) {
    db.exec("BEGIN")
    for (const item of batch) {
      upsert.run(item.data.sessionID ?? item.data.id, keyOf(item), JSON.stringify(item.data))
      items += 1
    }
    db.exec("COMMIT")
  }
  const seconds = (performance.now() - start) / 1000
  const cpuSeconds = Cpu.self() - cpu
  db.close()
  rmSync(dir, { recursive: true, force: true })
  return { itemsPerSec: items / seconds, itemsPerCpu: items / cpuSeconds }
}

/** Raw pg: the same batches upserted in one transaction each, on one connection; CPU = this process + the backends. */
async function pgBaseline(url: string, sent: Item[][]) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query(
    "DROP TABLE IF EXISTS bench_raw_item; CREATE TABLE bench_raw_item (share_id text NOT NULL, key text NOT NULL, data text NOT NULL, PRIMARY KEY (share_id, key))",
  )
  let items = 0
  const self = Cpu.self()
  const start = performance.now()
  const { cpu } = await Cpu.measure(Cpu.postgresPids, async () => {
    for (const batch of sent) {
      await client.query("BEGIN")
      for (const item of batch) {
        await client.query(
          "INSERT INTO bench_raw_item (share_id, key, data) VALUES ($1, $2, $3) ON CONFLICT (share_id, key) DO UPDATE SET data = excluded.data",
          [item.data.sessionID ?? item.data.id, keyOf(item), JSON.stringify(item.data)],
        )
        items += 1
      }
      await client.query("COMMIT")
    }
  })
  const seconds = (performance.now() - start) / 1000
  const cpuSeconds = cpu + (Cpu.self() - self)
  await client.query("DROP TABLE bench_raw_item")
  await client.end()
  return { itemsPerSec: items / seconds, itemsPerCpu: items / cpuSeconds }
}

const dir = mkdtempSync(join(tmpdir(), "agentshare-bench-"))
const database = PG ?? `sqlite://${join(dir, "bench.db")}`
const server = await startServer({ DATABASE_URL: database })
const pid = server.proc.pid as number
try {
  console.log(
    `ingest benchmark: ${CLIENTS} clients, ${SECONDS} s per phase, ${PG ? "PostgreSQL" : "SQLite"}; ${machine()}`,
  )
  for (const paced of [true, false]) {
    const probe = paced ? undefined : healthProbe(server.url)
    const before = Cpu.seconds(pid)
    const { value: p, cpu: pgCpu } = await Cpu.measure(PG ? Cpu.postgresPids : () => [], () =>
      syncLoad(server.url, CLIENTS, SECONDS, paced),
    )
    const serverCpu = Cpu.seconds(pid) - before + pgCpu
    const health = await probe?.stop()
    const label = paced ? "paced (1 batch/s/client)" : "saturated (back-to-back)"
    const perSec = p.items / SECONDS
    const perCpu = p.items / serverCpu
    console.log(
      `${label}: ${p.requests} syncs, ${p.errors} errors, ${fmt(perSec, 0)} items/s, sync p50 ${fmt(percentile(p.latencies, 50))} ms, p99 ${fmt(percentile(p.latencies, 99))} ms; server CPU ${fmt(serverCpu)} s${PG ? " (with PostgreSQL's)" : ""}: ${fmt(perCpu, 0)} items per CPU-second`,
    )
    if (!health) continue
    console.log(
      `/healthz while saturated: ${health.length} probes, p50 ${fmt(percentile(health, 50))} ms, p99 ${fmt(percentile(health, 99))} ms (target < 50), max ${fmt(health.at(-1) ?? NaN)} ms`,
    )
    const raw = PG ? await pgBaseline(PG, p.sent) : sqliteBaseline(p.sent)
    const name = PG ? "raw pg" : "raw node:sqlite"
    console.log(
      `baseline ${name} upserts of the same ${p.items} items, a transaction per batch: ${fmt(raw.itemsPerSec, 0)} items/s, ${fmt(raw.itemsPerCpu, 0)} items per CPU-second`,
    )
    console.log(
      `server/${name}: ${fmt(perCpu / raw.itemsPerCpu, 3)} per CPU-second (target >= 0.3), ${fmt(perSec / raw.itemsPerSec, 3)} wall-clock`,
    )
  }
} finally {
  await server.stop()
  rmSync(dir, { recursive: true, force: true })
}
