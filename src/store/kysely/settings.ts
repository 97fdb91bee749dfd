/** The settings verbs (../settings.ts) written once over Kysely for both backends. */
import type { Backend } from "../backend.ts"
import type { Settings } from "../settings.ts"

export function settings(backend: Backend): Settings {
  const { db } = backend
  const get = async (key: string) =>
    (await db.selectFrom("setting").select("value").where("key", "=", key).executeTakeFirst())?.value
  return {
    get,

    async set(key, value, now) {
      await db
        .insertInto("setting")
        .values({ key, value, updated_at: now })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: now }))
        .execute()
    },

    async once(key, value, now) {
      await db
        .insertInto("setting")
        .values({ key, value, updated_at: now })
        .onConflict((oc) => oc.column("key").doNothing())
        .execute()
      return (await get(key)) ?? value
    },

    async swap(key, expected, value, now) {
      if (expected === undefined) {
        const r = await db
          .insertInto("setting")
          .values({ key, value, updated_at: now })
          .onConflict((oc) => oc.column("key").doNothing())
          .executeTakeFirst()
        return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
      }
      const r = await db
        .updateTable("setting")
        .set({ value, updated_at: now })
        .where("key", "=", key)
        .where("value", "=", expected)
        .executeTakeFirst()
      return Number(r.numUpdatedRows) > 0
    },
  }
}
