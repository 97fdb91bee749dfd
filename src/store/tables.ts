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
}

export type TombstoneTable = {
  id: string
  deleted_at: number
  reason: string
}

export type Database = {
  share: ShareTable
  share_item: ItemTable
  share_tombstone: TombstoneTable
}
