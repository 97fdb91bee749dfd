/**
 * A scanner thread (see pool.ts): runs `scan` and `redact` for the main thread and answers with
 * plain data. Redaction answers only the items it changed, so unchanged data is not copied back.
 */
import { parentPort } from "node:worker_threads"
import { SecretsRemain, type Finding } from "./finding.ts"
import { redact, scan, type Item, type Options } from "./items.ts"

export type Job = { id: number; op: "scan" | "redact"; items: Item[]; options: Options }
export type Answer =
  | { id: number; ok: true; findings: Finding[]; changed?: [number, unknown][]; counts?: number[] }
  | { id: number; ok: false; remain?: { rules: string[]; findings: Finding[] }; message?: string }

const port = parentPort
if (!port) throw new Error("secrets/worker.ts runs in a worker thread")

port.on("message", async (job: Job) => {
  port.postMessage(await run(job))
})
port.postMessage("ready")

async function run(job: Job): Promise<Answer> {
  try {
    if (job.op === "scan") return { id: job.id, ok: true, findings: await scan(job.items, job.options) }
    const r = await redact(job.items, job.options)
    const changed: [number, unknown][] = []
    r.items.forEach((item, i) => {
      if (item !== job.items[i]) changed.push([i, item.data])
    })
    return { id: job.id, ok: true, findings: r.findings, changed, counts: r.counts }
  } catch (error) {
    if (error instanceof SecretsRemain)
      return { id: job.id, ok: false, remain: { rules: error.rules, findings: error.findings } }
    return { id: job.id, ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}
