/**
 * Schema migrations for every backend, applied in name order at start (PostgreSQL under an
 * advisory lock). One definition; `Dialect` names the few column types that differ. Never edit
 * a migration that has shipped: add the next one.
 */
import { sql, type ColumnDefinitionBuilder, type Expression, type Kysely } from "kysely"
import type { Migration } from "kysely/migration"

type ColumnType = "text" | "integer" | "bigint" | "bigserial" | Expression<unknown>

export type Dialect = {
  /** Epoch milliseconds and counters. */
  big: ColumnType
  /** Text that item order sorts by: byte order, whatever the server's locale. */
  ordered: ColumnType
  /** An auto-incrementing primary key. */
  serial: ColumnType
  serialKey(c: ColumnDefinitionBuilder): ColumnDefinitionBuilder
}

export const sqlite: Dialect = {
  big: "integer",
  ordered: "text",
  serial: "integer",
  serialKey: (c) => c.primaryKey().autoIncrement(),
}

export const postgres: Dialect = {
  big: "bigint",
  ordered: sql`text collate "C"`,
  serial: "bigserial",
  serialKey: (c) => c.primaryKey(),
}

export function migrations(d: Dialect): Record<string, Migration> {
  return {
    "0001_shares": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("share")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("session_id", "text", (c) => c.notNull())
          .addColumn("secret_hash", "text", (c) => c.notNull())
          .addColumn("owner_id", "text")
          .addColumn("created_at", d.big, (c) => c.notNull())
          .addColumn("updated_at", d.big, (c) => c.notNull())
          .addColumn("seq", d.big, (c) => c.notNull().defaultTo(0))
          .addColumn("bytes", d.big, (c) => c.notNull().defaultTo(0))
          .addColumn("item_count", d.big, (c) => c.notNull().defaultTo(0))
          .execute()
        await db.schema.createIndex("share_session_idx").on("share").columns(["session_id", "created_at"]).execute()
        await db.schema.createIndex("share_owner_idx").on("share").column("owner_id").execute()
        // Byte-order collation: item order must not depend on the server's locale.
        await db.schema
          .createTable("share_item")
          .addColumn("share_id", "text", (c) => c.notNull())
          .addColumn("key", d.ordered, (c) => c.notNull())
          .addColumn("type", "text", (c) => c.notNull())
          .addColumn("session_id", d.ordered, (c) => c.notNull())
          .addColumn("ord", "integer", (c) => c.notNull())
          .addColumn("sort", d.ordered, (c) => c.notNull())
          .addColumn("rank", d.ordered, (c) => c.notNull())
          .addColumn("size", "integer", (c) => c.notNull())
          .addColumn("seq", d.big, (c) => c.notNull())
          .addColumn("data", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("share_item_pk", ["share_id", "key"])
          .execute()
        await db.schema
          .createIndex("share_item_order_idx")
          .on("share_item")
          .columns(["share_id", "session_id", "ord", "sort"])
          .execute()
        await db.schema.createIndex("share_item_seq_idx").on("share_item").columns(["share_id", "seq"]).execute()
        await db.schema
          .createTable("share_tombstone")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("deleted_at", d.big, (c) => c.notNull())
          .addColumn("reason", "text", (c) => c.notNull())
          .execute()
      },
    },
    // Owner tokens, stored only as their SHA-256 (share.owner_id refers to owner.id).
    "0002_owners": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("owner")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("token_hash", "text", (c) => c.notNull().unique())
          .addColumn("created_at", d.big, (c) => c.notNull())
          .execute()
      },
    },
    // Secrets redacted on ingest: per item (its latest value) and their sum per share.
    "0003_redactions": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable("share")
          .addColumn("redactions", d.big, (c) => c.notNull().defaultTo(0))
          .execute()
        await db.schema
          .alterTable("share_item")
          .addColumn("redactions", "integer", (c) => c.notNull().defaultTo(0))
          .execute()
      },
    },
    // Enterprise controls (docs/ENTERPRISE.md): per-share expiry, runtime settings (the kill
    // switch, the audit key, the day's view salt), the append-only audit log, sync bursts, and
    // daily view counts with the day's visitor hashes (deleted when the day is over).
    "0004_enterprise": {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("share").addColumn("expires_at", d.big).execute()
        await db.schema.createIndex("share_expires_idx").on("share").column("expires_at").execute()
        await db.schema
          .createTable("setting")
          .addColumn("key", "text", (c) => c.primaryKey())
          .addColumn("value", "text", (c) => c.notNull())
          .addColumn("updated_at", d.big, (c) => c.notNull())
          .execute()
        await db.schema
          .createTable("audit")
          .addColumn("id", d.serial, (c) => d.serialKey(c))
          .addColumn("at", d.big, (c) => c.notNull())
          .addColumn("action", "text", (c) => c.notNull())
          .addColumn("share_id", "text")
          .addColumn("actor_kind", "text", (c) => c.notNull())
          .addColumn("actor_id", "text")
          .addColumn("ip_hash", "text")
          .addColumn("detail", "text")
          .execute()
        await db.schema.createIndex("audit_at_idx").on("audit").column("at").execute()
        await db.schema.createIndex("audit_share_idx").on("audit").columns(["share_id", "at"]).execute()
        await db.schema
          .createTable("sync_burst")
          .addColumn("share_id", "text", (c) => c.primaryKey())
          .addColumn("started_at", d.big, (c) => c.notNull())
          .addColumn("last_at", d.big, (c) => c.notNull())
          .addColumn("syncs", "integer", (c) => c.notNull())
          .addColumn("actor_kind", "text", (c) => c.notNull())
          .addColumn("actor_id", "text")
          .execute()
        await db.schema
          .createTable("share_view")
          .addColumn("share_id", "text", (c) => c.notNull())
          .addColumn("day", "text", (c) => c.notNull())
          .addColumn("views", "integer", (c) => c.notNull())
          .addColumn("uniques", "integer", (c) => c.notNull())
          .addPrimaryKeyConstraint("share_view_pk", ["share_id", "day"])
          .execute()
        await db.schema
          .createTable("share_visitor")
          .addColumn("share_id", "text", (c) => c.notNull())
          .addColumn("day", "text", (c) => c.notNull())
          .addColumn("visitor", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("share_visitor_pk", ["share_id", "day", "visitor"])
          .execute()
      },
    },
    // SSO-only viewing and `agentshare login`: per-share access, owners linked to an SSO user,
    // several tokens per owner, and the CLI's one-time login codes.
    "0005_sso": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable("share")
          .addColumn("access", "text", (c) => c.notNull().defaultTo("public"))
          .execute()
        await db.schema.alterTable("owner").addColumn("sso_subject", "text").execute()
        await db.schema.alterTable("owner").addColumn("sso_email", "text").execute()
        await db.schema.createIndex("owner_sso_subject_idx").on("owner").column("sso_subject").unique().execute()
        await db.schema.createIndex("owner_sso_email_idx").on("owner").column("sso_email").execute()
        await db.schema
          .createTable("owner_token")
          .addColumn("token_hash", "text", (c) => c.primaryKey())
          .addColumn("owner_id", "text", (c) => c.notNull())
          .addColumn("created_at", d.big, (c) => c.notNull())
          .execute()
        await db.schema.createIndex("owner_token_owner_idx").on("owner_token").column("owner_id").execute()
        await db.schema
          .createTable("login_code")
          .addColumn("code_hash", "text", (c) => c.primaryKey())
          .addColumn("subject", "text", (c) => c.notNull())
          .addColumn("email", "text")
          .addColumn("challenge", "text", (c) => c.notNull())
          .addColumn("expires_at", d.big, (c) => c.notNull())
          .execute()
      },
    },
    // Hardening (docs/SECURITY.md): who created a share, as keyed hashes (storage quota per
    // address; the double-create twin rule, which pairs only one client's own two creates), and
    // the twin group a share was paired into when it was created.
    "0006_creators": {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("share").addColumn("creator", "text").execute()
        await db.schema.alterTable("share").addColumn("client", "text").execute()
        await db.schema.alterTable("share").addColumn("twin_group", "text").execute()
        await db.schema.createIndex("share_creator_idx").on("share").column("creator").execute()
        await db.schema.createIndex("share_twin_idx").on("share").column("twin_group").execute()
      },
    },
    // Logging out on the server: the admin and SSO sessions that ended, until they would have
    // expired; and the per-run secret of `agentshare login` that a code's redeem must bring.
    "0007_sessions": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("revoked_session")
          .addColumn("id_hash", "text", (c) => c.primaryKey())
          .addColumn("expires_at", d.big, (c) => c.notNull())
          .execute()
        await db.schema.createIndex("revoked_session_expires_idx").on("revoked_session").column("expires_at").execute()
        await db.schema.alterTable("login_code").addColumn("run_hash", "text").execute()
      },
    },
    // The root session's title as a column, written at sync time: the store no longer parses
    // item JSON to list or search shares. Existing shares get theirs from their session item.
    "0008_title": {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("share").addColumn("title", "text").execute()
        const rows = await sql<{
          id: string
          data: string
        }>`select share.id as id, share_item.data as data from share join share_item on share_item.share_id = share.id and share_item.key = 'session/' || share.session_id`.execute(
          db,
        )
        for (const row of rows.rows) {
          const title = titleOf(row.data)
          if (title !== null) await sql`update share set title = ${title} where id = ${row.id}`.execute(db)
        }
      },
    },
    // A share's items in share order straight from the order index (the key breaks ties), so a
    // first view of a long share reads them without sorting them all (store/kysely/shares.ts).
    "0009_item_order_key": {
      async up(db: Kysely<unknown>) {
        await db.schema.dropIndex("share_item_order_idx").execute()
        await db.schema
          .createIndex("share_item_order_idx")
          .on("share_item")
          .columns(["share_id", "session_id", "ord", "sort", "key"])
          .execute()
      },
    },
  }
}

/** A stored session item's title, for the 0008 backfill only. */
function titleOf(json: string): string | null {
  try {
    const v: unknown = JSON.parse(json)
    return typeof v === "object" && v !== null && "title" in v && typeof v.title === "string" ? v.title : null
  } catch {
    return null
  }
}
