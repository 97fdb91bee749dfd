/**
 * One open live stream: what its viewer was last told, and what it must be told next. It is one
 * object driven by events, not a loop per connection: the bus, the socket taking a write, the
 * heartbeat timer and shutdown each call `step`. A stream does one thing at a time (a transcript
 * read, or a write the socket has not taken yet) and queues nothing: syncs meanwhile leave one
 * "changed" flag, and a viewer that does not take a write within `writeTimeoutMs` is dropped.
 */
import type { Deps } from "../context.ts"
import { ApiError } from "../errors.ts"
import { twinChannel, type LiveEvent } from "./bus.ts"
import * as Frames from "./frames.ts"
import type { Sink } from "./sink.ts"
import { load, type Loaded } from "./transcripts.ts"

/** What every stream of one route shares: one object, so a stream holds one reference to it. */
export type Hub = {
  deps: Deps
  heartbeatMs: number
  writeTimeoutMs: number
  /** The open streams, told at once when the server starts shutting down. */
  open: Set<Live>
}

export class Live {
  private readonly shareID: string
  private sourceID: string
  /** The seq the viewer has. */
  private last: number
  /** The highest seq heard of the source: a read that returns less is one that began too early. */
  private target: number
  private dirty: boolean
  private removed: string | undefined
  // An expired share is gone at once (410), before the purge job removes it: tell viewers then.
  private expiresAt: number | null
  private closing: boolean
  /** A transcript read in flight, or a write the socket has not taken: nothing else starts. */
  private busy = false
  private again = false
  private done = false
  private timer: NodeJS.Timeout | undefined
  private delay = 0
  private stall: NodeJS.Timeout | undefined
  private readonly subs: (() => void)[]
  private readonly hub: Hub
  private readonly sink: Sink
  private readonly release: () => void

  /** Opens the stream on `sink`: `ready`, then whatever changed since the viewer's seq. */
  constructor(hub: Hub, sink: Sink, first: Loaded, since: number | undefined, release: () => void) {
    const deps = hub.deps
    this.hub = hub
    this.sink = sink
    this.release = release
    this.shareID = first.share.id
    this.sourceID = first.source.id
    this.last = since ?? first.transcript.seq
    this.target = first.transcript.seq
    this.dirty = since !== undefined && since < first.transcript.seq
    this.expiresAt = first.share.expiresAt
    this.closing = deps.closing?.aborted ?? false
    this.subs = [deps.bus.subscribe(this.shareID, this.hear)]
    if (this.sourceID !== this.shareID) this.subs.push(deps.bus.subscribe(this.sourceID, this.hear))
    // A twin hears its pair's syncs too, before it knows which of them will hold the data.
    if (first.share.twinGroup) this.subs.push(deps.bus.subscribe(twinChannel(first.share.twinGroup), this.hear))
    hub.open.add(this)
    sink.onAbort(this.gone)
    if (this.send(Frames.ready(first.transcript.seq))) this.step()
  }

  /** The server is stopping: tell the viewer to reconnect (to another instance). */
  shutdown(): void {
    this.closing = true
    this.step()
  }

  private readonly hear = (e: LiveEvent) => {
    if (e.at !== undefined) this.hub.deps.metrics.fanout((Date.now() - e.at) / 1000)
    if (e.type === "removed" && e.shareID === this.shareID) this.removed = e.reason
    else {
      if (e.type === "sync" && e.shareID === this.sourceID) this.target = Math.max(this.target, e.seq)
      this.dirty = true
    }
    this.step()
  }

  private step(): void {
    if (this.done || this.busy) return
    if (this.removed === undefined && this.expired()) this.removed = "expired"
    if (this.closing) this.finish(Frames.RECONNECT)
    else if (this.removed !== undefined) this.finish(Frames.removed(this.removed))
    if (this.done || !this.dirty) return
    this.dirty = false
    this.busy = true
    load(this.hub.deps, this.shareID).then(this.loaded, this.failed)
  }

  private expired(): boolean {
    return this.expiresAt !== null && this.hub.deps.now() >= this.expiresAt
  }

  private readonly loaded = (view: Loaded) => {
    if (this.done) return
    // A read that began just before the sync committed: read once more.
    if (!this.again && view.source.id === this.sourceID && view.transcript.seq < this.target) {
      this.again = true
      load(this.hub.deps, this.shareID).then(this.loaded, this.failed)
      return
    }
    this.again = false
    this.busy = false
    if (view.share.expiresAt !== this.expiresAt) {
      this.expiresAt = view.share.expiresAt
      this.arm()
    }
    if (view.source.id !== this.sourceID) {
      this.sourceID = view.source.id
      this.subs.push(this.hub.deps.bus.subscribe(this.sourceID, this.hear))
    }
    const seq = view.transcript.seq
    if (seq !== this.last) {
      const frame = Frames.sync(view.transcript, seq < this.last ? -1 : this.last)
      this.last = seq
      if (!this.send(frame)) return
    }
    this.step()
  }

  private readonly failed = (error: unknown) => {
    if (this.done) return
    this.again = false
    this.busy = false
    // Gone meanwhile: the bus may already have said why (taken down, expired).
    if (error instanceof ApiError && (error.status === 404 || error.status === 410)) this.removed ??= "unshared"
    else this.dirty = true
    this.step()
  }

  /** Writes a frame; false when the socket has not taken it, and the stream waits for it. */
  private send(frame: string): boolean {
    // Heartbeats count from the last write.
    this.arm()
    if (this.sink.write(frame)) return true
    this.busy = true
    this.sink.drain(this.drained)
    this.stall = setTimeout(this.drop, this.hub.writeTimeoutMs)
    return false
  }

  private readonly drained = () => {
    clearTimeout(this.stall)
    this.stall = undefined
    this.busy = false
    this.step()
  }

  // A viewer that stopped reading: drop it rather than buffer for it.
  private readonly drop = () => this.sink.destroy()

  /** The heartbeat, or the expiry when it comes sooner; a Timeout refreshed in place. */
  private arm(): void {
    const beat = this.hub.heartbeatMs
    const delay = this.expiresAt === null ? beat : Math.max(0, Math.min(beat, this.expiresAt - this.hub.deps.now()))
    if (this.timer && delay === this.delay) {
      this.timer.refresh()
      return
    }
    clearTimeout(this.timer)
    this.delay = delay
    this.timer = setTimeout(this.tick, delay)
  }

  private readonly tick = () => {
    if (this.done) return
    if (this.busy || this.dirty || this.closing || this.removed !== undefined || this.expired()) {
      this.step()
      if (!this.done) this.arm()
      return
    }
    this.send(Frames.PING)
  }

  /** The last frame; the stream stops listening at once and ends once the frame is taken. */
  private finish(frame: string): void {
    const taken = this.sink.write(frame)
    this.stop()
    this.sink.close()
    if (!taken) this.stall = setTimeout(this.drop, this.hub.writeTimeoutMs)
  }

  private stop(): void {
    if (this.done) return
    this.done = true
    clearTimeout(this.timer)
    this.hub.open.delete(this)
    for (const off of this.subs) off()
  }

  private readonly gone = () => {
    this.stop()
    clearTimeout(this.stall)
    this.release()
  }
}
