/**
 * Asks `/healthz` every --every ms until its stdin closes, then prints the latencies (ms, in
 * order asked) as JSON. It runs as a process of its own (lib.ts `healthProbe`), so what it
 * measures is the server's delay, not the load generator's busy loop. With --fsync DIR it times
 * the disk instead (lib.ts `diskProbe`): writing 4 KiB to a file in DIR and syncing it, as a
 * commit does, so a slow commit can be told from a slow server.
 *
 *   node bench/probe.ts --url http://127.0.0.1:PORT [--every 100]
 *   node bench/probe.ts --fsync DIR [--every 100]
 */
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from "node:fs"
import { join } from "node:path"
import { parseArgs } from "node:util"

const { values } = parseArgs({
  options: { url: { type: "string" }, fsync: { type: "string" }, every: { type: "string", default: "100" } },
})
if (!values.url && !values.fsync) throw new Error("--url or --fsync is required")
const every = Number(values.every)
const latencies: number[] = []
let running = true
process.stdin.on("close", () => {
  running = false
})
process.stdin.resume()

const file = values.fsync ? join(values.fsync, "fsync-probe") : ""
const fd = values.fsync ? openSync(file, "w") : -1
const page = Buffer.alloc(4096, 1)
const probe = values.fsync
  ? async () => {
      writeSync(fd, page, 0, page.length, 0)
      fdatasyncSync(fd)
    }
  : async () => {
      await (await fetch(`${values.url}/healthz`, { signal: AbortSignal.timeout(30_000) })).arrayBuffer()
    }
while (running) {
  const start = performance.now()
  try {
    await probe()
    latencies.push(performance.now() - start)
  } catch {
    // A refused or timed-out probe counts as the longest wait.
    latencies.push(Math.max(30_000, performance.now() - start))
  }
  await new Promise((r) => setTimeout(r, every))
}
if (values.fsync) {
  closeSync(fd)
  rmSync(file, { force: true })
}
// A parent that was killed (bench/viewer.ts stops its background load) reads nothing back.
process.stdout.on("error", () => {})
process.stdout.write(JSON.stringify(latencies))
