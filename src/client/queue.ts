/**
 * One share's sync queue. Items wait in a Map by key in the order they were last set, so the
 * latest unsent value of a key replaces older ones. One batch is in flight at a time; a batch
 * that fails in a way a retry can fix goes back in front of the queue, except for keys that got
 * a newer value meanwhile, so no older value is ever sent after a newer one.
 */
import { keyItem, MAX_ITEMS_PER_SYNC, type SyncItem, type SyncResponse } from "../schema/index.ts"
import * as Api from "./api.ts"
import type { ShareRef } from "./api.ts"
import * as Backoff from "./backoff.ts"
import { HttpError, retryable } from "./http.ts"

export type QueueEvent =
  | { type: "sent"; share: ShareRef; items: number; response: SyncResponse }
  | { type: "retry"; share: ShareRef; error: Error; attempt: number; delayMs: number }
  | { type: "rejected"; share: ShareRef; error: Error; items: number }
  /** `prepare` refused a batch: nothing of it, and nothing after it, is sent to this share. */
  | { type: "stopped"; share: ShareRef; error: Error; items: number }

/**
 * Runs on every batch just before it is sent, in order, and may change it (the CLI's secret
 * scan redacts here). Throwing stops the share: the batch and everything after it stay unsent.
 */
export type Prepare = (share: ShareRef, batch: SyncItem[]) => Promise<SyncItem[]>

export type QueueOptions = {
  server: string
  /** How long the first item waits for others before a batch goes out (ms). */
  batchMs: number
  maxBatchItems: number
  maxBatchBytes: number
  backoff: Backoff.BackoffOptions
  onEvent: (event: QueueEvent) => void
  prepare?: Prepare
  /** Aborted by dispose: stops the worker between requests and cuts backoff sleeps short. */
  signal: AbortSignal
}

/** Some of the items synced since the last flush were refused by the server and are not stored. */
export class SyncRejected extends Error {
  readonly errors: Error[]
  constructor(share: ShareRef, errors: Error[]) {
    super(
      `share ${share.id}: the server refused ${errors.length} batch(es): ${errors.map((e) => e.message).join("; ")}`,
    )
    this.name = "SyncRejected"
    this.errors = errors
  }
}

/** The share was removed (here or elsewhere), its secret no longer matches, or `prepare` stopped
 * it (then `cause` is what it threw): nothing more can be synced. */
export class ShareClosed extends Error {
  constructor(share: ShareRef, reason: string, options?: ErrorOptions) {
    super(`share ${share.id} is closed: ${reason}`, options)
    this.name = "ShareClosed"
  }
}

type Waiter = { resolve: () => void; reject: (error: Error) => void }

export type Queue = {
  readonly share: ShareRef
  put(items: SyncItem[]): void
  /** Resolves when every item put so far was answered; rejects if any was refused. */
  flush(): Promise<void>
  /** Items not yet acknowledged (pending and in flight). */
  size(): number
  /** What `prepare` threw when it stopped this share, if it did. */
  stopped(): Error | undefined
  close(reason: string): void
}

export function create(share: ShareRef, options: QueueOptions): Queue {
  let pending = new Map<string, SyncItem>()
  let inflight = 0
  let running = false
  let timer: NodeJS.Timeout | undefined
  let closed: ShareClosed | undefined
  let stopped: Error | undefined
  let rejected: Error[] = []
  let waiters: Waiter[] = []

  const settle = () => {
    if (running || pending.size > 0) return
    const list = waiters
    const errors = rejected
    waiters = []
    rejected = []
    for (const w of list) {
      if (closed && errors.length === 0) w.reject(closed)
      else if (errors.length > 0) w.reject(new SyncRejected(share, errors))
      else w.resolve()
    }
  }

  const take = (): SyncItem[] => {
    const batch: SyncItem[] = []
    let bytes = 0
    for (const [key, item] of pending) {
      const size = JSON.stringify(item).length
      if (batch.length > 0 && (batch.length >= options.maxBatchItems || bytes + size > options.maxBatchBytes)) break
      batch.push(item)
      bytes += size
      pending.delete(key)
    }
    return batch
  }

  const requeue = (batch: SyncItem[]) => {
    const merged = new Map<string, SyncItem>()
    for (const item of batch) {
      const key = keyOf(item)
      if (!pending.has(key)) merged.set(key, item)
    }
    for (const [key, item] of pending) merged.set(key, item)
    pending = merged
  }

  const run = async () => {
    if (running) return
    running = true
    let attempt = 0
    try {
      while (pending.size > 0 && !closed && !options.signal.aborted) {
        let batch = take()
        inflight = batch.length
        if (options.prepare) {
          try {
            batch = await options.prepare(share, batch)
          } catch (caught) {
            const error = caught instanceof Error ? caught : new Error(String(caught))
            stopped = error
            closed = new ShareClosed(share, error.message, { cause: error })
            options.onEvent({ type: "stopped", share, error, items: inflight + pending.size })
            pending.clear()
            inflight = 0
            break
          }
        }
        try {
          const response = await Api.sync(options.server, share, batch)
          inflight = 0
          attempt = 0
          options.onEvent({ type: "sent", share, items: batch.length, response })
        } catch (caught) {
          inflight = 0
          const error = caught instanceof Error ? caught : new Error(String(caught))
          if (retryable(error)) {
            requeue(batch)
            const delayMs = Backoff.next(
              attempt,
              error instanceof HttpError ? error.retryAfterMs : undefined,
              options.backoff,
            )
            options.onEvent({ type: "retry", share, error, attempt, delayMs })
            attempt += 1
            await Backoff.sleep(delayMs, options.signal)
            continue
          }
          options.onEvent({ type: "rejected", share, error, items: batch.length })
          if (error instanceof HttpError && [403, 404, 410].includes(error.status)) {
            closed = new ShareClosed(share, error.message)
            pending.clear()
          }
          rejected.push(error)
        }
      }
    } finally {
      running = false
      settle()
    }
  }

  const keyOf = (item: SyncItem) => {
    const k = keyItem(item, share.sessionID)
    if (!k.ok) throw new TypeError(`not a valid share item (${k.path}: ${k.message})`)
    return k.item.key
  }

  return {
    share,
    put(items) {
      if (closed) throw closed
      for (const item of items) {
        const key = keyOf(item)
        // Re-inserting moves the key to the end: the queue stays in order of last change.
        pending.delete(key)
        pending.set(key, item)
      }
      if (pending.size === 0 || running || timer) return
      timer = setTimeout(() => {
        timer = undefined
        void run()
      }, options.batchMs)
    },
    flush() {
      const done = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }))
      if (timer) clearTimeout(timer)
      timer = undefined
      if (pending.size > 0) void run()
      else settle()
      return done
    },
    size: () => pending.size + inflight,
    stopped: () => stopped,
    close(reason) {
      if (timer) clearTimeout(timer)
      timer = undefined
      closed ??= new ShareClosed(share, reason)
      pending.clear()
      settle()
    },
  }
}

export const DEFAULTS = {
  batchMs: 200,
  maxBatchItems: Math.min(1000, MAX_ITEMS_PER_SYNC),
  maxBatchBytes: 4 * 1024 * 1024,
}
