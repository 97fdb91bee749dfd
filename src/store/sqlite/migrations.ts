/** SQLite schema migrations, applied in name order at start. Never edit one that has shipped. */
import type { Kysely } from "kysely"
import type { Migration } from "kysely/migration"

export const migrations: Record<string, Migration> = {
  "0001_shares": {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable("share")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("session_id", "text", (c) => c.notNull())
        .addColumn("secret_hash", "text", (c) => c.notNull())
        .addColumn("owner_id", "text")
        .addColumn("created_at", "integer", (c) => c.notNull())
        .addColumn("updated_at", "integer", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("bytes", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("item_count", "integer", (c) => c.notNull().defaultTo(0))
        .execute()
      await db.schema.createIndex("share_session_idx").on("share").columns(["session_id", "created_at"]).execute()
      await db.schema.createIndex("share_owner_idx").on("share").column("owner_id").execute()
      await db.schema.createTable("share_item")
        .addColumn("share_id", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("session_id", "text", (c) => c.notNull())
        .addColumn("ord", "integer", (c) => c.notNull())
        .addColumn("sort", "text", (c) => c.notNull())
        .addColumn("rank", "text", (c) => c.notNull())
        .addColumn("size", "integer", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("data", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("share_item_pk", ["share_id", "key"])
        .execute()
      await db.schema.createIndex("share_item_order_idx").on("share_item").columns(["share_id", "session_id", "ord", "sort"]).execute()
      await db.schema.createIndex("share_item_seq_idx").on("share_item").columns(["share_id", "seq"]).execute()
      await db.schema.createTable("share_tombstone")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("deleted_at", "integer", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .execute()
    },
  },
  "0002_owners": {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable("owner")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_at", "integer", (c) => c.notNull())
        .execute()
    },
  },
  // Secrets redacted on ingest: per item (its latest value) and their sum per share.
  "0003_redactions": {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("share").addColumn("redactions", "integer", (c) => c.notNull().defaultTo(0)).execute()
      await db.schema.alterTable("share_item").addColumn("redactions", "integer", (c) => c.notNull().defaultTo(0)).execute()
    },
  },
}
