/**
 * Asks `/healthz` every --every ms until its stdin closes, then prints the latencies (ms, in
 * order asked) as JSON. It runs as a process of its own (lib.ts `healthProbe`), so what it
 * measures is the server's delay, not the load generator's busy loop.
 *
 *   node bench/probe.ts --url http://127.0.0.1:PORT [--every 100]
 */
import { parseArgs } from "node:util"

const { values } = parseArgs({ options: { url: { type: "string" }, every: { type: "string", default: "100" } } })
if (!values.url) throw new Error("--url is required")
const url = `${values.url}/healthz`
const every = Number(values.every)
const latencies: number[] = []
let running = true
process.stdin.on("close", () => {
  running = false
})
process.stdin.resume()
while (running) {
  const start = performance.now()
  try {
    await (await fetch(url, { signal: AbortSignal.timeout(30_000) })).arrayBuffer()
    latencies.push(performance.now() - start)
  } catch {
    // A refused or timed-out probe counts as the longest wait.
    latencies.push(Math.max(30_000, performance.now() - start))
  }
  await new Promise((r) => setTimeout(r, every))
}
// A parent that was killed (bench/viewer.ts stops its background load) reads nothing back.
process.stdout.on("error", () => {})
process.stdout.write(JSON.stringify(latencies))
