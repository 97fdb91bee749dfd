/** Table shapes as Kysely sees them, shared by every backend. SQL names are snake_case. */
import type { Generated } from "kysely"

export type ShareTable = {
  id: string
  session_id: string
  secret_hash: string
  owner_id: string | null
  created_at: number
  updated_at: number
  seq: Generated<number>
  bytes: Generated<number>
  item_count: Generated<number>
  /** Secrets redacted in the share's items as stored now (the sum of share_item.redactions). */
  redactions: Generated<number>
  /** When the share expires (epoch ms); null keeps it until it is removed. */
  expires_at?: number | null
  /** Who may view it: `public` or `sso` (0005_sso); the server's VIEW_ACCESS can only make it stricter. */
  access: Generated<string>
  /** Keyed hash of the creating client's address (0006): the storage quota per address. */
  creator?: string | null
  /** Keyed hash of the creating client's address and user agent (0006): twin pairing only. */
  client?: string | null
  /** The double-create pair this share was put in when it was created (0006). */
  twin_group?: string | null
  /** The root session's title as last synced, written by the server at sync time (0008). */
  title?: string | null
}

export type ItemTable = {
  share_id: string
  key: string
  type: string
  session_id: string
  ord: number
  sort: string
  rank: string
  size: number
  seq: number
  data: string
  /** Secrets redacted in this item's stored value. */
  redactions?: number
}

export type TombstoneTable = {
  id: string
  deleted_at: number
  reason: string
}

/** An owner: whoever holds the token whose SHA-256 is `token_hash` (the token itself is never stored). */
export type OwnerTable = {
  id: string
  token_hash: string
  created_at: number
  /** The SSO user (issuer + sub) this owner is linked to by `agentshare login` (0005_sso). */
  sso_subject: Generated<string | null>
  /** That user's email at the last login, to find an SSO user's shares. */
  sso_email: Generated<string | null>
}

/** More tokens of one owner: one per `agentshare login`, and those of owners merged into it. */
export type OwnerTokenTable = { token_hash: string; owner_id: string; created_at: number }

/** One-time codes /auth/callback hands to the CLI's loopback listener (hashed, short-lived);
 * `challenge` is the CLI's PKCE S256 challenge, so only the process that began can redeem one. */
export type LoginCodeTable = {
  code_hash: string
  subject: string
  email: string | null
  challenge: string
  expires_at: number
  /** The hash of the secret POST /auth/cli gave that CLI run (0007_sessions): the redeem must bring the secret. */
  run_hash: Generated<string | null>
}

/** Sessions that were logged out (0007_sessions), by the hash of their id, kept until they would have expired. */
export type RevokedSessionTable = { id_hash: string; expires_at: number }

/** Runtime settings every instance reads (the kill switch, the audit key, the day's view salt). */
export type SettingTable = { key: string; value: string; updated_at: number }

/** The append-only audit log: ids, times, actors and a keyed hash of the IP, never content. */
export type AuditTable = {
  id: Generated<number>
  at: number
  action: string
  share_id: string | null
  actor_kind: string
  actor_id: string | null
  ip_hash: string | null
  /** Small JSON of counts and reasons (see src/server/audit.ts), never content. */
  detail: string | null
}

/** The open sync burst of a share: its first and last sync are audited, not those between. */
export type SyncBurstTable = {
  share_id: string
  started_at: number
  last_at: number
  syncs: number
  actor_kind: string
  actor_id: string | null
}

/** Page views of a share per UTC day. */
export type ShareViewTable = { share_id: string; day: string; views: number; uniques: number }

/** The day's visitor hashes (keyed with that day's salt), deleted once the day is over. */
export type ShareVisitorTable = { share_id: string; day: string; visitor: string }

export type Database = {
  share: ShareTable
  share_item: ItemTable
  share_tombstone: TombstoneTable
  owner: OwnerTable
  setting: SettingTable
  audit: AuditTable
  sync_burst: SyncBurstTable
  share_view: ShareViewTable
  share_visitor: ShareVisitorTable
  owner_token: OwnerTokenTable
  login_code: LoginCodeTable
  revoked_session: RevokedSessionTable
}
