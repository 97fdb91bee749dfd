/** Shared pieces of the benchmarks: realistic sync batches, percentiles, a server process. */
import { spawn, type ChildProcess } from "node:child_process"
import { readFileSync } from "node:fs"
import { cpus, totalmem } from "node:os"
import { fileURLToPath } from "node:url"
import { freePort } from "../test/support/net.ts"

export type Item = { type: string; data: any }

const FIXTURE = fileURLToPath(new URL("../test/fixtures/captured/share-data-response.json", import.meta.url))

/** The merged items of a real share captured from OpenCode 1.18.33. */
export function fixture(): Item[] {
  return JSON.parse(readFileSync(FIXTURE, "utf8")) as Item[]
}

/** Strings of this length or longer are made a session's own by `own`. */
const OWN_MIN = 16

/**
 * `value` with every longer string that is not an id made its own by `tag`: two sessions never
 * hold the same text, so no two clients or passes send the same values (only a session's own
 * re-sends repeat one, as real ones do).
 */
function own(value: unknown, tag: string, key = ""): unknown {
  if (typeof value === "string") return value.length >= OWN_MIN && !/(^id|ID)$/.test(key) ? `${value} ${tag}` : value
  if (Array.isArray(value)) return value.map((v) => own(v, tag))
  if (typeof value !== "object" || value === null) return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, own(v, tag, k)]))
}

/**
 * An endless stream of sync batches for one simulated session, shaped like the stock client's:
 * the session item plus the next few messages and parts (each part re-sent once, as streaming
 * updates do), with fresh ids and text on every pass so the share keeps growing.
 */
export function* batches(client: number, perBatch = 16): Generator<Item[]> {
  const items = fixture()
  const sid = `ses_bench${String(client).padStart(6, "0")}`
  const body = items.filter((i) => i.type === "message" || i.type === "part")
  const session = own(items[0]?.data, `[${sid}]`) as Record<string, unknown>
  let pass = 0
  let updated = 1
  for (;;) {
    for (let i = 0; i < body.length; i += perBatch / 2) {
      const slice = body.slice(i, i + perBatch / 2).map((it) => {
        const data = own(it.data, `[${sid} ${pass}]`) as Record<string, any>
        data.sessionID = sid
        data.id = `${data.id}${pass}`
        if (data.messageID) data.messageID = `${data.messageID}${pass}`
        return { type: it.type, data }
      })
      // Streaming: parts are sent twice, the second time finished.
      const again = slice
        .filter((s) => s.type === "part")
        .map((s) => ({ type: s.type, data: { ...s.data, time: { start: 1, end: 2 } } }))
      yield [
        { type: "session", data: { ...session, id: sid, time: { created: 1, updated: updated++ } } },
        ...slice,
        ...again,
      ]
    }
    pass += 1
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits)

export function machine(): string {
  return `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`
}

/** Starts `agentshare serve` in its own process so the load generator does not share its loop. */
export async function startServer(
  env: Record<string, string>,
): Promise<{ url: string; proc: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort()
  const main = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url))
  const proc = spawn(process.execPath, [main, "serve"], {
    // Benchmarks measure capacity from one address: per-IP rate limits would only measure themselves.
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
      RATE_LIMIT_CREATE: "off",
      RATE_LIMIT_SYNC: "off",
      MAX_STREAMS_PER_ADDRESS: "100000",
      ...env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 15_000
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break
    } catch {}
    if (Date.now() > deadline) throw new Error("server did not start")
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    proc,
    stop: () =>
      new Promise((resolve) => {
        proc.once("exit", () => resolve())
        proc.kill("SIGTERM")
        setTimeout(() => proc.kill("SIGKILL"), 5000).unref()
      }),
  }
}

/**
 * `/healthz` asked every `everyMs` from a process of its own (bench/probe.ts) until `stop`, which
 * answers the latencies, sorted.
 */
export function healthProbe(url: string, everyMs = 100): { stop(): Promise<number[]> } {
  return probe(["--url", url, "--every", String(everyMs)])
}

/** A 4 KiB write and fdatasync in `dir` every `everyMs` (bench/probe.ts --fsync), until `stop`. */
export function diskProbe(dir: string, everyMs = 100): { stop(): Promise<number[]> } {
  return probe(["--fsync", dir, "--every", String(everyMs)])
}

function probe(args: string[]): { stop(): Promise<number[]> } {
  const proc = spawn(process.execPath, [fileURLToPath(new URL("./probe.ts", import.meta.url)), ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  })
  let out = ""
  proc.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk
  })
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()))
  return {
    async stop() {
      proc.stdin?.end()
      await exited
      return (JSON.parse(out || "[]") as number[]).sort((a, b) => a - b)
    },
  }
}

export type Phase = { items: number; requests: number; errors: number; latencies: number[]; sent: Item[][] }

/** N clients create a share each and sync batches for `seconds`: paced (one a second each, like
 * the stock client) or back to back. Returns what was sent and how long each sync took. */
export async function syncLoad(url: string, clients: number, seconds: number, paced: boolean): Promise<Phase> {
  const phase: Phase = { items: 0, requests: 0, errors: 0, latencies: [], sent: [] }
  const shares = await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const res = await fetch(`${url}/api/share`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sessionID: `ses_bench${String(i).padStart(6, "0")}` }),
      })
      return (await res.json()) as { id: string; secret: string }
    }),
  )
  const end = Date.now() + seconds * 1000
  await Promise.all(
    shares.map(async (share, i) => {
      const gen = batches(i + (paced ? 0 : 10_000))
      // Spread the paced clients over the second, as independent users would be.
      if (paced) await new Promise((r) => setTimeout(r, (i * 1000) / clients))
      while (Date.now() < end) {
        const started = performance.now()
        const data = gen.next().value as Item[]
        try {
          const res = await fetch(`${url}/api/share/${share.id}/sync`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ secret: share.secret, data }),
          })
          await res.arrayBuffer()
          if (res.ok) {
            phase.items += data.length
            phase.sent.push(data)
          } else phase.errors += 1
        } catch {
          phase.errors += 1
        }
        phase.requests += 1
        const ms = performance.now() - started
        phase.latencies.push(ms)
        if (paced) await new Promise((r) => setTimeout(r, Math.max(0, 1000 - ms)))
      }
    }),
  )
  phase.latencies.sort((a, b) => a - b)
  return phase
}
