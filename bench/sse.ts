/**
 * Live viewers (bounded by --deadline, loopback only), in one run:
 * - the RSS (and V8 heap, after a full collection) one idle SSE viewer adds to a real
 *   `agentshare serve` process (SQLite), next to a bare node:http server that holds as many SSE
 *   connections and pings them (the baseline);
 * - one sync fanned out to N viewers of one share, next to the same sync heard by one viewer:
 *   server CPU (from /proc), heap garbage (bench/gc-probe.ts) and the time until every viewer
 *   has the `sync` event.
 *
 *   npm run bench:sse -- [--viewers 2000] [--rounds 10] [--deadline 55]
 */
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { Agent, createServer, get, type ServerResponse } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import * as Cpu from "./cpu.ts"
import { fmt, machine, percentile, startServer } from "./lib.ts"

const { values } = parseArgs({
  options: {
    viewers: { type: "string", default: "2000" },
    rounds: { type: "string", default: "10" },
    deadline: { type: "string", default: "55" },
    bare: { type: "boolean", default: false },
  },
})

/** The baseline: a node:http server that holds SSE connections and pings them, nothing more. */
function bare() {
  const open = new Set<ServerResponse>()
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" })
    res.write('event: ready\ndata: {"seq":0}\nretry: 2000\n\n')
    open.add(res)
    res.once("close", () => open.delete(res))
  })
  setInterval(() => {
    for (const res of open) res.write(": ping\n\n")
  }, 15_000)
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    console.log(typeof address === "object" && address ? address.port : 0)
  })
}

async function main() {
  const VIEWERS = Number(values.viewers)
  const ROUNDS = Number(values.rounds)
  const children: ChildProcess[] = []
  const deadline = setTimeout(() => {
    console.error(`bench:sse: deadline of ${values.deadline} s passed; stopping`)
    for (const c of children) c.kill("SIGKILL")
    process.exit(1)
  }, Number(values.deadline) * 1000)
  deadline.unref()

  // Each viewer is one socket here and one in the server (which inherits this limit).
  const limit = Number(/Max open files\s+(\d+)/.exec(readFileSync("/proc/self/limits", "utf8"))?.[1] ?? 1024)
  if (limit < VIEWERS + 256) {
    console.error(`bench:sse: ${VIEWERS} viewers need ${VIEWERS + 256} open files; raise it with ulimit -n (${limit})`)
    process.exit(2)
  }

  const dir = mkdtempSync(join(tmpdir(), "agentshare-bench-sse-"))
  const probe = fileURLToPath(new URL("./gc-probe.ts", import.meta.url))
  const probed = (name: string) => ({
    BENCH_PROBE: join(dir, `${name}.json`),
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${probe}`.trim(),
  })
  try {
    console.log(`# Live viewers benchmark: ${machine()}`)
    console.log(
      "| server | viewers | RSS before MiB | RSS after MiB | RSS per viewer KiB | heap per viewer KiB | garbage per connect KiB |",
    )
    console.log("|---|---:|---:|---:|---:|---:|---:|")

    const base = spawn(process.execPath, [fileURLToPath(import.meta.url), "--bare"], {
      env: { ...process.env, ...probed("bare") },
      stdio: ["ignore", "pipe", "inherit"],
    })
    children.push(base)
    const [line] = (await once(base.stdout, "data")) as [Buffer]
    const bareURL = `http://127.0.0.1:${Number(line.toString().trim())}`
    const bareCost = await idle(base.pid!, join(dir, "bare.json"), bareURL, "/events", VIEWERS)
    row("bare node:http SSE", VIEWERS, bareCost)
    base.kill("SIGTERM")
    await once(base, "exit")

    const server = await startServer({ DATABASE_URL: `sqlite:${join(dir, "db.sqlite")}`, ...probed("server") })
    children.push(server.proc)
    try {
      const pid = server.proc.pid!
      const many = await create(server.url, "ses_bench_sse_many")
      const one = await create(server.url, "ses_bench_sse_one")
      const cost = await idle(pid, join(dir, "server.json"), server.url, `/share/${many.id}/events`, VIEWERS)
      row("agentshare serve", VIEWERS, cost)
      console.log(
        `\nRSS per idle viewer: agentshare / bare = ${fmt(cost.rssPerViewer / bareCost.rssPerViewer, 2)} (target: at most 30 KiB: ${cost.rssPerViewer <= 30 ? "met" : "not met"})`,
      )

      console.log(
        "\n| one sync heard by | rounds | server CPU ms/sync | garbage MiB/sync | all heard p50 ms | all heard max ms |",
      )
      console.log("|---|---:|---:|---:|---:|---:|")
      const alone = await viewers(server.url, `/share/${one.id}/events`, 1)
      const single = await fanout(pid, join(dir, "server.json"), server.url, one, alone, ROUNDS)
      fanRow("1 viewer", single)
      const all = await fanout(pid, join(dir, "server.json"), server.url, many, cost.held, ROUNDS)
      fanRow(`${VIEWERS} viewers`, all)
      console.log(
        `\nper extra viewer and sync: ${fmt(((all.cpu - single.cpu) / (VIEWERS - 1)) * 1e6, 1)} µs CPU, ${fmt(((all.garbage - single.garbage) / (VIEWERS - 1)) * 1024, 2)} KiB garbage`,
      )
      for (const v of [...alone, ...cost.held]) v.close()
    } finally {
      await server.stop()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

type Viewer = { syncs: number; close(): void }
type Idle = {
  before: number
  after: number
  rssPerViewer: number
  heapPerViewer: number
  /** Bytes allocated while the viewers connected, per viewer (what each connect costs the collector). */
  connectGarbage: number
  held: Viewer[]
}

const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY })
/** Each viewer's `sync` events go here, so a round knows when the last viewer has its event. */
let heard: (() => void) | undefined

/** One SSE connection; resolves once its `ready` event arrived. */
function viewer(url: string): Promise<Viewer> {
  return new Promise((resolve, reject) => {
    const req = get(`${url}`, { agent, headers: { accept: "text/event-stream" } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode} from ${url}`))
      res.setEncoding("utf8")
      let buffer = ""
      const v: Viewer = { syncs: 0, close: () => req.destroy() }
      res.on("data", (chunk: string) => {
        buffer += chunk
        for (let i = buffer.indexOf("\n\n"); i >= 0; i = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, i)
          buffer = buffer.slice(i + 2)
          if (block.startsWith("event: ready")) resolve(v)
          else if (block.startsWith("event: sync")) {
            v.syncs += 1
            heard?.()
          }
        }
      })
      res.on("error", () => {})
    })
    req.on("error", reject)
  })
}

async function viewers(base: string, path: string, n: number): Promise<Viewer[]> {
  const out: Viewer[] = []
  for (let i = 0; i < n; i += 100)
    out.push(...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => viewer(`${base}${path}`)))))
  return out
}

function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
  return m ? Number(m[1]) : Number.NaN
}

/** RSS once it stops moving (two reads half a second apart within 0.5 %), at most 5 s. */
async function settled(pid: number): Promise<number> {
  let last = rss(pid)
  for (let i = 0; i < 10; i++) {
    await sleep(500)
    const now = rss(pid)
    if (Math.abs(now - last) <= last * 0.005) return now
    last = now
  }
  return last
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

type Probe = { n: number; allocated: number; heap: number }
/** Asks the process's gc-probe for its allocation counter and waits for the answer. */
async function probe(pid: number, file: string): Promise<Probe> {
  const seen = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Probe).n : 0
  process.kill(pid, "SIGUSR2")
  for (let i = 0; i < 200; i++) {
    await sleep(10)
    try {
      const p = JSON.parse(readFileSync(file, "utf8")) as Probe
      if (p.n > seen) return p
    } catch {
      // not written yet, or half written
    }
  }
  throw new Error("the gc probe did not answer")
}

/** RSS and heap before and after `n` idle viewers connect (after a warm-up that loads every code path). */
async function idle(pid: number, file: string, base: string, path: string, n: number): Promise<Idle> {
  for (const v of await viewers(base, path, 100)) v.close()
  const start = await probe(pid, file)
  const before = await settled(pid)
  const held = await viewers(base, path, n)
  const end = await probe(pid, file)
  const after = await settled(pid)
  return {
    before,
    after,
    rssPerViewer: (after - before) / n,
    heapPerViewer: (end.heap - start.heap) / 1024 / n,
    connectGarbage: (end.allocated - start.allocated - (end.heap - start.heap)) / 1024 / n,
    held,
  }
}

function row(name: string, n: number, c: Idle) {
  console.log(
    `| ${name} | ${n} | ${fmt(c.before / 1024)} | ${fmt(c.after / 1024)} | ${fmt(c.rssPerViewer)} | ${fmt(c.heapPerViewer)} | ${fmt(c.connectGarbage)} |`,
  )
}

type Share = { id: string; secret: string; sid: string }
const post = (url: string, body: unknown) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  })

async function create(base: string, sid: string): Promise<Share> {
  const share = (await (await post(`${base}/api/share`, { sessionID: sid })).json()) as Share
  const res = await post(`${base}/api/share/${share.id}/sync`, {
    secret: share.secret,
    data: [
      { type: "session", data: { id: sid, title: "live viewers" } },
      { type: "message", data: { id: "msg_1", sessionID: sid, role: "user" } },
    ],
  })
  if (!res.ok) throw new Error(`sync: HTTP ${res.status}`)
  return { ...share, sid }
}

type Fanout = { cpu: number; garbage: number; p50: number; max: number; rounds: number }

/** `rounds` one-part syncs to `share`, each waited for until every viewer has its event. */
async function fanout(pid: number, file: string, base: string, share: Share, held: Viewer[], rounds: number) {
  const times: number[] = []
  const start = await probe(pid, file)
  const cpu = Cpu.seconds(pid)
  for (let r = 0; r < rounds; r++) {
    let left = held.length
    const all = new Promise<void>((resolve) => {
      heard = () => {
        left -= 1
        if (left === 0) resolve()
      }
    })
    const t = performance.now()
    const res = await post(`${base}/api/share/${share.id}/sync`, {
      secret: share.secret,
      data: [
        {
          type: "part",
          data: { id: `prt_${share.sid}_${r}`, sessionID: share.sid, messageID: "msg_1", type: "text", text: `${r}` },
        },
      ],
    })
    if (!res.ok) throw new Error(`sync: HTTP ${res.status}`)
    await all
    times.push(performance.now() - t)
  }
  heard = undefined
  const used = Cpu.seconds(pid) - cpu
  const end = await probe(pid, file)
  times.sort((a, b) => a - b)
  return {
    cpu: used / rounds,
    garbage: (end.allocated - start.allocated) / 2 ** 20 / rounds,
    p50: percentile(times, 50),
    max: times[times.length - 1],
    rounds,
  } satisfies Fanout
}

function fanRow(name: string, f: Fanout) {
  console.log(`| ${name} | ${f.rounds} | ${fmt(f.cpu * 1000)} | ${fmt(f.garbage, 2)} | ${fmt(f.p50)} | ${fmt(f.max)} |`)
}

if (values.bare) bare()
else await main()
