/**
 * Viewer benchmark, against a real `agentshare serve` process on SQLite:
 * - the share page for 40, 400 and 5,000-message shares: time to first byte (first view after a
 *   sync, which parses the share, and repeat views), gzip bytes on the wire, and those bytes
 *   against the share's raw data size (the JSON a client synced);
 * - sync-to-viewer latency with 1, 100 and 1,000 open SSE viewers: from the POST of a sync to
 *   each viewer receiving its `sync` event (and, for one viewer, to its HTML fragment);
 * - the first view of a fresh 5,000-message share idle and during 1x load (bench/load.ts at
 *   scale 1 in a child process: 500 sessions syncing once a second and 1,000 live viewers), with
 *   the slowest /healthz answer during the view (how long the server's loop was blocked).
 * Bounded: a fixed number of rounds, each with a deadline.
 *
 *   node bench/viewer.ts [--rounds 10] [--only pages|latency|first] [--sizes 40,400,5000] [--first 1]
 * `--first N` measures the first view of N fresh shares of each size (the median is printed);
 * `--only first` runs only the idle/loaded comparison (N views each way, default 3; the idle ones
 * before and after the load).
 */
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { request } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { long } from "../test/viewer/fixtures.ts"
import { Stream } from "../test/viewer/sse.ts"
import * as S from "../test/viewer/support.ts"
import { freePort } from "../test/support/net.ts"
import { fmt, machine, percentile, startServer } from "./lib.ts"

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "10" },
    only: { type: "string" },
    sizes: { type: "string", default: "40,400,5000" },
    first: { type: "string" },
  },
})
const ROUNDS = Number(values.rounds)
const SIZES = values.sizes.split(",").map(Number)
const FIRST = Math.max(1, Number(values.first ?? 1))
const SHARE_MESSAGES = 5000

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

async function gauge(metricsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${metricsUrl}/metrics`, { signal: AbortSignal.timeout(10_000) })).text()
  const m = new RegExp(`^${name} (\\S+)$`, "m").exec(text)
  return m ? Number(m[1]) : NaN
}

type FirstView = { ttfb: number; total: number; healthz: number }

/**
 * One first view, and the slowest of back-to-back /healthz requests meanwhile: how long the
 * server's loop could not answer anyone else. (prom-client's event-loop delay histogram is no
 * use here: a delay that spans its reset at each scrape is not counted.)
 */
async function firstView(url: string, id: string): Promise<FirstView> {
  let done = false
  let healthz = 0
  const probe = (async () => {
    while (!done) {
      const start = performance.now()
      await (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(30_000) })).arrayBuffer()
      healthz = Math.max(healthz, performance.now() - start)
      await new Promise((r) => setTimeout(r, 2))
    }
  })()
  await new Promise((r) => setTimeout(r, 20))
  const view = await get(`${url}/share/${id}`)
  done = true
  await probe
  if (view.status !== 200) throw new Error(`first view: HTTP ${view.status}`)
  return { ttfb: view.ttfb, total: view.total, healthz }
}

/** The load generator in its own process: the measuring process must not be the loaded one. */
function startLoad(url: string, seconds: number) {
  const script = new URL("./load.ts", import.meta.url).pathname
  const child = spawn(process.execPath, [script, "--url", url, "--scales", "1", "--seconds", String(seconds)], {
    stdio: ["ignore", "ignore", "inherit"],
  })
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}

async function firsts(url: string, metricsUrl: string) {
  const n = Math.max(1, Number(values.first ?? 3))
  console.log(`\n## First view of a fresh ${SHARE_MESSAGES}-message share, idle and during 1x load`)
  // Fresh shares, all published before the load: a warm-up, n idle before, n loaded, n idle after.
  const shares: S.Share[] = []
  for (let k = 0; k < 3 * n + 1; k++)
    shares.push(await S.publish(url, long(SHARE_MESSAGES, `ses_zzfirst${String(k).padStart(19, "0")}`), 1000))
  // The first render of the process compiles the renderers: not what a first view costs.
  await firstView(url, shares[0]!.id)
  const idle: FirstView[] = []
  for (const s of shares.slice(1, n + 1)) idle.push(await firstView(url, s.id))
  const load = startLoad(url, 40)
  const loaded: FirstView[] = []
  try {
    // Past the ramp (500 creates, 1,000 viewers connecting, 500 first syncs), into the steady state.
    const deadline = Date.now() + 25_000
    while (Date.now() < deadline && !((await gauge(metricsUrl, "agentshare_live_viewers")) >= 950))
      await new Promise((r) => setTimeout(r, 500))
    const viewers = await gauge(metricsUrl, "agentshare_live_viewers")
    await new Promise((r) => setTimeout(r, 5000))
    const before = await gauge(metricsUrl, "agentshare_syncs_total")
    const started = performance.now()
    for (const s of shares.slice(n + 1, 2 * n + 1)) {
      loaded.push(await firstView(url, s.id))
      await new Promise((r) => setTimeout(r, 1000))
    }
    const rate = ((await gauge(metricsUrl, "agentshare_syncs_total")) - before) / ((performance.now() - started) / 1000)
    console.log(`load while measuring: ${viewers} live viewers, ${fmt(rate, 0)} syncs/s accepted`)
  } finally {
    await load.stop()
  }
  await new Promise((r) => setTimeout(r, 2000))
  for (const s of shares.slice(2 * n + 1)) idle.push(await firstView(url, s.id))
  const med = (xs: FirstView[], k: keyof FirstView) =>
    percentile(
      xs.map((x) => x[k]).sort((a, b) => a - b),
      50,
    )
  const max = (xs: FirstView[], k: keyof FirstView) => Math.max(...xs.map((x) => x[k]))
  console.log("| | views | first view TTFB p50 ms | total p50 ms | each TTFB ms | slowest /healthz meanwhile ms |")
  console.log("|---|---:|---:|---:|---|---:|")
  for (const [name, xs] of [
    ["idle (before and after the load)", idle],
    ["1x load", loaded],
  ] as const)
    console.log(
      `| ${name} | ${xs.length} | ${fmt(med(xs, "ttfb"))} | ${fmt(med(xs, "total"))} | ${xs.map((x) => fmt(x.ttfb)).join(", ")} | ${fmt(max(xs, "healthz"))} |`,
    )
  console.log(`loaded / idle first view TTFB p50: ${fmt(med(loaded, "ttfb") / med(idle, "ttfb"), 2)} (target <= 1.5)`)
}

const dir = mkdtempSync(join(tmpdir(), "agentshare-bench-viewer-"))
const metricsPort = await freePort()
const server = await startServer({
  DATABASE_URL: `sqlite:${join(dir, "bench.db")}`,
  METRICS_PORT: String(metricsPort),
})
const metricsUrl = `http://127.0.0.1:${metricsPort}`
try {
  console.log(`# Viewer benchmark: ${machine()}`)
  if (values.only === "first") await firsts(server.url, metricsUrl)
  else {
    if (values.only !== "latency") await pages(server.url)
    if (values.only !== "pages") await latency(server.url)
  }
} finally {
  await server.stop()
  rmSync(dir, { recursive: true, force: true })
}
