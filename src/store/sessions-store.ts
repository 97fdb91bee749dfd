/** The session verbs (sessions.ts) written once over Kysely for both backends. */
import type { Backend } from "./kysely-store.ts"
import type { SessionStore } from "./sessions.ts"

export function sessionsStore(backend: Backend): SessionStore {
  const { db } = backend
  return {
    async revoke(idHash, expiresAt, now) {
      // A record is needed only while the cookie could still be presented.
      await db.deleteFrom("revoked_session").where("expires_at", "<=", now).execute()
      await db.insertInto("revoked_session").values({ id_hash: idHash, expires_at: expiresAt }).onConflict((oc) => oc.column("id_hash").doNothing()).execute()
    },

    async revoked(idHash) {
      const row = await db.selectFrom("revoked_session").select("id_hash").where("id_hash", "=", idHash).executeTakeFirst()
      return row !== undefined
    },
  }
}
