/** The view-count verbs (../views.ts) written once over Kysely for both backends. */
import { sql, type Kysely } from "kysely"
import type { Backend } from "../backend.ts"
import type { Database } from "../tables.ts"
import type { ViewCount, Views } from "../views.ts"

const CHUNK = 500

/** Views and the sum of daily uniques per share, all days together. */
export async function totals(db: Kysely<Database>, ids: string[]): Promise<Map<string, ViewCount>> {
  const out = new Map<string, ViewCount>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom("share_view")
      .select(["share_id", sql<number>`sum(views)`.as("views"), sql<number>`sum(uniques)`.as("uniques")])
      .where("share_id", "in", ids.slice(i, i + CHUNK))
      .groupBy("share_id")
      .execute()
    for (const r of rows) out.set(r.share_id, { views: Number(r.views), uniques: Number(r.uniques) })
  }
  return out
}

export function views(backend: Backend): Views {
  const { db } = backend
  return {
    async add(batch) {
      return db.transaction().execute(async (trx) => {
        const first = []
        for (const b of batch) {
          let unique = 0
          for (let i = 0; i < b.visitors.length; i += CHUNK) {
            const rows = b.visitors.slice(i, i + CHUNK).map((visitor) => ({ share_id: b.shareID, day: b.day, visitor }))
            const r = await trx
              .insertInto("share_visitor")
              .values(rows)
              .onConflict((oc) => oc.columns(["share_id", "day", "visitor"]).doNothing())
              .executeTakeFirst()
            unique += Number(r.numInsertedOrUpdatedRows ?? 0)
          }
          const row = await trx
            .insertInto("share_view")
            .values({ share_id: b.shareID, day: b.day, views: b.views, uniques: unique })
            .onConflict((oc) =>
              oc.columns(["share_id", "day"]).doUpdateSet({
                views: sql`share_view.views + ${b.views}`,
                uniques: sql`share_view.uniques + ${unique}`,
              }),
            )
            .returning("views")
            .executeTakeFirstOrThrow()
          if (Number(row.views) === b.views) first.push(b)
        }
        return first
      })
    },

    totals: (ids) => totals(db, ids),

    async days(id, limit) {
      const rows = await db
        .selectFrom("share_view")
        .selectAll()
        .where("share_id", "=", id)
        .orderBy("day", "desc")
        .limit(limit)
        .execute()
      return rows.map((r) => ({ day: r.day, views: Number(r.views), uniques: Number(r.uniques) }))
    },

    async forget(day) {
      const r = await db.deleteFrom("share_visitor").where("day", "<", day).executeTakeFirst()
      return Number(r.numDeletedRows)
    },
  }
}
