/**
 * Where a live stream's frames go. Under @hono/node-server that is the Node ServerResponse
 * itself: no web streams per connection, and the socket's own backpressure (`write` false, then
 * `drain`). Without a Node response (`app.request()` in tests) it is hono's SSE stream. The
 * protocol (live.ts) is written once against this interface.
 */
import type { ServerResponse } from "node:http"
import type { SSEStreamingApi } from "hono/streaming"

export interface Sink {
  /** Sends `chunk`; false when the peer has not taken it yet (then `drain` says when it has). */
  write(chunk: string): boolean
  /** Calls `then` once everything written so far has been taken. */
  drain(then: () => void): void
  /** Ends the stream after what was written. */
  close(): void
  /** Cuts the connection at once: a viewer that stopped reading. */
  destroy(): void
  /** Calls `then` when the stream is over: closed and flushed, destroyed, or the peer went away. */
  onAbort(then: () => void): void
}

export class NodeSink implements Sink {
  private readonly res: ServerResponse

  constructor(res: ServerResponse) {
    this.res = res
  }

  write(chunk: string): boolean {
    return this.res.write(chunk)
  }

  drain(then: () => void): void {
    this.res.once("drain", then)
  }

  close(): void {
    this.res.end()
  }

  destroy(): void {
    this.res.destroy()
  }

  onAbort(then: () => void): void {
    // The peer may have gone while the first transcript was read: 'close' will not come again.
    if (this.res.destroyed) queueMicrotask(then)
    else this.res.on("close", then)
  }
}

export class HonoSink implements Sink {
  private pending: Promise<unknown> = Promise.resolve()
  private done: (() => void) | undefined
  private readonly stream: SSEStreamingApi
  private readonly end: () => void

  /** `end` resolves the `streamSSE` callback, which then closes the stream. */
  constructor(stream: SSEStreamingApi, end: () => void) {
    this.stream = stream
    this.end = end
  }

  write(chunk: string): boolean {
    this.pending = this.stream.write(chunk)
    // A web stream takes a chunk only once its reader reads it: never at once.
    return false
  }

  drain(then: () => void): void {
    const p = this.pending
    void p.then(() => {
      if (p === this.pending && !this.stream.aborted) then()
    })
  }

  close(): void {
    this.end()
    void this.pending.then(() => this.done?.())
  }

  destroy(): void {
    this.stream.abort()
  }

  onAbort(then: () => void): void {
    this.done = then
    this.stream.onAbort(then)
  }
}
