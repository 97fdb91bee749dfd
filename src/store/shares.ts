/** The share entity in storage: live shares, their items, tombstones, and the admin's view of them. */
import type { Access, StoredItem } from "../schema/index.ts"

/** A live share as stored. Times are epoch milliseconds. */
export type ShareRecord = {
  id: string
  /** The root session the share was created for. */
  sessionID: string
  secretHash: string
  ownerID: string | null
  createdAt: number
  updatedAt: number
  /** Incremented by every sync that changed something; items carry the seq that last wrote them. */
  seq: number
  bytes: number
  itemCount: number
  /** Secrets redacted on ingest in the items as stored now. */
  redactions: number
  /** When the share expires; null keeps it until removed (docs/ENTERPRISE.md). */
  expiresAt: number | null
  /** Who may view it as its owner set it; VIEW_ACCESS=sso makes every share `sso` (src/server/auth). */
  access: Access
  /** Keyed hash of the address that created it (storage quota per address); null when unknown. */
  creator: string | null
  /** The double-create pair it belongs to (see `create`), null for most shares. */
  twinGroup: string | null
  /** The root session's title as last synced (written by the server at sync time). */
  title: string | null
}

export type NewShare = Pick<ShareRecord, "id" | "sessionID" | "secretHash" | "ownerID" | "createdAt"> & {
  expiresAt?: number | null
  creator?: string | null
  /** Keyed hash of the creating client's address and user agent: only equal ones may be twins. */
  client?: string | null
}

export type CreateOptions = {
  /** Audit entries written in the create's own transaction. */
  audit?: import("./audit.ts").NewAudit[]
  /**
   * Pair the new share with a share of the same session created by the same `client` at most
   * this long before or after it that holds no data yet (the stock client's double create); 0: never.
   */
  twinWindowMs?: number
}

export type Lookup =
  | { state: "live"; share: ShareRecord }
  | { state: "gone"; id: string; deletedAt: number; reason: string }
  | { state: "missing" }

/** A stored item as read back, in share order; `size` is the bytes of its stored JSON (what ShareRecord.bytes adds up). */
export type ItemRow = { key: string; type: string; sessionID: string; seq: number; data: unknown; size: number }

/** An item to store, with how many secrets were redacted in it (0 when absent). */
export type IngestItem = StoredItem & { redactions?: number }

/** Limits a sync is held to besides the share's own size (SHARE_LIMIT), and what it records. */
export type SyncOptions = {
  /** Largest total bytes of the live shares of the share's creator address, and of its owner. */
  quota?: { creator?: number; owner?: number }
  /**
   * Counts the sync into its share's burst and writes the burst's audit entries (`sync_first`,
   * and `sync_last` of a burst that is over), all in the sync's own transaction.
   */
  burst?: { gapMs: number; actor: { kind: string; id: string | null }; ipHash: string | null }
  /** The root session's title and its item's key, when this sync carries that item: written
   * with it, so a stale session item leaves the title as it was. */
  title?: { key: string; value: string | null }
}

export type SyncOutcome = {
  seq: number
  accepted: number
  stale: number
  bytes: number
  /** How the sync counted into its burst, when SyncOptions.burst asked for it. */
  burst?: import("./audit.ts").BurstOutcome
}

export type ItemsQuery = {
  /** Only items written by a sync with a seq above this one. */
  since?: number
}

/** One share as the admin's list shows it. */
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

export interface Shares {
  /** Stores a new share; answers the twin group it was paired into (CreateOptions), if any. */
  create(share: NewShare, options?: CreateOptions): Promise<{ twinGroup: string | null }>
  find(id: string): Promise<Lookup>
  /** Live shares of a session, newest first; with `since`, only those created at or after it. */
  bySession(sessionID: string, since?: number): Promise<ShareRecord[]>
  /** Live shares of a twin group, most recently updated first. */
  twins(group: string): Promise<ShareRecord[]>
  /**
   * Stores items as the latest value per key in one transaction. An item whose rank is below
   * the stored one is stale and skipped. Throws ShareTooLarge or QuotaExceeded (and stores
   * nothing) when the share would pass `maxBytes` or a quota; throws ShareNotFound if it is gone.
   */
  sync(id: string, items: IngestItem[], now: number, maxBytes: number, options?: SyncOptions): Promise<SyncOutcome>
  /** The share's items in share order: the root session first, then each session's items by `ord`, `sort` and key. */
  items(share: ShareRecord, query?: ItemsQuery): Promise<ItemRow[]>
  /** Deletes the share and every item, leaving a tombstone (and `audit`, in the same transaction). False if it was not live. */
  remove(id: string, now: number, reason?: string, audit?: import("./audit.ts").NewAudit): Promise<boolean>
  /** An owner's live shares, newest first. */
  owned(ownerID: string): Promise<ShareRecord[]>
  /** Gives an ownerless share (or one it already owns) to `ownerID`; false if another owner has it or it is not live. */
  claim(id: string, ownerID: string): Promise<boolean>
  /** Sets who may view a live share; false if it is not live. */
  setAccess(id: string, access: Access): Promise<boolean>
  /** Sets a live share's expiry (null: never); false if the share is not live. */
  expire(id: string, expiresAt: number | null): Promise<boolean>
  /** Ids of live shares whose expiry is at or before `now`, oldest expiry first, at most `limit`. */
  expired(now: number, limit: number): Promise<string[]>
  /** Live shares matching `q` (id, owner id, session id or title), newest first, with their view totals. */
  search(query: {
    q?: string
    ownerID?: string
    limit: number
    offset: number
  }): Promise<{ shares: AdminShare[]; total: number }>
  usage(): Promise<Usage>
}

export class ShareNotFound extends Error {
  constructor(id: string) {
    super(`share ${id} does not exist`)
    this.name = "ShareNotFound"
  }
}

export class ShareTooLarge extends Error {
  readonly limit: number
  constructor(limit: number) {
    super(`share would exceed ${limit} bytes`)
    this.name = "ShareTooLarge"
    this.limit = limit
  }
}

/** A sync would take its creator's address or its owner past their storage quota. */
export class QuotaExceeded extends Error {
  readonly scope: "address" | "owner"
  readonly limit: number
  constructor(scope: "address" | "owner", limit: number) {
    super(`the ${scope}'s shares would exceed ${limit} bytes`)
    this.name = "QuotaExceeded"
    this.scope = scope
    this.limit = limit
  }
}
