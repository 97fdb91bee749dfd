/** Polling for state another process produces, bounded in time: tests wait on conditions, never
 * on fixed sleeps. */

export type WaitOptions = { timeoutMs?: number; intervalMs?: number; what?: string }

/**
 * Calls `probe` until it returns a value other than undefined, and returns that value. On
 * timeout it throws with `what` and the last probe's `describe`d state, so a failure says what
 * was missing rather than only that time ran out.
 */
export async function until<T>(
  probe: () => Promise<T | undefined>,
  options: WaitOptions & { describe?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) {
      const state = options.describe ? `\n${options.describe()}` : ""
      throw new Error(
        `timed out after ${options.timeoutMs ?? 30_000} ms waiting for ${options.what ?? "a condition"}${state}`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250))
  }
}
