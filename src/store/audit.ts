/** The audit log in storage: append-only entries and the sync bursts they summarise. */

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

/** Who a burst was made by, as stored. */
export type BurstActor = { kind: string; id: string | null }

export type BurstOutcome = {
  /** True when this sync starts a new burst. */
  started: boolean
  /** The previous burst of the share, when this sync found it already over. */
  ended?: { at: number; syncs: number; actor: BurstActor }
}

export type EndedBurst = { shareID: string; at: number; syncs: number; actor: BurstActor }

export interface Audit {
  add(entry: NewAudit): Promise<void>
  /** Entries matching the filter, oldest first. */
  query(filter: AuditFilter): Promise<AuditRow[]>
  /** Ends (and answers) bursts whose last sync is before `before`, at most `limit`. */
  endBursts(before: number, limit: number): Promise<EndedBurst[]>
  count(): Promise<number>
}
