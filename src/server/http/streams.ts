/** Live streams held per client address (MAX_STREAMS_PER_ADDRESS): each costs memory and a socket. */
export type Streams = {
  /** A stream for `address`: the function that gives its place back, or undefined when the address holds its most. */
  acquire(address: string): (() => void) | undefined
  /** Streams open now, by address (for tests and diagnostics). */
  count(address: string): number
}

export function create(limit: number): Streams {
  const open = new Map<string, number>()
  return {
    acquire(address) {
      const n = open.get(address) ?? 0
      if (n >= limit) return undefined
      open.set(address, n + 1)
      let released = false
      return () => {
        if (released) return
        released = true
        const left = (open.get(address) ?? 1) - 1
        if (left <= 0) open.delete(address)
        else open.set(address, left)
      }
    },
    count: (address) => open.get(address) ?? 0,
  }
}
