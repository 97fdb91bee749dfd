/** The SSO verbs (sso.ts) written once over Kysely for both backends. */
import type { Selectable } from "kysely"
import type { Backend } from "./kysely-store.ts"
import type { Account, SsoStore } from "./sso.ts"
import type { OwnerTable } from "./tables.ts"

export function accountFromRow(row: Selectable<OwnerTable>): Account {
  return { id: row.id, tokenHash: row.token_hash, createdAt: Number(row.created_at), ssoSubject: row.sso_subject ?? null, ssoEmail: row.sso_email ?? null }
}

export function ssoStore(backend: Backend): SsoStore {
  const { db } = backend
  return {
    async setAccess(id, access) {
      const r = await db.updateTable("share").set({ access }).where("id", "=", id).executeTakeFirst()
      return Number(r.numUpdatedRows) > 0
    },

    async bySubject(subject) {
      const row = await db.selectFrom("owner").selectAll().where("sso_subject", "=", subject).executeTakeFirst()
      return row ? accountFromRow(row) : undefined
    },

    async byToken(tokenHash) {
      const row = (await db.selectFrom("owner").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst())
        ?? (await db.selectFrom("owner_token").innerJoin("owner", "owner.id", "owner_token.owner_id").selectAll("owner").where("owner_token.token_hash", "=", tokenHash).executeTakeFirst())
      return row ? accountFromRow(row) : undefined
    },

    async createAccount(a) {
      await db.insertInto("owner").values({ id: a.id, token_hash: a.tokenHash, created_at: a.createdAt, sso_subject: a.subject, sso_email: a.email }).execute()
    },

    async link(ownerID, subject, email) {
      const r = await db.updateTable("owner").set({ sso_subject: subject, sso_email: email }).where("id", "=", ownerID).where("sso_subject", "is", null).executeTakeFirst()
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
        await trx.insertInto("owner_token").values({ token_hash: old.token_hash, owner_id: into, created_at: now }).execute()
      })
    },

    async saveCode(codeHash, code, expiresAt) {
      await db.deleteFrom("login_code").where("expires_at", "<", expiresAt - 3_600_000).execute()
      await db.insertInto("login_code").values({ code_hash: codeHash, subject: code.subject, email: code.email, challenge: code.challenge, run_hash: code.run, expires_at: expiresAt }).execute()
    },

    async takeCode(codeHash, now) {
      // Delete first: of two concurrent redeemers only the one whose delete removed the row wins.
      const row = await db.selectFrom("login_code").selectAll().where("code_hash", "=", codeHash).executeTakeFirst()
      if (!row) return undefined
      const r = await db.deleteFrom("login_code").where("code_hash", "=", codeHash).executeTakeFirst()
      if (Number(r.numDeletedRows) === 0 || Number(row.expires_at) <= now) return undefined
      return { subject: row.subject, email: row.email, challenge: row.challenge, run: row.run_hash ?? null }
    },
  }
}
