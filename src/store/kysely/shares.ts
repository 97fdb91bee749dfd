/** The share verbs (../shares.ts) written once over Kysely for both backends. */
import { type Kysely, sql } from "kysely"
import type { Backend, Write } from "../backend.ts"
import * as Rows from "../rows.ts"
import type { ItemRow, ShareRecord, Shares } from "../shares.ts"
import type { Database } from "../tables.ts"
import { auditRow } from "./audit.ts"
import { sync } from "./sync.ts"
import { totals } from "./views.ts"

/**
 * A share's items in share order, in two walks of the order index (the root session's, then the
 * others'), which need no sort, in one snapshot (a read-only transaction) so that a sync that
 * commits between them cannot show half of it.
 */
function wholeShare(db: Kysely<Database>, share: ShareRecord) {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      const q = trx
        .selectFrom("share_item")
        .select(["key", "type", "session_id", "seq", "data", "size"])
        .where("share_id", "=", share.id)
      const root = await q
        .where("session_id", "=", share.sessionID)
        .orderBy("ord")
        .orderBy("sort")
        .orderBy("key")
        .execute()
      const others = await q
        .where("session_id", "!=", share.sessionID)
        .orderBy("session_id")
        .orderBy("ord")
        .orderBy("sort")
        .orderBy("key")
        .execute()
      return [...root, ...others]
    })
}

export function shares(backend: Backend, write: Write): Shares {
  const { db } = backend
  return {
    async create(share, options = {}) {
      return write(async (trx) => {
        const window = options.twinWindowMs ?? 0
        if (window > 0 && share.client) await backend.lockSession?.(trx, share.sessionID)
        await trx
          .insertInto("share")
          .values({
            id: share.id,
            session_id: share.sessionID,
            secret_hash: share.secretHash,
            owner_id: share.ownerID,
            created_at: share.createdAt,
            updated_at: share.createdAt,
            expires_at: share.expiresAt ?? null,
            creator: share.creator ?? null,
            client: share.client ?? null,
          })
          .execute()
        if (options.audit?.length) await trx.insertInto("audit").values(options.audit.map(auditRow)).execute()
        if (window <= 0 || !share.client) return { twinGroup: null }
        // The stock client's double create: the same client, a few seconds apart, neither
        // holding data yet. Only then are the two paired (docs/PROTOCOL.md, "Double create").
        // Concurrent creates take their times before the lock: the other may be a little later.
        const twin = await trx
          .selectFrom("share")
          .select(["id", "twin_group"])
          .where("session_id", "=", share.sessionID)
          .where("client", "=", share.client)
          .where("id", "!=", share.id)
          .where("seq", "=", 0)
          .where("created_at", ">=", share.createdAt - window)
          .where("created_at", "<=", share.createdAt + window)
          .orderBy("created_at", "desc")
          .orderBy("id")
          .executeTakeFirst()
        if (!twin) return { twinGroup: null }
        const group = twin.twin_group ?? twin.id
        if (!twin.twin_group)
          await trx.updateTable("share").set({ twin_group: group }).where("id", "=", twin.id).execute()
        await trx.updateTable("share").set({ twin_group: group }).where("id", "=", share.id).execute()
        return { twinGroup: group }
      })
    },

    async find(id) {
      const row = await db.selectFrom("share").selectAll().where("id", "=", id).executeTakeFirst()
      if (row) return { state: "live", share: Rows.share(row) }
      const gone = await db.selectFrom("share_tombstone").selectAll().where("id", "=", id).executeTakeFirst()
      if (gone) return { state: "gone", id: gone.id, deletedAt: Number(gone.deleted_at), reason: gone.reason }
      return { state: "missing" }
    },

    async bySession(sessionID, since) {
      let q = db.selectFrom("share").selectAll().where("session_id", "=", sessionID)
      if (since !== undefined) q = q.where("created_at", ">=", since)
      return (await q.orderBy("created_at", "desc").orderBy("id").execute()).map(Rows.share)
    },

    async twins(group) {
      const rows = await db
        .selectFrom("share")
        .selectAll()
        .where("twin_group", "=", group)
        .orderBy("updated_at", "desc")
        .orderBy("id")
        .execute()
      return rows.map(Rows.share)
    },

    sync: (id, items, now, maxBytes, options = {}) =>
      write((trx) => sync(trx, backend, id, items, now, maxBytes, options)),

    async items(share, query = {}): Promise<ItemRow[]> {
      const q = db
        .selectFrom("share_item")
        .select(["key", "type", "session_id", "seq", "data", "size"])
        .where("share_id", "=", share.id)
      // The root session first, then the others by id; within one, by ord, sort and key.
      const rows =
        query.since !== undefined
          ? // What changed since a seq: few rows, found by the seq index and sorted.
            await q
              .where("seq", ">", query.since)
              .orderBy(sql`case when session_id = ${share.sessionID} then 0 else 1 end`)
              .orderBy("session_id")
              .orderBy("ord")
              .orderBy("sort")
              .orderBy("key")
              .execute()
          : await wholeShare(db, share)
      return rows.map((r) => ({
        key: r.key,
        type: r.type,
        sessionID: r.session_id,
        seq: Number(r.seq),
        data: JSON.parse(r.data),
        size: Number(r.size),
      }))
    },

    async remove(id, now, reason = "unshared", entry) {
      return write(async (trx) => {
        const share = await backend.lockShare(trx, id)
        if (!share) return false
        await trx.deleteFrom("share_item").where("share_id", "=", id).execute()
        await trx.deleteFrom("share").where("id", "=", id).execute()
        await trx.insertInto("share_tombstone").values({ id, deleted_at: now, reason }).execute()
        if (entry) await trx.insertInto("audit").values(auditRow(entry)).execute()
        return true
      })
    },

    async owned(ownerID) {
      const rows = await db
        .selectFrom("share")
        .selectAll()
        .where("owner_id", "=", ownerID)
        .orderBy("created_at", "desc")
        .orderBy("id")
        .execute()
      return rows.map(Rows.share)
    },

    async claim(id, ownerID) {
      const r = await db
        .updateTable("share")
        .set({ owner_id: ownerID })
        .where("id", "=", id)
        .where((eb) => eb.or([eb("owner_id", "is", null), eb("owner_id", "=", ownerID)]))
        .executeTakeFirst()
      return Number(r.numUpdatedRows) > 0
    },

    async setAccess(id, access) {
      const r = await db.updateTable("share").set({ access }).where("id", "=", id).executeTakeFirst()
      return Number(r.numUpdatedRows) > 0
    },

    async expire(id, expiresAt) {
      const r = await db.updateTable("share").set({ expires_at: expiresAt }).where("id", "=", id).executeTakeFirst()
      return Number(r.numUpdatedRows) > 0
    },

    async expired(now, limit) {
      const rows = await db
        .selectFrom("share")
        .select("id")
        .where("expires_at", "is not", null)
        .where("expires_at", "<=", now)
        .orderBy("expires_at")
        .orderBy("id")
        .limit(limit)
        .execute()
      return rows.map((r) => r.id)
    },

    async search({ q, ownerID, limit, offset }) {
      let base = db.selectFrom("share")
      if (ownerID) base = base.where("owner_id", "=", ownerID)
      if (q) {
        const like = `%${q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`
        base = base.where((eb) =>
          eb.or([
            eb("id", "=", q),
            eb("owner_id", "=", q),
            eb("session_id", "=", q),
            eb(sql`lower(title)`, "like", sql`${like} escape '\\'`),
          ]),
        )
      }
      const count = await base.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()
      const rows = (
        await base.selectAll().orderBy("created_at", "desc").orderBy("id").limit(limit).offset(offset).execute()
      ).map(Rows.share)
      const views = await totals(
        db,
        rows.map((r) => r.id),
      )
      return {
        total: Number(count.n),
        shares: rows.map((r) => ({
          id: r.id,
          sessionID: r.sessionID,
          ownerID: r.ownerID,
          title: r.title,
          createdAt: r.createdAt,
          updatedAt: r.updatedAt,
          expiresAt: r.expiresAt,
          seq: r.seq,
          bytes: r.bytes,
          items: r.itemCount,
          redactions: r.redactions,
          views: views.get(r.id)?.views ?? 0,
          access: r.access,
        })),
      }
    },

    async usage() {
      const shares = await db
        .selectFrom("share")
        .select([
          sql<number>`count(*)`.as("n"),
          sql<number>`coalesce(sum(bytes), 0)`.as("bytes"),
          sql<number>`coalesce(sum(item_count), 0)`.as("items"),
        ])
        .executeTakeFirstOrThrow()
      const count = async (table: "share_tombstone" | "audit" | "owner") =>
        Number((await db.selectFrom(table).select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n)
      return {
        shares: Number(shares.n),
        bytes: Number(shares.bytes),
        items: Number(shares.items),
        tombstones: await count("share_tombstone"),
        audit: await count("audit"),
        owners: await count("owner"),
      }
    },
  }
}
