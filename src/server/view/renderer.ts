/**
 * The main thread's side of the render thread (render-thread.ts): each request is a message,
 * answered with what the thread rendered. The thread starts at the first request and does not
 * keep the process alive while nothing is asked of it. One that stops (a crash, or an answer
 * later than RENDER_TIMEOUT_MS, when it is stopped) fails its requests in flight with
 * `render_unavailable`, forgets what it held (`reset`), and is started again at the next one.
 */
import { Worker } from "node:worker_threads"
import type { ShareRecord } from "../../store/index.ts"
import { renderUnavailable } from "../errors.ts"
import type { Op, Ops } from "./render-ops.ts"
import type { Answer, Ask, Evict, Held } from "./render-thread.ts"

/** A page of the longest share takes well under a second: past this the thread is stuck. */
const RENDER_TIMEOUT_MS = 30_000

export type Answered<K extends Op> = Extract<Answer, { ok: true }> & { output: Ops[K]["output"] }

export type Renderer = {
  ask<K extends Op>(
    op: K,
    source: ShareRecord,
    input: Ops[K]["input"],
    generation: number,
    known: number,
  ): Promise<Answered<K>>
  /** Tells the thread to forget a share (it does so before any request sent after this). */
  evict(shareID: string): void
  /** The shares the thread holds (tests and diagnostics). */
  held(): Promise<string[]>
  /** Requests sent and not yet answered (tests and diagnostics). */
  busy(): number
  /** Stops the thread at once, as a crash would (tests). */
  kill(): Promise<void>
  /** Starts the thread now, so that the first view does not wait for it to load. */
  warm(): void
  close(): Promise<void>
}

export type RendererOptions = {
  databaseUrl: string
  /** The main thread's count of evictions: a thread that starts counts from it. */
  evictions: () => number
  /** Called when a thread stopped, with everything it held. */
  reset: () => void
}

type Reply = Answer | { id: number; held: string[] }
type Pending = { resolve: (a: Reply) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout }
/** A running thread, and what its requests in flight are told if it stops. */
type Thread = { w: Worker; why: string }

export function create(options: RendererOptions): Renderer {
  let worker: Thread | undefined
  let closed = false
  let ids = 0
  let starts = 0
  const pending = new Map<number, Pending>()

  const start = (): Thread => {
    // Versions of a thread started again never repeat an earlier thread's.
    const w = new Worker(new URL("./render-thread.ts", import.meta.url), {
      workerData: { databaseUrl: options.databaseUrl, evictions: options.evictions(), versions: starts++ * 2 ** 32 },
    })
    w.unref()
    const thread: Thread = { w, why: "stopped" }
    w.on("message", (m: Reply | "closed") => {
      if (m === "closed") return
      const p = pending.get(m.id)
      if (!p) return
      pending.delete(m.id)
      clearTimeout(p.timer)
      if (pending.size === 0) w.unref()
      p.resolve(m)
    })
    w.on("error", () => {
      thread.why = "crashed"
    })
    w.once("exit", () => {
      if (worker === thread) worker = undefined
      const error = renderUnavailable(thread.why)
      for (const p of pending.values()) {
        clearTimeout(p.timer)
        p.reject(error)
      }
      pending.clear()
      options.reset()
    })
    return thread
  }

  const send = (message: (id: number) => Ask | Held, deadline: boolean): Promise<Reply> => {
    if (closed) return Promise.reject(renderUnavailable("is closed"))
    worker ??= start()
    const thread = worker
    const w = thread.w
    const id = ++ids
    return new Promise<Reply>((resolve, reject) => {
      const p: Pending = { resolve, reject }
      if (deadline)
        p.timer = setTimeout(() => {
          thread.why = "took too long"
          void w.terminate()
        }, RENDER_TIMEOUT_MS)
      pending.set(id, p)
      w.ref()
      w.postMessage(message(id))
    })
  }

  return {
    async ask<K extends Op>(op: K, source: ShareRecord, input: Ops[K]["input"], generation: number, known: number) {
      const answer = (await send((id) => ({ kind: "ask", id, op, source, input, generation, known }), true)) as Answer
      if (!answer.ok) throw Object.assign(new Error(answer.error.message), { name: answer.error.name })
      return answer as Answered<K>
    },
    evict(shareID) {
      worker?.w.postMessage({ kind: "evict", shareID } satisfies Evict)
    },
    busy: () => pending.size,
    warm() {
      if (!closed) worker ??= start()
    },
    async held() {
      if (!worker) return []
      const reply = await send((id) => ({ kind: "held", id }), false)
      return "held" in reply ? reply.held : []
    },
    async kill() {
      const w = worker?.w
      if (!w) return
      const exited = new Promise((resolve) => w.once("exit", resolve))
      await w.terminate()
      await exited
    },
    async close() {
      closed = true
      const w = worker?.w
      worker = undefined
      if (!w) return
      const done = new Promise<void>((resolve) => w.once("message", (m) => m === "closed" && resolve()))
      w.ref()
      w.postMessage("close")
      await Promise.race([done, new Promise((r) => setTimeout(r, 5000).unref())])
      await w.terminate()
    },
  }
}
