/**
 * Ingest benchmark: N simulated clients sync realistic batches to a real server process, first
 * paced like the stock client (one batch a second each), then as fast as each can (saturation).
 * Baseline, in the same run: raw node:sqlite upserts of the same items in transactions of the
 * same size. Prints items/s, p50/p99 latency and the ratio. Bounded: --seconds per phase.
 *
 *   npm run bench:ingest -- [--clients 50] [--seconds 15]
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { parseArgs } from "node:util"
import { fmt, machine, percentile, startServer, syncLoad, type Item } from "./lib.ts"

const { values } = parseArgs({ options: { clients: { type: "string", default: "50" }, seconds: { type: "string", default: "15" } } })
const CLIENTS = Number(values.clients)
const SECONDS = Number(values.seconds)

/** Raw node:sqlite: the same batches upserted in one transaction each, WAL + synchronous=FULL. */
function baseline(sent: Item[][]): { itemsPerSec: number } {
  const dir = mkdtempSync(join(tmpdir(), "agentshare-bench-"))
  const db = new DatabaseSync(join(dir, "raw.db"))
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL")
  db.exec("CREATE TABLE item (share_id TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (share_id, key)) WITHOUT ROWID")
  const upsert = db.prepare("INSERT INTO item (share_id, key, data) VALUES (?, ?, ?) ON CONFLICT (share_id, key) DO UPDATE SET data = excluded.data")
  let items = 0
  const start = performance.now()
  for (const batch of sent) {
    db.exec("BEGIN")
    for (const item of batch) {
      const key = item.type === "part" ? `part/${item.data.messageID}/${item.data.id}` : `${item.type}/${item.data.id}`
      upsert.run(item.data.sessionID ?? item.data.id, key, JSON.stringify(item.data))
      items += 1
    }
    db.exec("COMMIT")
  }
  const seconds = (performance.now() - start) / 1000
  db.close()
  rmSync(dir, { recursive: true, force: true })
  return { itemsPerSec: items / seconds }
}

const dir = mkdtempSync(join(tmpdir(), "agentshare-bench-"))
const server = await startServer({ DATABASE_URL: `sqlite://${join(dir, "bench.db")}` })
try {
  console.log(`ingest benchmark: ${CLIENTS} clients, ${SECONDS} s per phase, SQLite; ${machine()}`)
  for (const paced of [true, false]) {
    const p = await syncLoad(server.url, CLIENTS, SECONDS, paced)
    const label = paced ? "paced (1 batch/s/client)" : "saturated (back-to-back)"
    const perSec = p.items / SECONDS
    console.log(`${label}: ${p.requests} syncs, ${p.errors} errors, ${fmt(perSec, 0)} items/s, sync latency p50 ${fmt(percentile(p.latencies, 50))} ms, p99 ${fmt(percentile(p.latencies, 99))} ms`)
    if (!paced) {
      const raw = baseline(p.sent)
      console.log(`baseline raw node:sqlite upserts of the same ${p.items} items: ${fmt(raw.itemsPerSec, 0)} items/s; server/raw = ${fmt(perSec / raw.itemsPerSec, 3)}`)
    }
  }
} finally {
  await server.stop()
  rmSync(dir, { recursive: true, force: true })
}
