/**
 * Scanning off the main thread: a pool of worker threads (worker.ts) that run `scan` and
 * `redact` with the same contract as the in-process functions, so a costly payload never holds
 * up another request. Every call has a time budget: a worker still busy when it runs out is
 * terminated and replaced, and the call fails with ScanTimeout. Workers start when work
 * arrives, up to `size`, and a worker that has nothing to do does not keep the process alive.
 *
 * ```ts
 * const scanner = Secrets.scanner({ size: 2, budgetMs: 10_000 })
 * const { items, findings } = await scanner.redact(syncItems)   // or ScanTimeout, SecretsRemain
 * await scanner.close()
 * ```
 */
import { Worker } from "node:worker_threads"
import { SecretsRemain, type Finding } from "./finding.ts"
import type { Item, Options, Redacted } from "./items.ts"
import type { Answer, Job } from "./worker.ts"

export type ScannerOptions = {
  /** Worker threads at most. */
  size: number
  /** Longest a worker may spend on one call, in milliseconds (waiting for a free worker is not counted). */
  budgetMs: number
}

export type Scanner = {
  /** Secrets.scan in a worker. */
  scan(items: readonly Item[], options?: Options): Promise<Finding[]>
  /** Secrets.redact in a worker: the same items, findings and counts, or SecretsRemain. */
  redact<T extends Item>(items: readonly T[], options?: Options): Promise<Redacted<T>>
  /** Terminates the workers; calls still waiting fail. */
  close(): Promise<void>
  /** Thread ids of the workers running now (a replaced worker gets a new one). */
  threads(): number[]
}

/** A call that did not finish within the budget; its worker was terminated. */
export class ScanTimeout extends Error {
  readonly budgetMs: number
  constructor(budgetMs: number) {
    super(`scanning took longer than its budget of ${budgetMs} ms`)
    this.name = "ScanTimeout"
    this.budgetMs = budgetMs
  }
}

type Work = { job: Omit<Job, "id">; resolve: (answer: Answer) => void; reject: (error: Error) => void }
type Slot = { worker: Worker; ready: boolean; busy?: { id: number; work: Work; timer: NodeJS.Timeout } }

export function create({ size, budgetMs }: ScannerOptions): Scanner {
  const slots: Slot[] = []
  const queue: Work[] = []
  let ids = 0
  let closed = false

  const spawn = () => {
    const worker = new Worker(new URL("./worker.ts", import.meta.url))
    const slot: Slot = { worker, ready: false }
    worker.unref()
    let crash: Error | undefined
    worker.on("message", (m: "ready" | Answer) => {
      if (m === "ready") {
        slot.ready = true
        return pump()
      }
      const busy = slot.busy
      if (!busy || busy.id !== m.id) return
      clearTimeout(busy.timer)
      slot.busy = undefined
      worker.unref()
      busy.work.resolve(m)
      pump()
    })
    worker.on("error", (error) => (crash = error))
    worker.on("exit", () => {
      drop(slot)
      // A worker that could not even start would fail the same way again: fail the waiting calls.
      if (!slot.ready)
        for (const work of queue.splice(0)) work.reject(crash ?? new Error("a scanner worker could not start"))
      slot.busy?.work.reject(crash ?? new Error("a scanner worker stopped"))
      if (slot.busy) clearTimeout(slot.busy.timer)
      slot.busy = undefined
      pump()
    })
    slots.push(slot)
  }

  const drop = (slot: Slot) => {
    const at = slots.indexOf(slot)
    if (at !== -1) slots.splice(at, 1)
  }

  const dispatch = (slot: Slot, work: Work) => {
    const id = ++ids
    const timer = setTimeout(() => {
      // Over budget: the call fails now, the worker is stopped wherever it is, a new one takes its place.
      slot.busy = undefined
      drop(slot)
      void slot.worker.terminate()
      work.reject(new ScanTimeout(budgetMs))
      if (!closed) spawn()
      pump()
    }, budgetMs)
    slot.busy = { id, work, timer }
    slot.worker.ref()
    try {
      slot.worker.postMessage({ id, ...work.job })
    } catch (error) {
      clearTimeout(timer)
      slot.busy = undefined
      work.reject(error instanceof Error ? error : new Error(String(error)))
    }
  }

  const pump = () => {
    if (closed) return
    while (queue.length > 0) {
      const idle = slots.find((s) => s.ready && !s.busy)
      if (idle) {
        dispatch(idle, queue.shift() as Work)
        continue
      }
      const starting = slots.filter((s) => !s.ready).length
      if (slots.length < size && starting < queue.length) {
        spawn()
        continue
      }
      return
    }
  }

  const submit = (job: Work["job"]) =>
    new Promise<Answer>((resolve, reject) => {
      if (closed) return reject(new Error("the scanner is closed"))
      queue.push({ job, resolve, reject })
      pump()
    })

  // Only what scanning reads crosses to the worker.
  const plain = (items: readonly Item[]): Item[] =>
    items.map(({ data, key, type, sessionID }) => ({ data, key, type, sessionID }))

  const failed = (answer: Answer & { ok: false }): Error =>
    answer.remain
      ? new SecretsRemain(answer.remain.rules, answer.remain.findings)
      : new Error(answer.message ?? "scanning failed")

  return {
    async scan(items, options = {}) {
      const answer = await submit({ op: "scan", items: plain(items), options })
      if (!answer.ok) throw failed(answer)
      return answer.findings
    },
    async redact<T extends Item>(items: readonly T[], options: Options = {}): Promise<Redacted<T>> {
      const answer = await submit({ op: "redact", items: plain(items), options })
      if (!answer.ok) throw failed(answer)
      const changed = new Map(answer.changed ?? [])
      return {
        items: items.map((item, i) => (changed.has(i) ? { ...item, data: changed.get(i) } : item)),
        findings: answer.findings,
        counts: answer.counts ?? items.map(() => 0),
      }
    },
    async close() {
      closed = true
      for (const work of queue.splice(0)) work.reject(new Error("the scanner is closed"))
      await Promise.all(
        slots.splice(0).map((slot) => {
          if (slot.busy) {
            clearTimeout(slot.busy.timer)
            slot.busy.work.reject(new Error("the scanner is closed"))
            slot.busy = undefined
          }
          return slot.worker.terminate()
        }),
      )
    },
    threads: () => slots.map((s) => s.worker.threadId),
  }
}
