/** The audit verbs (../audit.ts) written once over Kysely for both backends. */
import { sql, type Transaction } from "kysely"
import type { Audit, BurstActor, BurstOutcome, NewAudit } from "../audit.ts"
import type { Backend, Write } from "../backend.ts"
import * as Rows from "../rows.ts"
import type { Database } from "../tables.ts"

/**
 * Counts a sync into its share's burst inside `trx`, which must hold the share's row lock
 * (a sync's transaction does): a new burst starts when the last sync is more than `gapMs` ago.
 */
export async function countBurst(
  trx: Transaction<Database>,
  shareID: string,
  now: number,
  gapMs: number,
  actor: BurstActor,
): Promise<BurstOutcome> {
  // Most syncs continue a burst: one statement.
  const going = await trx
    .updateTable("sync_burst")
    .set({ last_at: sql`case when last_at > ${now} then last_at else ${now} end`, syncs: sql`syncs + 1` })
    .where("share_id", "=", shareID)
    .where("last_at", ">=", now - gapMs)
    .executeTakeFirst()
  if (Number(going.numUpdatedRows) > 0) return { started: false }
  const row = await trx.selectFrom("sync_burst").selectAll().where("share_id", "=", shareID).executeTakeFirst()
  if (row && now - Number(row.last_at) <= gapMs) {
    await trx
      .updateTable("sync_burst")
      .set({ last_at: Math.max(now, Number(row.last_at)), syncs: Number(row.syncs) + 1 })
      .where("share_id", "=", shareID)
      .execute()
    return { started: false }
  }
  const fresh = { started_at: now, last_at: now, syncs: 1, actor_kind: actor.kind, actor_id: actor.id }
  if (!row) {
    await trx
      .insertInto("sync_burst")
      .values({ share_id: shareID, ...fresh })
      .execute()
    return { started: true }
  }
  await trx.updateTable("sync_burst").set(fresh).where("share_id", "=", shareID).execute()
  return {
    started: true,
    ended: { at: Number(row.last_at), syncs: Number(row.syncs), actor: { kind: row.actor_kind, id: row.actor_id } },
  }
}

/** A row of the audit table from an entry. */
export const auditRow = (e: NewAudit) => ({
  at: e.at,
  action: e.action,
  share_id: e.shareID,
  actor_kind: e.actorKind,
  actor_id: e.actorID,
  ip_hash: e.ipHash,
  detail: e.detail ? JSON.stringify(e.detail) : null,
})

/**
 * The audit entries of a burst: its first sync, and the last sync of the burst before it when
 * that one is over (whose address is not known here: its first sync's entry holds it).
 */
export async function burstEntries(
  trx: Transaction<Database>,
  shareID: string,
  now: number,
  by: { actor: BurstActor; ipHash: string | null },
  b: BurstOutcome,
): Promise<void> {
  const rows = []
  if (b.ended)
    rows.push(
      auditRow({
        at: now,
        action: "sync_last",
        shareID,
        actorKind: b.ended.actor.kind,
        actorID: b.ended.actor.id,
        ipHash: null,
        detail: { syncAt: b.ended.at, syncs: b.ended.syncs },
      }),
    )
  if (b.started)
    rows.push(
      auditRow({
        at: now,
        action: "sync_first",
        shareID,
        actorKind: by.actor.kind,
        actorID: by.actor.id,
        ipHash: by.ipHash,
        detail: { syncAt: now },
      }),
    )
  if (rows.length) await trx.insertInto("audit").values(rows).execute()
}

export function audit(backend: Backend, write: Write): Audit {
  const { db } = backend
  return {
    async add(e) {
      // On SQLite an entry joins the group commit, so it costs no commit (fsync) of its own.
      await write((trx) => trx.insertInto("audit").values(auditRow(e)).execute())
    },

    async query(f) {
      let q = db.selectFrom("audit").selectAll()
      if (f.action) q = q.where("action", "=", f.action)
      if (f.shareID) q = q.where("share_id", "=", f.shareID)
      if (f.actorKind) q = q.where("actor_kind", "=", f.actorKind)
      if (f.actorID) q = q.where("actor_id", "=", f.actorID)
      if (f.from !== undefined) q = q.where("at", ">=", f.from)
      if (f.to !== undefined) q = q.where("at", "<", f.to)
      if (f.after !== undefined) q = q.where("id", ">", f.after)
      return (await q.orderBy("id").limit(f.limit).execute()).map(Rows.audit)
    },

    async endBursts(before, limit) {
      const rows = await db
        .selectFrom("sync_burst")
        .selectAll()
        .where("last_at", "<", before)
        .orderBy("last_at")
        .limit(limit)
        .execute()
      const ended = []
      for (const row of rows) {
        // Only if no sync extended it meanwhile (another instance may be sweeping too).
        const r = await db
          .deleteFrom("sync_burst")
          .where("share_id", "=", row.share_id)
          .where("last_at", "=", row.last_at)
          .executeTakeFirst()
        if (Number(r.numDeletedRows) > 0)
          ended.push({
            shareID: row.share_id,
            at: Number(row.last_at),
            syncs: Number(row.syncs),
            actor: { kind: row.actor_kind, id: row.actor_id },
          })
      }
      return ended
    },

    async count() {
      return Number((await db.selectFrom("audit").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n)
    },
  }
}
