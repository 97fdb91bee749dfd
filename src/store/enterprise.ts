/** The storage verbs of the enterprise controls (docs/ENTERPRISE.md): settings, expiry, the
 * audit log, sync bursts, view counts and the admin's search. Same contract on every backend. */

export type AuditRow = {
  id: number
  at: number
  action: string
  shareID: string | null
  actorKind: string
  actorID: string | null
  ipHash: string | null
  detail: Record<string, string | number | boolean | null> | null
}

export type NewAudit = Omit<AuditRow, "id">

export type AuditFilter = {
  action?: string
  shareID?: string
  actorKind?: string
  actorID?: string
  /** Inclusive lower bound on `at`. */
  from?: number
  /** Exclusive upper bound on `at`. */
  to?: number
  /** Only entries with an id above this one (paging forward). */
  after?: number
  limit: number
}

export type Actor = { kind: string; id: string | null }

export type BurstOutcome = {
  /** True when this sync starts a new burst. */
  started: boolean
  /** The previous burst of the share, when this sync found it already over. */
  ended?: { at: number; syncs: number; actor: Actor }
}

export type EndedBurst = { shareID: string; at: number; syncs: number; actor: Actor }

export type ViewCount = { views: number; uniques: number }
export type ViewBatch = { shareID: string; day: string; views: number; visitors: string[] }
export type DayViews = ViewCount & { day: string }

export type AdminShare = {
  id: string
  sessionID: string
  ownerID: string | null
  title: string | null
  createdAt: number
  updatedAt: number
  expiresAt: number | null
  seq: number
  bytes: number
  items: number
  redactions: number
  views: number
  /** Who may view it as the share says (`public` or `sso`); the server's VIEW_ACCESS may be stricter. */
  access: string
}

export type Usage = { shares: number; items: number; bytes: number; tombstones: number; audit: number; owners: number }

export interface EnterpriseStore {
  setting(key: string): Promise<string | undefined>
  setSetting(key: string, value: string, now: number): Promise<void>
  /** Stores `value` under `key` unless one is there; answers the stored value (first writer wins). */
  settingOnce(key: string, value: string, now: number): Promise<string>
  /** Replaces `key` only if it still holds `expected` (undefined: absent); answers whether it did. */
  swapSetting(key: string, expected: string | undefined, value: string, now: number): Promise<boolean>
  /** Sets a live share's expiry (null: never); false if the share is not live. */
  expire(id: string, expiresAt: number | null): Promise<boolean>
  /** Ids of live shares whose expiry is at or before `now`, oldest expiry first, at most `limit`. */
  expired(now: number, limit: number): Promise<string[]>
  audit(entry: NewAudit): Promise<void>
  /** Entries matching the filter, oldest first. */
  auditQuery(filter: AuditFilter): Promise<AuditRow[]>
  /** Counts a sync into the share's burst: a new burst starts when the last sync is more than `gapMs` ago. */
  burst(shareID: string, now: number, gapMs: number, actor: Actor): Promise<BurstOutcome>
  /** Ends (and answers) bursts whose last sync is before `before`, at most `limit`. */
  endBursts(before: number, limit: number): Promise<EndedBurst[]>
  /** Adds counted views in one transaction; a visitor hash (keyed with the day's salt) is unique
   * the first time it is seen that day. Answers the entries that were the share's first views that day. */
  views(batch: ViewBatch[]): Promise<ViewBatch[]>
  /** Totals per share over all days (views and the sum of daily uniques). */
  viewTotals(ids: string[]): Promise<Map<string, ViewCount>>
  /** Per-day counts of one share, newest day first. */
  viewDays(id: string, limit: number): Promise<DayViews[]>
  /** Deletes the visitor hashes of days before `day`; answers how many. */
  forgetVisitors(day: string): Promise<number>
  /** Live shares matching `q` (id, owner id, session id or title text), newest first. */
  search(query: { q?: string; ownerID?: string; limit: number; offset: number }): Promise<{ shares: AdminShare[]; total: number }>
  usage(): Promise<Usage>
}
