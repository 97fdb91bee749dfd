/**
 * Live events inside one process: a sync or removal is published here and every open viewer
 * of that share hears it. A multi-instance backend forwards the same events between processes.
 */
import { EventEmitter } from "node:events"

import type { LiveEvent } from "../../schema/index.ts"

export type { LiveEvent }

export type Bus = {
  publish(event: LiveEvent): void
  subscribe(shareID: string, listener: (event: LiveEvent) => void): () => void
  /** Hears every event of every share (the caches that must forget removed content). */
  subscribeAll(listener: (event: LiveEvent) => void): () => void
  /** How many listeners are attached, across all shares. */
  size(): number
}

/** The channel a twin group's events go to as well (src/server/shares.ts, "source"). */
export const twinChannel = (group: string) => `twins:${group}`

const ALL = Symbol("all")

export function local(): Bus {
  const emitter = new EventEmitter()
  emitter.setMaxListeners(0)
  let count = 0
  const on = (channel: string | symbol, listener: (event: LiveEvent) => void, counted: boolean) => {
    emitter.on(channel, listener)
    if (counted) count += 1
    let done = false
    return () => {
      if (done) return
      done = true
      if (counted) count -= 1
      emitter.off(channel, listener)
    }
  }
  return {
    publish: (event) => {
      emitter.emit(ALL, event)
      emitter.emit(event.shareID, event)
    },
    subscribe: (shareID, listener) => on(shareID, listener, true),
    subscribeAll: (listener) => on(ALL, listener, false),
    size: () => count,
  }
}
