/** The login verbs (../logins.ts) written once over Kysely for both backends. */
import type { Backend } from "../backend.ts"
import type { Logins } from "../logins.ts"

export function logins(backend: Backend): Logins {
  const { db } = backend
  return {
    async saveCode(codeHash, code, expiresAt) {
      await db
        .deleteFrom("login_code")
        .where("expires_at", "<", expiresAt - 3_600_000)
        .execute()
      await db
        .insertInto("login_code")
        .values({
          code_hash: codeHash,
          subject: code.subject,
          email: code.email,
          challenge: code.challenge,
          run_hash: code.run,
          expires_at: expiresAt,
        })
        .execute()
    },

    async takeCode(codeHash, now) {
      // Delete first: of two concurrent redeemers only the one whose delete removed the row wins.
      const row = await db.selectFrom("login_code").selectAll().where("code_hash", "=", codeHash).executeTakeFirst()
      if (!row) return undefined
      const r = await db.deleteFrom("login_code").where("code_hash", "=", codeHash).executeTakeFirst()
      if (Number(r.numDeletedRows) === 0 || Number(row.expires_at) <= now) return undefined
      return { subject: row.subject, email: row.email, challenge: row.challenge, run: row.run_hash ?? null }
    },

    async revoke(idHash, expiresAt, now) {
      // A record is needed only while the cookie could still be presented.
      await db.deleteFrom("revoked_session").where("expires_at", "<=", now).execute()
      await db
        .insertInto("revoked_session")
        .values({ id_hash: idHash, expires_at: expiresAt })
        .onConflict((oc) => oc.column("id_hash").doNothing())
        .execute()
    },

    async revoked(idHash) {
      const row = await db
        .selectFrom("revoked_session")
        .select("id_hash")
        .where("id_hash", "=", idHash)
        .executeTakeFirst()
      return row !== undefined
    },
  }
}
