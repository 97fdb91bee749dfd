/**
 * Viewer benchmark, against a real `agentshare serve` process on SQLite:
 * - the share page for 40, 400 and 5,000-message shares: time to first byte (first view after a
 *   sync, which parses the share, and repeat views), gzip bytes on the wire, and those bytes
 *   against the share's raw data size (the JSON a client synced);
 * - sync-to-viewer latency with 1, 100 and 1,000 open SSE viewers: from the POST of a sync to
 *   each viewer receiving its `sync` event (and, for one viewer, to its HTML fragment).
 * Bounded: a fixed number of rounds, each with a deadline.
 *
 *   node bench/viewer.ts [--rounds 10] [--only pages|latency] [--sizes 40,400,5000] [--first 1]
 * `--first N` measures the first view of N fresh shares of each size (the median is printed).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { request } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { long } from "../test/viewer/fixtures.ts"
import { Stream } from "../test/viewer/sse.ts"
import * as S from "../test/viewer/support.ts"
import { fmt, machine, percentile, startServer } from "./lib.ts"

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "10" },
    only: { type: "string" },
    sizes: { type: "string", default: "40,400,5000" },
    first: { type: "string", default: "1" },
  },
})
const ROUNDS = Number(values.rounds)
const SIZES = values.sizes.split(",").map(Number)
const FIRST = Math.max(1, Number(values.first))

/** One GET with gzip: ms to the first body byte, ms to the end, and bytes on the wire. */
function get(url: string): Promise<{ ttfb: number; total: number; bytes: number; status: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now()
    let ttfb = 0
    let bytes = 0
    const req = request(url, { headers: { "accept-encoding": "gzip", accept: "text/html" } }, (res) => {
      res.on("data", (chunk: Buffer) => {
        if (bytes === 0) ttfb = performance.now() - start
        bytes += chunk.length
      })
      res.on("end", () => resolve({ ttfb, total: performance.now() - start, bytes, status: res.statusCode ?? 0 }))
    })
    req.setTimeout(60_000, () => req.destroy(new Error("timeout")))
    req.on("error", reject)
    req.end()
  })
}

async function pages(url: string) {
  console.log("\n## Page: time to first byte and bytes sent (gzip)")
  console.log(
    "| messages | turns shown | first view TTFB ms | repeat TTFB p50 ms | repeat total p50 ms | after a 1-part sync TTFB p50 ms | bytes sent | raw data bytes | sent/raw |",
  )
  console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
  for (const n of SIZES) {
    const items = long(n, `ses_zzbench${String(n).padStart(18, "0")}`)
    const raw = Buffer.byteLength(JSON.stringify(items))
    const firsts: { ttfb: number; bytes: number }[] = []
    let share: S.Share | undefined
    for (let k = 0; k < FIRST; k++) {
      share = await S.publish(url, items, 1000)
      firsts.push(await get(`${url}/share/${share.id}`))
    }
    firsts.sort((a, b) => a.ttfb - b.ttfb)
    const first = firsts[Math.floor(firsts.length / 2)]
    const page = `${url}/share/${share!.id}`
    const repeat: { ttfb: number; total: number; bytes: number }[] = []
    for (let i = 0; i < ROUNDS * 2; i++) repeat.push(await get(page))
    // A view after a small sync merges just the changed items into the parsed share.
    const synced: number[] = []
    for (let i = 0; i < ROUNDS; i++) {
      const last = items.at(-1)!.data as { messageID: string; sessionID: string }
      await S.sync(url, share!, [
        {
          type: "part",
          data: {
            id: `prt_zzz${i}`,
            messageID: last.messageID,
            sessionID: last.sessionID,
            type: "text",
            text: `more ${i}`,
            time: { start: 1, end: 2 },
          },
        },
      ])
      synced.push((await get(page)).ttfb)
    }
    synced.sort((a, b) => a - b)
    const ttfb = repeat.map((r) => r.ttfb).sort((a, b) => a - b)
    const total = repeat.map((r) => r.total).sort((a, b) => a - b)
    console.log(
      `| ${n} | ${Math.min(30, n / 2)} | ${fmt(first.ttfb)} | ${fmt(percentile(ttfb, 50))} | ${fmt(percentile(total, 50))} | ${fmt(percentile(synced, 50))} | ${first.bytes} | ${raw} | ${fmt(first.bytes / raw, 3)} |`,
    )
  }
}

async function latency(url: string) {
  console.log("\n## Sync-to-viewer latency (POST /sync until each viewer's `sync` event)")
  console.log("| viewers | events | p50 ms | p99 ms | max ms | one viewer to fragment p50 ms |")
  console.log("|---:|---:|---:|---:|---:|---:|")
  const root = "ses_zzbenchlive000000000000000"
  for (const viewers of [1, 100, 1000]) {
    const share = await S.publish(url, long(400, `${root}${viewers}`))
    const streams: Stream[] = []
    for (let i = 0; i < viewers; i += 50) {
      streams.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(50, viewers - i) }, () => Stream.open(`${url}/share/${share.id}/events`)),
        )),
      )
    }
    await Promise.all(streams.map((s) => s.next("ready")))
    const samples: number[] = []
    const fragments: number[] = []
    for (let r = 0; r < ROUNDS; r++) {
      const item = {
        type: "part",
        data: {
          id: `prt_zzbench${String(r).padStart(4, "0")}`,
          messageID: "msg_000199b",
          sessionID: `${root}${viewers}`,
          type: "text",
          text: `live update ${r}`,
          time: { start: 1, end: 2 },
        },
      }
      const start = performance.now()
      const waits = streams.map((s) =>
        s.next("sync").then((e) => {
          if (!e) throw new Error("stream ended")
          samples.push(performance.now() - start)
          return e
        }),
      )
      await S.sync(url, share, [item])
      const deadline = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("viewers did not all hear the sync within 30s")), 30_000).unref(),
      )
      const [event] = await Promise.race([Promise.all(waits), deadline])
      const turns = (JSON.parse(event.data) as { turns: string[] }).turns
      const q = new URLSearchParams(turns.map((t) => ["turn", t]))
      await (await fetch(`${url}/share/${share.id}/fragment?${q}`)).text()
      fragments.push(performance.now() - start)
    }
    for (const s of streams) s.close()
    samples.sort((a, b) => a - b)
    fragments.sort((a, b) => a - b)
    console.log(
      `| ${viewers} | ${samples.length} | ${fmt(percentile(samples, 50))} | ${fmt(percentile(samples, 99))} | ${fmt(samples.at(-1) ?? NaN)} | ${fmt(percentile(fragments, 50))} |`,
    )
  }
}

const dir = mkdtempSync(join(tmpdir(), "agentshare-bench-viewer-"))
const server = await startServer({ DATABASE_URL: `sqlite:${join(dir, "bench.db")}` })
try {
  console.log(`# Viewer benchmark: ${machine()}`)
  if (values.only !== "latency") await pages(server.url)
  if (values.only !== "pages") await latency(server.url)
} finally {
  await server.stop()
  rmSync(dir, { recursive: true, force: true })
}
