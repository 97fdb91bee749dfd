/**
 * Strings a full scan found nothing in, remembered by a scanner thread (worker.ts) so that a
 * value a share's client sends again unchanged is not scanned again. Clients re-send whole
 * items: the session with every sync, a message when its tokens change, a tool part with the
 * same input at each state, a finished part with the text it streamed. Detection is a function
 * of the string alone (strings are joined by a separator no rule matches across, text.ts), so
 * skipping one that scanned clean changes no finding. Only clean strings are kept, never one
 * that held a secret.
 *
 * Each string is remembered for its scope (the share it was synced to) and only skipped there:
 * whether a share's string is scanned never depends on what another share sent. (A sync still
 * shares its job and its thread with other shares' syncs, so it waits for theirs, within
 * SCAN_BUDGET.)
 *
 * The memory is bounded: strings are kept in two generations of at most `chars` characters each;
 * when the young one is full it becomes the old one and the old one is dropped, and a string found
 * in the old one moves to the young. Short strings cost less to scan than to look up and long
 * ones are rarely re-sent whole, so only lengths in [MIN, MAX] are kept.
 */

export const MIN = 32
export const MAX = 16 * 1024

export type Memo = {
  /** Whether `value` scanned clean before in `scope` (and is still remembered). */
  clean(scope: string, value: string): boolean
  /** Remembers that `value` scanned clean in `scope`. */
  remember(scope: string, value: string): void
  /** Characters held, both generations (tests and diagnostics). */
  size(): number
}

type Generation = { strings: Map<string, Set<string>>; chars: number }

export function create(chars = 2 * 1024 * 1024): Memo {
  let young: Generation = { strings: new Map(), chars: 0 }
  let old: Generation = { strings: new Map(), chars: 0 }
  const keeps = (value: string) => value.length >= MIN && value.length <= MAX
  const remember = (scope: string, value: string) => {
    if (!keeps(value) || young.strings.get(scope)?.has(value)) return
    if (young.chars + value.length > chars) {
      old = young
      young = { strings: new Map(), chars: 0 }
    }
    let set = young.strings.get(scope)
    if (!set) young.strings.set(scope, (set = new Set()))
    set.add(value)
    young.chars += value.length
  }
  return {
    clean(scope, value) {
      if (!keeps(value)) return false
      if (young.strings.get(scope)?.has(value)) return true
      if (!old.strings.get(scope)?.has(value)) return false
      remember(scope, value)
      return true
    },
    remember,
    size: () => young.chars + old.chars,
  }
}
