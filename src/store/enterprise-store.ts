/** The enterprise verbs (enterprise.ts) written once over Kysely for both backends. */
import { sql, type Selectable, type Transaction } from "kysely"
import type { Actor, AuditFilter, AuditRow, BurstOutcome, EnterpriseStore, ViewCount } from "./enterprise.ts"
import type { Backend } from "./kysely-store.ts"
import type { AuditTable, Database } from "./tables.ts"

const CHUNK = 500

function auditFromRow(r: Selectable<AuditTable>): AuditRow {
  return {
    id: Number(r.id),
    at: Number(r.at),
    action: r.action,
    shareID: r.share_id,
    actorKind: r.actor_kind,
    actorID: r.actor_id,
    ipHash: r.ip_hash,
    detail: r.detail ? (JSON.parse(r.detail) as AuditRow["detail"]) : null,
  }
}

export function titleOf(json: string | null | undefined): string | null {
  if (!json) return null
  try {
    const v: unknown = JSON.parse(json)
    return typeof v === "object" && v !== null && "title" in v && typeof v.title === "string" ? v.title : null
  } catch {
    return null
  }
}

/**
 * Counts a sync into its share's burst inside `trx`, which must hold the share's row lock
 * (a sync's transaction does): a new burst starts when the last sync is more than `gapMs` ago.
 */
export async function countBurst(trx: Transaction<Database>, shareID: string, now: number, gapMs: number, actor: Actor): Promise<BurstOutcome> {
  // Most syncs continue a burst: one statement.
  const going = await trx.updateTable("sync_burst").set({ last_at: sql`case when last_at > ${now} then last_at else ${now} end`, syncs: sql`syncs + 1` })
    .where("share_id", "=", shareID).where("last_at", ">=", now - gapMs).executeTakeFirst()
  if (Number(going.numUpdatedRows) > 0) return { started: false }
  const row = await trx.selectFrom("sync_burst").selectAll().where("share_id", "=", shareID).executeTakeFirst()
  if (row && now - Number(row.last_at) <= gapMs) {
    await trx.updateTable("sync_burst").set({ last_at: Math.max(now, Number(row.last_at)), syncs: Number(row.syncs) + 1 }).where("share_id", "=", shareID).execute()
    return { started: false }
  }
  const fresh = { started_at: now, last_at: now, syncs: 1, actor_kind: actor.kind, actor_id: actor.id }
  if (!row) {
    await trx.insertInto("sync_burst").values({ share_id: shareID, ...fresh }).execute()
    return { started: true }
  }
  await trx.updateTable("sync_burst").set(fresh).where("share_id", "=", shareID).execute()
  return { started: true, ended: { at: Number(row.last_at), syncs: Number(row.syncs), actor: { kind: row.actor_kind, id: row.actor_id } } }
}

/** Runs a write transaction; on SQLite it joins the group commit that syncs use (kysely-store). */
export type Write = <T>(run: (trx: Transaction<Database>) => Promise<T>) => Promise<T>

export function enterpriseStore(backend: Backend, write: Write = (run) => backend.db.transaction().execute(run)): EnterpriseStore {
  const { db } = backend
  const store: EnterpriseStore = {
    async setting(key) {
      const row = await db.selectFrom("setting").select("value").where("key", "=", key).executeTakeFirst()
      return row?.value
    },

    async setSetting(key, value, now) {
      await db.insertInto("setting").values({ key, value, updated_at: now })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: now })).execute()
    },

    async settingOnce(key, value, now) {
      await db.insertInto("setting").values({ key, value, updated_at: now }).onConflict((oc) => oc.column("key").doNothing()).execute()
      return (await store.setting(key)) ?? value
    },

    async swapSetting(key, expected, value, now) {
      if (expected === undefined) {
        const r = await db.insertInto("setting").values({ key, value, updated_at: now }).onConflict((oc) => oc.column("key").doNothing()).executeTakeFirst()
        return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
      }
      const r = await db.updateTable("setting").set({ value, updated_at: now }).where("key", "=", key).where("value", "=", expected).executeTakeFirst()
      return Number(r.numUpdatedRows) > 0
    },

    async expire(id, expiresAt) {
      const r = await db.updateTable("share").set({ expires_at: expiresAt }).where("id", "=", id).executeTakeFirst()
      return Number(r.numUpdatedRows) > 0
    },

    async expired(now, limit) {
      const rows = await db.selectFrom("share").select("id").where("expires_at", "is not", null).where("expires_at", "<=", now)
        .orderBy("expires_at").orderBy("id").limit(limit).execute()
      return rows.map((r) => r.id)
    },

    async audit(e) {
      await db.insertInto("audit").values({
        at: e.at,
        action: e.action,
        share_id: e.shareID,
        actor_kind: e.actorKind,
        actor_id: e.actorID,
        ip_hash: e.ipHash,
        detail: e.detail ? JSON.stringify(e.detail) : null,
      }).execute()
    },

    async auditQuery(f: AuditFilter) {
      let q = db.selectFrom("audit").selectAll()
      if (f.action) q = q.where("action", "=", f.action)
      if (f.shareID) q = q.where("share_id", "=", f.shareID)
      if (f.actorKind) q = q.where("actor_kind", "=", f.actorKind)
      if (f.actorID) q = q.where("actor_id", "=", f.actorID)
      if (f.from !== undefined) q = q.where("at", ">=", f.from)
      if (f.to !== undefined) q = q.where("at", "<", f.to)
      if (f.after !== undefined) q = q.where("id", ">", f.after)
      const rows = await q.orderBy("id").limit(f.limit).execute()
      return rows.map(auditFromRow)
    },

    async burst(shareID, now, gapMs, actor) {
      // Every sync comes through here: on SQLite it must share the syncs' group commit, or each
      // sync would pay a commit (an fsync) of its own.
      return write(async (trx) => {
        // The share's row lock orders concurrent syncs of one share, across instances too.
        await backend.lockShare(trx, shareID)
        return countBurst(trx, shareID, now, gapMs, actor)
      })
    },

    async endBursts(before, limit) {
      const rows = await db.selectFrom("sync_burst").selectAll().where("last_at", "<", before).orderBy("last_at").limit(limit).execute()
      const ended = []
      for (const row of rows) {
        // Only if no sync extended it meanwhile (another instance may be sweeping too).
        const r = await db.deleteFrom("sync_burst").where("share_id", "=", row.share_id).where("last_at", "=", row.last_at).executeTakeFirst()
        if (Number(r.numDeletedRows) > 0) ended.push({ shareID: row.share_id, at: Number(row.last_at), syncs: Number(row.syncs), actor: { kind: row.actor_kind, id: row.actor_id } })
      }
      return ended
    },

    async views(batch) {
      return db.transaction().execute(async (trx) => {
        const first = []
        for (const b of batch) {
          let unique = 0
          for (let i = 0; i < b.visitors.length; i += CHUNK) {
            const rows = b.visitors.slice(i, i + CHUNK).map((visitor) => ({ share_id: b.shareID, day: b.day, visitor }))
            const r = await trx.insertInto("share_visitor").values(rows).onConflict((oc) => oc.columns(["share_id", "day", "visitor"]).doNothing()).executeTakeFirst()
            unique += Number(r.numInsertedOrUpdatedRows ?? 0)
          }
          const row = await trx.insertInto("share_view").values({ share_id: b.shareID, day: b.day, views: b.views, uniques: unique })
            .onConflict((oc) => oc.columns(["share_id", "day"]).doUpdateSet({
              views: sql`share_view.views + ${b.views}`,
              uniques: sql`share_view.uniques + ${unique}`,
            }))
            .returning("views").executeTakeFirstOrThrow()
          if (Number(row.views) === b.views) first.push(b)
        }
        return first
      })
    },

    async viewTotals(ids) {
      const out = new Map<string, ViewCount>()
      for (let i = 0; i < ids.length; i += CHUNK) {
        const rows = await db.selectFrom("share_view")
          .select(["share_id", sql<number>`sum(views)`.as("views"), sql<number>`sum(uniques)`.as("uniques")])
          .where("share_id", "in", ids.slice(i, i + CHUNK)).groupBy("share_id").execute()
        for (const r of rows) out.set(r.share_id, { views: Number(r.views), uniques: Number(r.uniques) })
      }
      return out
    },

    async viewDays(id, limit) {
      const rows = await db.selectFrom("share_view").selectAll().where("share_id", "=", id).orderBy("day", "desc").limit(limit).execute()
      return rows.map((r) => ({ day: r.day, views: Number(r.views), uniques: Number(r.uniques) }))
    },

    async forgetVisitors(day) {
      const r = await db.deleteFrom("share_visitor").where("day", "<", day).executeTakeFirst()
      return Number(r.numDeletedRows)
    },

    async search({ q, ownerID, limit, offset }) {
      let base = db.selectFrom("share")
        .leftJoin("share_item", (j) => j.onRef("share_item.share_id", "=", "share.id").on("share_item.key", "=", sql<string>`'session/' || share.session_id`))
      if (ownerID) base = base.where("share.owner_id", "=", ownerID)
      if (q) {
        const like = `%${q.toLowerCase().replace(/[\\%_]/g, (m) => "\\" + m)}%`
        base = base.where((eb) => eb.or([
          eb("share.id", "=", q),
          eb("share.owner_id", "=", q),
          eb("share.session_id", "=", q),
          eb(sql`lower(share_item.data)`, "like", sql`${like} escape '\\'`),
        ]))
      }
      const count = await base.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()
      const rows = await base.selectAll("share").select("share_item.data as session_data")
        .orderBy("share.created_at", "desc").orderBy("share.id").limit(limit).offset(offset).execute()
      const totals = await store.viewTotals(rows.map((r) => r.id))
      return {
        total: Number(count.n),
        shares: rows.map((r) => ({
          id: r.id,
          sessionID: r.session_id,
          ownerID: r.owner_id,
          title: titleOf(r.session_data),
          createdAt: Number(r.created_at),
          updatedAt: Number(r.updated_at),
          expiresAt: r.expires_at == null ? null : Number(r.expires_at),
          seq: Number(r.seq),
          bytes: Number(r.bytes),
          items: Number(r.item_count),
          redactions: Number(r.redactions ?? 0),
          views: totals.get(r.id)?.views ?? 0,
          access: typeof r.access === "string" ? r.access : "public",
        })),
      }
    },

    async usage() {
      const shares = await db.selectFrom("share").select([sql<number>`count(*)`.as("n"), sql<number>`coalesce(sum(bytes), 0)`.as("bytes"), sql<number>`coalesce(sum(item_count), 0)`.as("items")]).executeTakeFirstOrThrow()
      const count = async (table: "share_tombstone" | "audit" | "owner") => Number((await db.selectFrom(table).select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n)
      return { shares: Number(shares.n), bytes: Number(shares.bytes), items: Number(shares.items), tombstones: await count("share_tombstone"), audit: await count("audit"), owners: await count("owner") }
    },
  }
  return store
}
