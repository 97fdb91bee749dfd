/**
 * The Store verbs written once over Kysely; each backend supplies its dialect, migrations and
 * the one thing that differs: how a sync takes its share for itself inside a transaction.
 */
import { sql, type Kysely, type Selectable, type Transaction } from "kysely"
import { FINAL_RANK } from "../schema/index.ts"
import { groupCommit } from "./group-commit.ts"
import type { Database, ShareTable } from "./tables.ts"
import { countBurst, enterpriseStore, titleOf } from "./enterprise-store.ts"
import { sessionsStore } from "./sessions-store.ts"
import { ssoStore } from "./sso-store.ts"
import { QuotaExceeded, ShareNotFound, ShareTooLarge, type CreateOptions, type IngestItem, type ItemRow, type ItemsQuery, type Lookup, type NewShare, type OwnedRecord, type OwnerRecord, type ShareRecord, type Store, type SyncOptions, type SyncOutcome } from "./store.ts"

/** Where each known type sorts inside its session (`opencode import` order). */
const ORDER: Record<string, number> = { session: 0, session_diff: 1, model: 2, message: 3, part: 3 }
const OTHER_ORDER = 4
/** Rows per multi-row statement: keeps every backend under its bind-parameter limit. */
const CHUNK = 100

export type Backend = {
  kind: string
  db: Kysely<Database>
  /** Lock the share row for the rest of the transaction (PostgreSQL: SELECT … FOR UPDATE). */
  lockShare(trx: Transaction<Database>, id: string): Promise<Selectable<ShareTable> | undefined>
  /** Serialise creates for one session until the transaction ends (PostgreSQL: an advisory
   * lock; SQLite's BEGIN IMMEDIATE already serialises every write). */
  lockSession?(trx: Transaction<Database>, sessionID: string): Promise<void>
  /** Run syncs in groups that share one commit (SQLite: commits block the process). */
  groupCommit?: boolean
  /** See Store.scrub. */
  scrub?(): Promise<void>
  close(): Promise<void>
}

export function fromRow(row: Selectable<ShareTable>): ShareRecord {
  return {
    id: row.id,
    sessionID: row.session_id,
    secretHash: row.secret_hash,
    ownerID: row.owner_id,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    seq: Number(row.seq),
    bytes: Number(row.bytes),
    itemCount: Number(row.item_count),
    redactions: Number(row.redactions ?? 0),
    expiresAt: row.expires_at == null ? null : Number(row.expires_at),
    access: row.access === "sso" ? "sso" : "public",
    creator: row.creator ?? null,
    twinGroup: row.twin_group ?? null,
  }
}

/** Sum of the bytes of live shares whose `column` is `value`, other than `except`. */
async function usedBy(trx: Transaction<Database>, column: "creator" | "owner_id", value: string, except: string): Promise<number> {
  const row = await trx.selectFrom("share").select(sql<number>`coalesce(sum(bytes), 0)`.as("n"))
    .where(column, "=", value).where("id", "!=", except).executeTakeFirstOrThrow()
  return Number(row.n)
}

export function kyselyStore(backend: Backend): Store {
  const { db } = backend
  const write: <T>(run: (trx: Transaction<Database>) => Promise<T>) => Promise<T> = backend.groupCommit
    ? groupCommit(db)
    : (run) => db.transaction().execute(run)
  return {
    kind: backend.kind,

    async create(share: NewShare, options: CreateOptions = {}) {
      return write(async (trx) => {
        const window = options.twinWindowMs ?? 0
        if (window > 0 && share.client) await backend.lockSession?.(trx, share.sessionID)
        await trx.insertInto("share").values({
          id: share.id,
          session_id: share.sessionID,
          secret_hash: share.secretHash,
          owner_id: share.ownerID,
          created_at: share.createdAt,
          updated_at: share.createdAt,
          expires_at: share.expiresAt ?? null,
          creator: share.creator ?? null,
          client: share.client ?? null,
        }).execute()
        if (window <= 0 || !share.client) return { twinGroup: null }
        // The stock client's double create: the same client, a few seconds apart, neither
        // holding data yet. Only then are the two paired (docs/PROTOCOL.md, "Double create").
        const twin = await trx.selectFrom("share").select(["id", "twin_group"])
          .where("session_id", "=", share.sessionID).where("client", "=", share.client).where("id", "!=", share.id)
          .where("seq", "=", 0).where("created_at", ">=", share.createdAt - window).where("created_at", "<=", share.createdAt + window)
          .orderBy("created_at", "desc").orderBy("id").executeTakeFirst()
        if (!twin) return { twinGroup: null }
        const group = twin.twin_group ?? twin.id
        if (!twin.twin_group) await trx.updateTable("share").set({ twin_group: group }).where("id", "=", twin.id).execute()
        await trx.updateTable("share").set({ twin_group: group }).where("id", "=", share.id).execute()
        return { twinGroup: group }
      })
    },

    async twins(group: string) {
      const rows = await db.selectFrom("share").selectAll().where("twin_group", "=", group).orderBy("updated_at", "desc").orderBy("id").execute()
      return rows.map(fromRow)
    },

    async find(id: string): Promise<Lookup> {
      const row = await db.selectFrom("share").selectAll().where("id", "=", id).executeTakeFirst()
      if (row) return { state: "live", share: fromRow(row) }
      const gone = await db.selectFrom("share_tombstone").selectAll().where("id", "=", id).executeTakeFirst()
      if (gone) return { state: "gone", id: gone.id, deletedAt: Number(gone.deleted_at), reason: gone.reason }
      return { state: "missing" }
    },

    async bySession(sessionID: string, since?: number) {
      let q = db.selectFrom("share").selectAll().where("session_id", "=", sessionID)
      if (since !== undefined) q = q.where("created_at", ">=", since)
      const rows = await q.orderBy("created_at", "desc").orderBy("id").execute()
      return rows.map(fromRow)
    },

    async sync(id: string, items: IngestItem[], now: number, maxBytes: number, options: SyncOptions = {}): Promise<SyncOutcome> {
      return write(async (trx) => {
        const share = await backend.lockShare(trx, id)
        if (!share) throw new ShareNotFound(id)
        // The same key twice in one batch: the later entry is the client's latest value.
        const latest = new Map<string, IngestItem>()
        for (const item of items) {
          latest.delete(item.key)
          latest.set(item.key, item)
        }
        const keys = [...latest.keys()]
        const existing = new Map<string, { rank: string; size: number; redactions: number }>()
        for (let i = 0; i < keys.length; i += CHUNK * 5) {
          const rows = await trx.selectFrom("share_item").select(["key", "rank", "size", "redactions"])
            .where("share_id", "=", id).where("key", "in", keys.slice(i, i + CHUNK * 5)).execute()
          for (const r of rows) existing.set(r.key, { rank: r.rank, size: Number(r.size), redactions: Number(r.redactions ?? 0) })
        }
        const seq = Number(share.seq) + 1
        let bytes = Number(share.bytes)
        let count = Number(share.item_count)
        let redactions = Number(share.redactions ?? 0)
        let stale = 0
        const rows: Database["share_item"][] = []
        const removals: string[] = []
        for (const item of latest.values()) {
          const old = existing.get(item.key)
          if (item.type === "remove") {
            // A taken-down item stays down: removing it would let its old value come back.
            if (old?.rank === FINAL_RANK) stale += 1
            else if (old) {
              removals.push(item.key)
              bytes -= old.size
              count -= 1
              redactions -= old.redactions
            }
            continue
          }
          if (old && item.rank < old.rank) {
            stale += 1
            continue
          }
          const data = item.json
          const size = Buffer.byteLength(data)
          bytes += size - (old?.size ?? 0)
          if (!old) count += 1
          redactions += (item.redactions ?? 0) - (old?.redactions ?? 0)
          rows.push({
            share_id: id,
            key: item.key,
            type: item.type,
            session_id: item.sessionID,
            ord: ORDER[item.type] ?? OTHER_ORDER,
            sort: item.sort,
            rank: item.rank,
            size,
            seq,
            data,
            redactions: item.redactions ?? 0,
          })
        }
        if (bytes > maxBytes) throw new ShareTooLarge(maxBytes)
        const grows = bytes > Number(share.bytes)
        const quota = options.quota
        if (grows && quota?.creator !== undefined && share.creator && (await usedBy(trx, "creator", share.creator, id)) + bytes > quota.creator) {
          throw new QuotaExceeded("address", quota.creator)
        }
        if (grows && quota?.owner !== undefined && share.owner_id && (await usedBy(trx, "owner_id", share.owner_id, id)) + bytes > quota.owner) {
          throw new QuotaExceeded("owner", quota.owner)
        }
        for (let i = 0; i < rows.length; i += CHUNK) {
          await trx.insertInto("share_item").values(rows.slice(i, i + CHUNK))
            .onConflict((oc) => oc.columns(["share_id", "key"]).doUpdateSet((eb) => ({
              type: eb.ref("excluded.type"),
              session_id: eb.ref("excluded.session_id"),
              ord: eb.ref("excluded.ord"),
              sort: eb.ref("excluded.sort"),
              rank: eb.ref("excluded.rank"),
              size: eb.ref("excluded.size"),
              seq: eb.ref("excluded.seq"),
              data: eb.ref("excluded.data"),
              redactions: eb.ref("excluded.redactions"),
            })))
            .execute()
        }
        for (let i = 0; i < removals.length; i += CHUNK * 5) {
          await trx.deleteFrom("share_item").where("share_id", "=", id).where("key", "in", removals.slice(i, i + CHUNK * 5)).execute()
        }
        // The burst is counted in the sync's own transaction: a refused sync records nothing.
        const burst = options.burst ? await countBurst(trx, id, now, options.burst.gapMs, options.burst.actor) : undefined
        const changed = rows.length + removals.length
        if (changed === 0) return { seq: Number(share.seq), accepted: 0, stale, bytes, burst }
        await trx.updateTable("share").set({ seq, bytes, item_count: count, redactions, updated_at: now }).where("id", "=", id).execute()
        return { seq, accepted: rows.length + removals.length, stale, bytes, burst }
      })
    },

    async items(share: ShareRecord, query: ItemsQuery = {}): Promise<ItemRow[]> {
      let q = db.selectFrom("share_item")
        .select(["key", "type", "session_id", "seq", "data"])
        .where("share_id", "=", share.id)
      if (query.since !== undefined) q = q.where("seq", ">", query.since)
      const rows = await q
        .orderBy(sql`case when session_id = ${share.sessionID} then 0 else 1 end`)
        .orderBy("session_id")
        .orderBy("ord")
        .orderBy("sort")
        .orderBy("key")
        .execute()
      return rows.map((r) => ({ key: r.key, type: r.type, sessionID: r.session_id, seq: Number(r.seq), data: JSON.parse(r.data) }))
    },

    async remove(id: string, now: number, reason = "unshared") {
      return db.transaction().execute(async (trx) => {
        const share = await backend.lockShare(trx, id)
        if (!share) return false
        await trx.deleteFrom("share_item").where("share_id", "=", id).execute()
        await trx.deleteFrom("share").where("id", "=", id).execute()
        await trx.insertInto("share_tombstone").values({ id, deleted_at: now, reason }).execute()
        return true
      })
    },

    async createOwner(owner: OwnerRecord) {
      await db.insertInto("owner").values({ id: owner.id, token_hash: owner.tokenHash, created_at: owner.createdAt }).execute()
    },

    async ownerByToken(tokenHash: string) {
      // A token added by `agentshare login` (owner_token) names its owner too.
      const row = (await db.selectFrom("owner").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst())
        ?? (await db.selectFrom("owner_token").innerJoin("owner", "owner.id", "owner_token.owner_id").selectAll("owner").where("owner_token.token_hash", "=", tokenHash).executeTakeFirst())
      return row ? { id: row.id, tokenHash: row.token_hash, createdAt: Number(row.created_at) } : undefined
    },

    async owned(ownerID: string): Promise<OwnedRecord[]> {
      const rows = await db.selectFrom("share")
        .leftJoin("share_item", (j) => j.onRef("share_item.share_id", "=", "share.id").on("share_item.key", "=", sql<string>`'session/' || share.session_id`))
        .selectAll("share")
        .select("share_item.data as session_data")
        .where("share.owner_id", "=", ownerID)
        .orderBy("share.created_at", "desc")
        .orderBy("share.id")
        .execute()
      return rows.map(({ session_data, ...row }) => ({ ...fromRow(row), title: titleOf(session_data) }))
    },

    async claim(id: string, ownerID: string) {
      const r = await db.updateTable("share").set({ owner_id: ownerID })
        .where("id", "=", id)
        .where((eb) => eb.or([eb("owner_id", "is", null), eb("owner_id", "=", ownerID)]))
        .executeTakeFirst()
      return Number(r.numUpdatedRows) > 0
    },

    enterprise: enterpriseStore(backend, write),
    sso: ssoStore(backend),
    sessions: sessionsStore(backend),

    scrub: async () => {
      await backend.scrub?.()
    },
    close: () => backend.close(),
  }
}
