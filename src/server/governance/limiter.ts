/** The rate limiter's state, made once per server in `start()`: fixed windows per kind and key, in memory. */
import type { Rate } from "../config.ts"

export type Kind = "create" | "sync"

/** Windows kept per kind before finished ones are dropped. */
const MAX_KEYS = 50_000

type Window = { start: number; count: number }

export type Limiter = {
  /** Counts one request against each key; answers how long to wait (ms) when one is over `rate`, else 0 (and counts nothing then). */
  take(kind: Kind, rate: Rate, keys: (string | undefined)[], now: number): number
}

export function create(): Limiter {
  const state: Record<Kind, Map<string, Window>> = { create: new Map(), sync: new Map() }
  const prune = (map: Map<string, Window>, now: number, windowMs: number) => {
    for (const [k, w] of map) if (now - w.start >= windowMs) map.delete(k)
    // Still full of live windows: forget the oldest rather than grow without bound.
    while (map.size > MAX_KEYS) map.delete(map.keys().next().value as string)
  }
  return {
    take(kind, rate, keys, now) {
      const map = state[kind]
      if (map.size >= MAX_KEYS) prune(map, now, rate.windowMs)
      let wait = 0
      const counted: Window[] = []
      for (const key of keys) {
        if (key === undefined) continue
        let w = map.get(key)
        if (!w || now - w.start >= rate.windowMs || now < w.start) map.set(key, (w = { start: now, count: 0 }))
        if (w.count >= rate.limit) wait = Math.max(wait, w.start + rate.windowMs - now)
        counted.push(w)
      }
      if (wait === 0) for (const w of counted) w.count += 1
      return wait
    },
  }
}
