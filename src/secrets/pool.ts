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
import type { Answer, Job, PartAnswer, WireItem } from "./worker.ts"

export type ScannerOptions = {
  /** Worker threads at most. */
  size: number
  /** Longest a worker may spend on one call, in milliseconds (waiting for a free worker is not counted). */
  budgetMs: number
  /** JSON text a batch holds at most (BATCH_BYTES unless given). */
  batchBytes?: number
}

/**
 * An item the caller also holds as JSON text (`json`, the same value as `data`): the text is
 * what crosses to the worker, far cheaper than copying the object, and such calls are batched.
 */
export type Encoded = Item & { json?: string }

export type Scanner = {
  /** Secrets.scan in a worker. */
  scan(items: readonly Encoded[], options?: Options): Promise<Finding[]>
  /**
   * Secrets.redact in a worker: the same items, findings and counts, or SecretsRemain. A
   * changed item given with `json` comes back with its new `json` too.
   */
  redact<T extends Encoded>(items: readonly T[], options?: Options): Promise<Redacted<T>>
  /** Terminates the workers; calls still waiting fail. */
  close(): Promise<void>
  /** Thread ids of the workers running now (a replaced worker gets a new one). */
  threads(): number[]
  /** Calls answered and jobs sent to workers so far: fewer jobs than calls means batching. */
  stats(): { calls: number; jobs: number }
  /** Starts every worker now, so that the first syncs do not wait for one to load its rules. */
  warm(): void
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

/**
 * Calls waiting together are sent as one job, scanned in one pass (a scan has a fixed cost per
 * call), up to this many and this much JSON text; only calls whose items all come as JSON are
 * batched, since only their size is known without walking them.
 */
const BATCH_CALLS = 32
const BATCH_BYTES = 256 * 1024

type Work = {
  op: Job["op"]
  items: WireItem[]
  options: Options
  /** JSON characters, or Infinity when some item is not encoded (never batched). */
  size: number
  /** Set once a batch holding it ran out of budget: it runs on its own, with its own budget. */
  alone?: boolean
  resolve: (answer: PartAnswer) => void
  reject: (error: Error) => void
}
type Slot = { worker: Worker; ready: boolean; busy?: { id: number; works: Work[]; timer: NodeJS.Timeout } }

export function create({ size, budgetMs, batchBytes = BATCH_BYTES }: ScannerOptions): Scanner {
  const slots: Slot[] = []
  const queue: Work[] = []
  let ids = 0
  let calls = 0
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
      calls += busy.works.length
      for (const [i, work] of busy.works.entries()) {
        const part = m.ok ? m.parts[i] : undefined
        if (part) work.resolve(part)
        else work.reject(new Error(m.ok ? "the scanner answered too few parts" : m.message))
      }
      pump()
    })
    worker.on("error", (error) => {
      crash = error
    })
    worker.on("exit", () => {
      drop(slot)
      // A worker that could not even start would fail the same way again: fail the waiting calls.
      if (!slot.ready)
        for (const work of queue.splice(0)) work.reject(crash ?? new Error("a scanner worker could not start"))
      for (const work of slot.busy?.works ?? []) work.reject(crash ?? new Error("a scanner worker stopped"))
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

  /** The next job: the first call waiting, and the small calls of its kind behind it. */
  const take = (): Work[] => {
    const first = queue.shift() as Work
    const works = [first]
    if (first.alone || first.size >= batchBytes) return works
    let bytes = first.size
    for (let i = 0; i < queue.length && works.length < BATCH_CALLS; ) {
      const w = queue[i] as Work
      if (w.op === first.op && !w.alone && bytes + w.size <= batchBytes) {
        works.push(w)
        bytes += w.size
        queue.splice(i, 1)
      } else i++
    }
    return works
  }

  const dispatch = (slot: Slot, works: Work[]) => {
    const id = ++ids
    const timer = setTimeout(() => {
      // Over budget: the worker is stopped wherever it is and a new one takes its place. A lone
      // call fails now; the calls of a batch each run again on their own, so one costly call
      // cannot fail the others it was sent with.
      slot.busy = undefined
      drop(slot)
      void slot.worker.terminate()
      if (works.length === 1) (works[0] as Work).reject(new ScanTimeout(budgetMs))
      else
        queue.unshift(
          ...works.map((w) => {
            w.alone = true
            return w
          }),
        )
      if (!closed) spawn()
      pump()
    }, budgetMs)
    slot.busy = { id, works, timer }
    slot.worker.ref()
    try {
      const job: Job = {
        id,
        op: (works[0] as Work).op,
        parts: works.map((w) => ({ items: w.items, options: w.options })),
      }
      slot.worker.postMessage(job)
    } catch (error) {
      clearTimeout(timer)
      slot.busy = undefined
      for (const w of works) w.reject(error instanceof Error ? error : new Error(String(error)))
    }
  }

  const pump = () => {
    if (closed) return
    while (queue.length > 0) {
      const idle = slots.find((s) => s.ready && !s.busy)
      if (idle) {
        dispatch(idle, take())
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

  // A call starts its job once the current turn of the event loop is done: the calls of that
  // turn (the syncs of one read from the sockets, those a group commit answered) go as one job
  // even while workers are idle. A job of one sync costs about twice as much per sync as one of
  // eight (a scan's fixed cost is in secretlint), and the wait is less than a turn.
  let scheduled = false
  const soon = () => {
    if (scheduled) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      pump()
    })
  }

  // Only what scanning reads crosses to the worker: the JSON text where the caller has it.
  const wire = (items: readonly Encoded[]): { items: WireItem[]; size: number } => {
    let size = 0
    const out = items.map(({ data, json, key, type, sessionID }): WireItem => {
      if (json === undefined) {
        size = Infinity
        return { data, key, type, sessionID }
      }
      size += json.length
      return { json, key, type, sessionID }
    })
    return { items: out, size }
  }

  const submit = (op: Job["op"], items: readonly Encoded[], options: Options) =>
    new Promise<PartAnswer>((resolve, reject) => {
      if (closed) return reject(new Error("the scanner is closed"))
      queue.push({ op, ...wire(items), options, resolve, reject })
      soon()
    })

  const failed = (answer: PartAnswer & { ok: false }): Error =>
    new SecretsRemain(answer.remain.rules, answer.remain.findings)

  return {
    async scan(items, options = {}) {
      const answer = await submit("scan", items, options)
      if (!answer.ok) throw failed(answer)
      return answer.findings
    },
    async redact<T extends Encoded>(items: readonly T[], options: Options = {}): Promise<Redacted<T>> {
      const answer = await submit("redact", items, options)
      if (!answer.ok) throw failed(answer)
      const changed = new Map(answer.changed ?? [])
      return {
        items: items.map((item, i) => {
          const json = changed.get(i)
          if (json === undefined) return item
          const data: unknown = JSON.parse(json)
          return item.json === undefined ? { ...item, data } : { ...item, data, json }
        }),
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
            for (const w of slot.busy.works) w.reject(new Error("the scanner is closed"))
            slot.busy = undefined
          }
          return slot.worker.terminate()
        }),
      )
    },
    threads: () => slots.map((s) => s.worker.threadId),
    stats: () => ({ calls, jobs: ids }),
    warm() {
      while (!closed && slots.length < size) spawn()
    },
  }
}
