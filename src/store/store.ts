/** The storage contract: domain verbs only, the same for every backend. */
import type { StoredItem } from "../schema/index.ts"
import type { EnterpriseStore } from "./enterprise.ts"
import type { SessionStore } from "./sessions.ts"
import type { Access, SsoStore } from "./sso.ts"

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
}

export type NewShare = Pick<ShareRecord, "id" | "sessionID" | "secretHash" | "ownerID" | "createdAt"> & {
  expiresAt?: number | null
  creator?: string | null
  /** Keyed hash of the creating client's address and user agent: only equal ones may be twins. */
  client?: string | null
}

export type CreateOptions = {
  /**
   * Pair the new share with a share of the same session created by the same `client` at most
   * this long before it that holds no data yet (the stock client's double create); 0: never.
   */
  twinWindowMs?: number
}

/** Limits a sync is held to besides the share's own size (SHARE_LIMIT). */
export type SyncOptions = {
  /** Largest total bytes of the live shares of the share's creator address, and of its owner. */
  quota?: { creator?: number; owner?: number }
  /** Counts the sync into its share's burst (audit log), in the same transaction. */
  burst?: { gapMs: number; actor: { kind: string; id: string | null } }
}

export type Lookup =
  | { state: "live"; share: ShareRecord }
  | { state: "gone"; id: string; deletedAt: number; reason: string }
  | { state: "missing" }

/** A stored item as read back, in share order. */
export type ItemRow = { key: string; type: string; sessionID: string; seq: number; data: unknown }

/** An item to store, with how many secrets were redacted in it (0 when absent). */
export type IngestItem = StoredItem & { redactions?: number }

export type SyncOutcome = {
  seq: number
  accepted: number
  stale: number
  bytes: number
  /** How the sync counted into its burst, when SyncOptions.burst asked for it. */
  burst?: import("./enterprise.ts").BurstOutcome
}

export type ItemsQuery = {
  /** Only items written by a sync with a seq above this one. */
  since?: number
}

export interface Store {
  /** Which backend this is ("sqlite" or "postgres"). */
  readonly kind: string
  /** Stores a new share; answers the twin group it was paired into (CreateOptions), if any. */
  create(share: NewShare, options?: CreateOptions): Promise<{ twinGroup: string | null }>
  find(id: string): Promise<Lookup>
  /** Live shares of a twin group, most recently updated first. */
  twins(group: string): Promise<ShareRecord[]>
  /** Live shares of a session, newest first; with `since`, only those created at or after it. */
  bySession(sessionID: string, since?: number): Promise<ShareRecord[]>
  /**
   * Stores items as the latest value per key in one transaction. An item whose rank is below
   * the stored one is stale and skipped. Throws ShareTooLarge (and stores nothing) when the
   * share would pass `maxBytes`; throws ShareNotFound if the share is gone.
   */
  sync(id: string, items: IngestItem[], now: number, maxBytes: number, options?: SyncOptions): Promise<SyncOutcome>
  /** The share's items in share order: the root session first, then each session's
   * session, session_diff, model, and every message followed by its parts. */
  items(share: ShareRecord, query?: ItemsQuery): Promise<ItemRow[]>
  /** Deletes the share and every item, leaving a tombstone. False if it was not live. */
  remove(id: string, now: number, reason?: string): Promise<boolean>
  /**
   * Makes removed and replaced content unreadable in the database's files, past the pages
   * themselves (secure_delete overwrites those): SQLite checkpoints its write-ahead log and
   * truncates it. PostgreSQL does nothing here (dead rows go at its next VACUUM).
   */
  scrub(): Promise<void>
  /** Records a new owner by the hash of its token. */
  createOwner(owner: OwnerRecord): Promise<void>
  /** The owner whose token hashes to `tokenHash`, if any. */
  ownerByToken(tokenHash: string): Promise<OwnerRecord | undefined>
  /** An owner's live shares, newest first, with the root session's title where one was synced. */
  owned(ownerID: string): Promise<OwnedRecord[]>
  /** Gives an ownerless share (or one it already owns) to `ownerID`; false if another owner has it or it is not live. */
  claim(id: string, ownerID: string): Promise<boolean>
  /** Settings, expiry, audit log, bursts, views and admin search (enterprise.ts). */
  readonly enterprise: EnterpriseStore
  /** Share access, SSO-linked owners and login codes (sso.ts). */
  readonly sso: SsoStore
  /** Sessions ended by logging out (sessions.ts). */
  readonly sessions: SessionStore
  close(): Promise<void>
  /** Connection pool occupancy, for backends that pool connections (PostgreSQL). */
  pool?(): { total: number; idle: number; waiting: number }
}

export type OwnerRecord = { id: string; tokenHash: string; createdAt: number }

export type OwnedRecord = ShareRecord & { title: string | null }

export class ShareNotFound extends Error {
  constructor(id: string) {
    super(`share ${id} does not exist`)
    this.name = "ShareNotFound"
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

export class ShareTooLarge extends Error {
  readonly limit: number
  constructor(limit: number) {
    super(`share would exceed ${limit} bytes`)
    this.name = "ShareTooLarge"
    this.limit = limit
  }
}
