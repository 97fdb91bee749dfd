/**
 * A scanner thread (see pool.ts): runs `scan` and `redact` for the main thread and answers with
 * plain data. A job may hold several callers' items (a batch), scanned in one pass and answered
 * each on its own. Items may come as JSON text (parsed here, off the main thread), and
 * redaction answers only the items it changed, as JSON, so unchanged data is not copied back.
 */
import { parentPort } from "node:worker_threads"
import { SecretsRemain, type Finding } from "./finding.ts"
import { redactMany, scanMany, type Group, type Item, type Options } from "./items.ts"
import * as Memo from "./memo.ts"

/** An item as it crosses to the worker: its data, or the same as JSON text. */
export type WireItem = { key?: string; type?: string; sessionID?: string; data?: unknown; json?: string }
export type Part = { items: WireItem[]; options: Options }
export type Job = { id: number; op: "scan" | "redact"; parts: Part[] }
export type PartAnswer =
  | { ok: true; findings: Finding[]; changed?: [number, string][]; counts?: number[] }
  | { ok: false; remain: { rules: string[]; findings: Finding[] } }
export type Answer = { id: number; ok: true; parts: PartAnswer[] } | { id: number; ok: false; message: string }

const port = parentPort
if (!port) throw new Error("secrets/worker.ts runs in a worker thread")

port.on("message", async (job: Job) => {
  port.postMessage(await run(job))
})
port.postMessage("ready")

/** What this thread scanned clean, so that values sent again unchanged are not scanned again. */
const memo = Memo.create()

const decoded = (items: WireItem[]): Item[] =>
  items.map((i) => (i.json === undefined ? (i as Item) : { ...i, data: JSON.parse(i.json) }))

async function run(job: Job): Promise<Answer> {
  try {
    const groups: Group[] = job.parts.map((p) => ({ items: decoded(p.items), options: p.options }))
    if (job.op === "scan") {
      const found = await scanMany(groups, memo)
      return { id: job.id, ok: true, parts: found.map((findings) => ({ ok: true, findings })) }
    }
    const results = await redactMany(groups, memo)
    const parts = results.map((r, g): PartAnswer => {
      if (r instanceof SecretsRemain) return { ok: false, remain: { rules: r.rules, findings: r.findings } }
      const sent = (groups[g] as Group).items
      const changed: [number, string][] = []
      r.items.forEach((item, i) => {
        if (item !== sent[i]) changed.push([i, JSON.stringify(item.data) ?? "null"])
      })
      return { ok: true, findings: r.findings, changed, counts: r.counts }
    })
    return { id: job.id, ok: true, parts }
  } catch (error) {
    return { id: job.id, ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}
