/** The storage contract: one part per noun, domain verbs only, the same for every backend. */
import type { Audit } from "./audit.ts"
import type { Logins } from "./logins.ts"
import type { Owners } from "./owners.ts"
import type { Settings } from "./settings.ts"
import type { Shares } from "./shares.ts"
import type { Views } from "./views.ts"

export interface Store {
  /** Which backend this is ("sqlite" or "postgres"). */
  readonly kind: string
  readonly shares: Shares
  readonly owners: Owners
  readonly audit: Audit
  readonly views: Views
  readonly settings: Settings
  readonly logins: Logins
  /**
   * Makes removed and replaced content unreadable in the database's files, past the pages
   * themselves (secure_delete overwrites those): SQLite checkpoints its write-ahead log and
   * truncates it. PostgreSQL does nothing here (dead rows go at its next VACUUM).
   */
  scrub(): Promise<void>
  close(): Promise<void>
  /** Connection pool occupancy, for backends that pool connections (PostgreSQL). */
  pool?(): { total: number; idle: number; waiting: number }
}
