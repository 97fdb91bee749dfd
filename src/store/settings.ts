/** Runtime settings every instance reads: the kill switch, the audit key, the day's view salt. */
export interface Settings {
  get(key: string): Promise<string | undefined>
  set(key: string, value: string, now: number): Promise<void>
  /** Stores `value` under `key` unless one is there; answers the stored value (first writer wins). */
  once(key: string, value: string, now: number): Promise<string>
  /** Replaces `key` only if it still holds `expected` (undefined: absent); answers whether it did. */
  swap(key: string, expected: string | undefined, value: string, now: number): Promise<boolean>
}
