/**
 * Strings a full scan found nothing in, remembered by a scanner thread (worker.ts) so that a
 * value sent again unchanged is not scanned again. Clients re-send whole items: the session with
 * every sync, a message when its tokens change, a tool part with the same input at each state, a
 * finished part with the text it streamed. Detection is a function of the string alone (strings
 * are joined by a separator no rule matches across, text.ts), so skipping one that scanned clean
 * changes no finding. Only clean strings are kept, never one that held a secret.
 *
 * The memory is bounded: strings are kept in two generations of at most `chars` characters each;
 * when the young one is full it becomes the old one and the old one is dropped, and a string found
 * in the old one moves to the young. Short strings cost less to scan than to look up and long
 * ones are rarely re-sent whole, so only lengths in [MIN, MAX] are kept.
 */

export const MIN = 32
export const MAX = 16 * 1024

export type Memo = {
  /** Whether `value` scanned clean before (and is still remembered). */
  clean(value: string): boolean
  /** Remembers that `value` scanned clean. */
  remember(value: string): void
  /** Characters held, both generations (tests and diagnostics). */
  size(): number
}

export function create(chars = 2 * 1024 * 1024): Memo {
  let young = new Set<string>()
  let old = new Set<string>()
  let youngChars = 0
  let oldChars = 0
  const keeps = (value: string) => value.length >= MIN && value.length <= MAX
  const remember = (value: string) => {
    if (!keeps(value) || young.has(value)) return
    if (youngChars + value.length > chars) {
      old = young
      oldChars = youngChars
      young = new Set()
      youngChars = 0
    }
    young.add(value)
    youngChars += value.length
  }
  return {
    clean(value) {
      if (!keeps(value)) return false
      if (young.has(value)) return true
      if (!old.has(value)) return false
      remember(value)
      return true
    },
    remember,
    size: () => youngChars + oldChars,
  }
}
