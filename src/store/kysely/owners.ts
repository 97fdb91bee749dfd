/** The owner verbs (../owners.ts) written once over Kysely for both backends. */
import type { Backend } from "../backend.ts"
import type { Owners } from "../owners.ts"
import * as Rows from "../rows.ts"

export function owners(backend: Backend): Owners {
  const { db } = backend
  return {
    async create(o) {
      await db
        .insertInto("owner")
        .values({
          id: o.id,
          token_hash: o.tokenHash,
          created_at: o.createdAt,
          sso_subject: o.ssoSubject ?? null,
          sso_email: o.ssoEmail ?? null,
        })
        .execute()
    },

    async byToken(tokenHash) {
      // A token added by `agentshare login` (owner_token) names its owner too.
      const row =
        (await db.selectFrom("owner").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst()) ??
        (await db
          .selectFrom("owner_token")
          .innerJoin("owner", "owner.id", "owner_token.owner_id")
          .selectAll("owner")
          .where("owner_token.token_hash", "=", tokenHash)
          .executeTakeFirst())
      return row ? Rows.owner(row) : undefined
    },

    async bySubject(subject) {
      const row = await db.selectFrom("owner").selectAll().where("sso_subject", "=", subject).executeTakeFirst()
      return row ? Rows.owner(row) : undefined
    },

    async link(ownerID, subject, email) {
      const r = await db
        .updateTable("owner")
        .set({ sso_subject: subject, sso_email: email })
        .where("id", "=", ownerID)
        .where("sso_subject", "is", null)
        .executeTakeFirst()
      return Number(r.numUpdatedRows) > 0
    },

    async touch(ownerID, email) {
      await db.updateTable("owner").set({ sso_email: email }).where("id", "=", ownerID).execute()
    },

    async addToken(ownerID, tokenHash, now) {
      await db.insertInto("owner_token").values({ token_hash: tokenHash, owner_id: ownerID, created_at: now }).execute()
    },

    async merge(from, into, now) {
      await db.transaction().execute(async (trx) => {
        const old = await trx.selectFrom("owner").select("token_hash").where("id", "=", from).executeTakeFirst()
        if (!old) return
        await trx.updateTable("share").set({ owner_id: into }).where("owner_id", "=", from).execute()
        await trx.updateTable("owner_token").set({ owner_id: into }).where("owner_id", "=", from).execute()
        await trx.deleteFrom("owner").where("id", "=", from).execute()
        // The merged owner's own token keeps working, now naming `into`.
        await trx
          .insertInto("owner_token")
          .values({ token_hash: old.token_hash, owner_id: into, created_at: now })
          .execute()
      })
    },
  }
}
