/** Retry delays: capped exponential backoff with jitter, or what the server asked for. */

export type BackoffOptions = {
  /** First delay (ms). */
  baseMs?: number
  /** No delay grows past this (ms). */
  maxMs?: number
}

/** The delay before retry number `attempt` (0-based): a random point in the upper half of
 * min(max, base * 2^attempt), so clients that failed together do not retry together. */
export function delay(attempt: number, options: BackoffOptions = {}, random = Math.random): number {
  const base = options.baseMs ?? 250
  const max = options.maxMs ?? 15_000
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 30))
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

/** `Retry-After` wins when given (a server that is shedding load knows best), within reason. */
export function next(
  attempt: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions = {},
  random = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(retryAfterMs, 0), 10 * 60_000)
  return delay(attempt, options, random)
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener("abort", done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener("abort", done, { once: true })
  })
}
