/**
 * Live events inside one process: a sync or removal is published here and every open viewer
 * of that share hears it. A multi-instance backend forwards the same events between processes.
 */
import { EventEmitter } from "node:events"

/** `at`: when the event was published (epoch ms), to measure fan-out lag. */
export type LiveEvent =
  | { type: "sync"; shareID: string; seq: number; at?: number }
  | { type: "removed"; shareID: string; reason: string; at?: number }

export type Bus = {
  publish(event: LiveEvent): void
  subscribe(shareID: string, listener: (event: LiveEvent) => void): () => void
  /** How many listeners are attached, across all shares. */
  size(): number
}

export function local(): Bus {
  const emitter = new EventEmitter()
  emitter.setMaxListeners(0)
  let count = 0
  return {
    publish: (event) => void emitter.emit(event.shareID, event),
    subscribe(shareID, listener) {
      emitter.on(shareID, listener)
      count += 1
      let done = false
      return () => {
        if (done) return
        done = true
        count -= 1
        emitter.off(shareID, listener)
      }
    },
    size: () => count,
  }
}
