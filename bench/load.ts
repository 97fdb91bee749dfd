/**
 * Load test (bounded, loopback only): S sessions each syncing once a second and V live SSE
 * viewers, for --seconds at each scale in --scales (1 = 500 sessions + 1,000 viewers). Prints
 * errors, sync latency p50/p99 over the whole run and in the steady state (after the first
 * STARTUP_S seconds, when every session creates, connects its viewers and makes its first sync at
 * once), /healthz latency from a separate process meanwhile, fan-out latency (sync acknowledged
 * → viewer event) p50/p99, server RSS over time, and items lost (acknowledged but not stored;
 * must be 0). On the SQLite server it starts, the database's disk is timed meanwhile (a 4 KiB
 * write and fdatasync every 100 ms): every commit waits for such an fsync.
 *
 *   npm run bench:load -- [--seconds 60] [--scales 1,2,4] [--sessions 500] [--viewers 1000] [--database postgres://…]
 *   npm run test:load     (CI: 20 s at scale 1, fails if an acknowledged item was lost)
 * `--url http://127.0.0.1:PORT` loads a server that is already running (bench/viewer.ts's
 * first-view-under-load mode runs this file as its background load) instead of starting one.
 */
import { readFileSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { diskProbe, fmt, healthProbe, machine, percentile, startServer } from "./lib.ts"

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    scales: { type: "string", default: "1,2,4" },
    sessions: { type: "string", default: "500" },
    viewers: { type: "string", default: "1000" },
    items: { type: "string", default: "4" },
    database: { type: "string" },
    url: { type: "string" },
  },
})
const SECONDS = Number(values.seconds)
const ITEMS = Number(values.items)
/** The start of a phase, left out of the steady-state figures. */
const STARTUP_S = 10

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  })

function rss(pid: number | undefined): number {
  if (pid === undefined) return NaN
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
    return m ? Number(m[1]) / 1024 : NaN
  } catch {
    return NaN
  }
}

async function phase(url: string, pid: number | undefined, sessions: number, viewers: number, disk?: string) {
  const shares = await Promise.all(
    Array.from({ length: sessions }, async (_, i) => {
      const sid = `ses_load${String(i).padStart(6, "0")}`
      const r = (await (await post(`${url}/api/share`, { sessionID: sid })).json()) as { id: string; secret: string }
      return { sid, ...r, acked: new Set<string>(), ackAt: new Map<number, number>() }
    }),
  )
  const stop = new AbortController()
  const fanout: number[] = []
  let viewerErrors = 0
  /** Why viewers were dropped, counted by message (a connect timeout, a reset, a status). */
  const dropReasons = new Map<string, number>()
  let connected = 0
  const viewerTasks = Array.from({ length: viewers }, async (_, v) => {
    const s = shares[v % shares.length]
    let connectedHere = false
    try {
      const res = await fetch(`${url}/share/${s.id}/events`, { signal: stop.signal })
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`)
      connected += 1
      connectedHere = true
      const decoder = new TextDecoder()
      let buf = ""
      for await (const chunk of res.body) {
        buf += decoder.decode(chunk, { stream: true })
        let end: number
        while ((end = buf.indexOf("\n\n")) >= 0) {
          const event = buf.slice(0, end)
          buf = buf.slice(end + 2)
          const id = /^id: (\d+)$/m.exec(event)
          if (/^event: sync$/m.test(event) && id) {
            const at = s.ackAt.get(Number(id[1]))
            if (at !== undefined) fanout.push(performance.now() - at)
          }
        }
      }
    } catch (error) {
      if (!stop.signal.aborted) {
        viewerErrors += 1
        const e = error as Error & { cause?: { code?: string; message?: string } }
        const why = `${connectedHere ? "after connecting" : "before connecting"}: ${e.cause?.code ?? e.cause?.message ?? e.message}`
        dropReasons.set(why, (dropReasons.get(why) ?? 0) + 1)
      }
    }
  })
  const latencies: number[] = []
  const steady: number[] = []
  const steadyFrom = performance.now() + STARTUP_S * 1000
  const probe = healthProbe(url)
  const fsyncs = disk === undefined ? undefined : diskProbe(disk)
  let errors = 0
  let syncs = 0
  const rssSeries: number[] = []
  const sampler = setInterval(() => rssSeries.push(rss(pid)), 5000)
  const end = Date.now() + SECONDS * 1000
  await Promise.all(
    shares.map(async (s, i) => {
      await new Promise((r) => setTimeout(r, (i * 1000) / sessions))
      let n = 0
      while (Date.now() < end) {
        const started = performance.now()
        n += 1
        const parts = Array.from({ length: ITEMS - 1 }, (_, k) => ({
          type: "part",
          data: {
            id: `prt_${String(n).padStart(6, "0")}_${k}`,
            sessionID: s.sid,
            messageID: "msg_1",
            type: "text",
            // Each session's own text: no two sessions stream the same words.
            text: `${s.sid} ${n}: ${"streamed text ".repeat(20)}`,
          },
        }))
        const data = [
          { type: "session", data: { id: s.sid, title: "load", time: { created: 1, updated: n } } },
          ...parts,
        ]
        try {
          const res = await post(`${url}/api/share/${s.id}/sync`, { secret: s.secret, data })
          const body = (await res.json()) as { seq?: number }
          if (res.ok) {
            for (const p of parts) s.acked.add(p.data.id)
            if (typeof body.seq === "number") s.ackAt.set(body.seq, performance.now())
          } else errors += 1
        } catch {
          errors += 1
        }
        syncs += 1
        const ms = performance.now() - started
        latencies.push(ms)
        if (started >= steadyFrom) steady.push(ms)
        await new Promise((r) => setTimeout(r, Math.max(0, 1000 - ms)))
      }
    }),
  )
  clearInterval(sampler)
  const health = await probe.stop()
  const synced = (await fsyncs?.stop()) ?? []
  // Let the last events arrive, then count what was lost.
  await new Promise((r) => setTimeout(r, 1000))
  stop.abort()
  await Promise.allSettled(viewerTasks)
  let lost = 0
  for (const s of shares) {
    const res = await fetch(`${url}/api/share/${s.id}/data`)
    if (!res.ok) throw new Error(`reading ${s.id} back failed: ${res.status} ${await res.text()}`)
    const items = (await res.json()) as { type: string; data: { id: string } }[]
    const stored = new Set(items.filter((i) => i.type === "part").map((i) => i.data.id))
    for (const id of s.acked) if (!stored.has(id)) lost += 1
  }
  latencies.sort((a, b) => a - b)
  steady.sort((a, b) => a - b)
  fanout.sort((a, b) => a - b)
  return {
    syncs,
    errors,
    latencies,
    steady,
    health,
    synced,
    fanout,
    viewerErrors,
    dropReasons,
    connected,
    rssSeries,
    lost,
  }
}

let lostTotal = 0
const dir = mkdtempSync(join(tmpdir(), "agentshare-load-"))
const server = values.url
  ? { url: values.url, proc: undefined, stop: async () => {} }
  : await startServer({ DATABASE_URL: values.database ?? `sqlite://${join(dir, "load.db")}`, BODY_LIMIT: "32MiB" })
try {
  console.log(
    `load test: ${SECONDS} s per scale, ${ITEMS} items per sync, ${values.database ? "PostgreSQL" : "SQLite"}; ${machine()}`,
  )
  for (const scale of values.scales!.split(",").map(Number)) {
    const sessions = Number(values.sessions) * scale
    const viewers = Number(values.viewers) * scale
    // The SQLite file's disk, timed beside the load: a commit waits for the same fsync.
    const disk = values.url || values.database ? undefined : dir
    const r = await phase(server.url, server.proc?.pid, sessions, viewers, disk)
    lostTotal += r.lost
    console.log(
      `x${scale}: ${sessions} sessions, ${viewers} viewers (${r.connected} connected, ${r.viewerErrors} dropped): ` +
        `${r.syncs} syncs (${fmt(r.syncs / SECONDS, 0)}/s), ${r.errors} errors, sync p50 ${fmt(percentile(r.latencies, 50))} ms p99 ${fmt(percentile(r.latencies, 99))} ms, ` +
        `steady state (after ${STARTUP_S} s) p50 ${fmt(percentile(r.steady, 50))} ms p99 ${fmt(percentile(r.steady, 99))} ms (target at x1 < 100), ` +
        `/healthz p50 ${fmt(percentile(r.health, 50))} ms p99 ${fmt(percentile(r.health, 99))} ms max ${fmt(r.health.at(-1) ?? NaN)} ms, ` +
        `fan-out p50 ${fmt(percentile(r.fanout, 50))} ms p99 ${fmt(percentile(r.fanout, 99))} ms (${r.fanout.length} events), ` +
        `RSS MiB ${r.rssSeries.map((x) => fmt(x, 0)).join(" → ")}, items lost ${r.lost}`,
    )
    if (r.synced.length > 0)
      console.log(
        `  the database's disk meanwhile, 4 KiB written and fdatasync'd every 100 ms: p50 ${fmt(percentile(r.synced, 50))} ms p99 ${fmt(percentile(r.synced, 99))} ms max ${fmt(r.synced.at(-1) ?? NaN)} ms, ${r.synced.filter((ms) => ms > 100).length} of ${r.synced.length} over 100 ms`,
      )
    if (r.dropReasons.size > 0)
      console.log(`  viewers dropped: ${[...r.dropReasons].map(([why, n]) => `${n} ${why}`).join("; ")}`)
  }
} finally {
  await server.stop()
  rmSync(dir, { recursive: true, force: true })
}
// An acknowledged item that was not stored is a broken guarantee, whatever the load.
if (lostTotal > 0) {
  console.error(`FAIL: ${lostTotal} acknowledged items were lost`)
  process.exitCode = 1
}
