/**
 * The share client: `create` a share, `sync` items to it through its ordered queue, `flush` to
 * wait until the server has everything, `remove` it, and `dispose` when done.
 */
import type { SyncItem } from "../schema/index.ts"
import * as Api from "./api.ts"
import type { ShareRef } from "./api.ts"
import type { BackoffOptions } from "./backoff.ts"
import * as Queue from "./queue.ts"

export type ClientOptions = {
  /** The share server, e.g. `https://share.example.com` (a path prefix is kept). */
  server: string
  /** An owner token: creates made with it are listed under that owner. */
  token?: string
  batchMs?: number
  maxBatchItems?: number
  maxBatchBytes?: number
  backoff?: BackoffOptions
  /** Every batch sent, retried or refused, e.g. for a progress bar or a log line. */
  onEvent?: (event: Queue.QueueEvent) => void
  /** Runs on every batch before it is sent (see Queue.Prepare). */
  prepare?: Queue.Prepare
}

export type Client = {
  readonly server: string
  /** Creates a share for a session; sync to it with the returned ref. */
  create(sessionID: string): Promise<ShareRef>
  /** Queues items for a share (created here or earlier: any ref with id and secret). */
  sync(share: ShareRef, items: SyncItem[]): void
  /** Waits until every item queued so far for `share` (or for every share) is acknowledged. */
  flush(share?: ShareRef): Promise<void>
  /** Items not yet acknowledged, for one share or all. */
  pending(share?: ShareRef): number
  /** Deletes the share on the server and drops whatever was still queued for it. */
  remove(share: Pick<ShareRef, "id" | "secret">): Promise<void>
  /** Flushes everything (at most `timeoutMs`), then stops; answers how many items stayed unsent. */
  dispose(options?: { timeoutMs?: number }): Promise<{ unsent: number }>
  /** Why syncing `share` stopped, when `prepare` stopped it. */
  failure(share: Pick<ShareRef, "id">): Error | undefined
}

/** A share client for one server. */
export function client(options: ClientOptions): Client {
  const queues = new Map<string, Queue.Queue>()
  const abort = new AbortController()
  const queueOptions: Queue.QueueOptions = {
    server: options.server,
    batchMs: options.batchMs ?? Queue.DEFAULTS.batchMs,
    maxBatchItems: options.maxBatchItems ?? Queue.DEFAULTS.maxBatchItems,
    maxBatchBytes: options.maxBatchBytes ?? Queue.DEFAULTS.maxBatchBytes,
    backoff: options.backoff ?? {},
    onEvent: options.onEvent ?? (() => {}),
    prepare: options.prepare,
    signal: abort.signal,
  }
  // Kept after dispose: a caller asks why a share stopped once the client is done.
  const failures = new Map<string, Error>()
  const failure = (id: string) => queues.get(id)?.stopped() ?? failures.get(id)
  const queue = (share: ShareRef) => {
    let q = queues.get(share.id)
    if (!q) {
      q = Queue.create(share, queueOptions)
      queues.set(share.id, q)
    }
    return q
  }
  const flushAll = () => Promise.all([...queues.values()].map((q) => q.flush())).then(() => {})

  return {
    server: options.server,
    create: (sessionID) => Api.create(options.server, sessionID, options.token),
    sync(share, items) {
      if (abort.signal.aborted) throw new Error("the share client was disposed")
      queue(share).put(items)
    },
    flush: (share) => (share ? queue(share).flush() : flushAll()),
    pending: (share) =>
      share ? (queues.get(share.id)?.size() ?? 0) : [...queues.values()].reduce((n, q) => n + q.size(), 0),
    failure: (share) => failure(share.id),
    async remove(share) {
      queues.get(share.id)?.close("removed")
      queues.delete(share.id)
      await Api.remove(options.server, share)
    },
    async dispose({ timeoutMs } = {}) {
      const all = flushAll().catch(() => {})
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<void>((resolve) => {
        if (timeoutMs !== undefined) timer = setTimeout(resolve, timeoutMs)
      })
      await (timeoutMs === undefined ? all : Promise.race([all, timeout]))
      clearTimeout(timer)
      const unsent = [...queues.values()].reduce((n, q) => n + q.size(), 0)
      abort.abort()
      for (const [id, q] of queues) {
        const stopped = q.stopped()
        if (stopped) failures.set(id, stopped)
        q.close("disposed")
      }
      queues.clear()
      return { unsent }
    },
  }
}

export type { ShareRef }
export { ShareClosed, SyncRejected, type QueueEvent } from "./queue.ts"
