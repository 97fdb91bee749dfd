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
}

export type Database = {
  share: ShareTable
  share_item: ItemTable
  share_tombstone: TombstoneTable
  owner: OwnerTable
}
