/** The one fromRow per table: SQL rows (snake_case, bigint as string on PostgreSQL) to records. */
import type { Selectable } from "kysely"
import type { AuditRow } from "./audit.ts"
import type { Owner } from "./owners.ts"
import type { ShareRecord } from "./shares.ts"
import type { AuditTable, OwnerTable, ShareTable } from "./tables.ts"

export function share(row: Selectable<ShareTable>): ShareRecord {
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
    title: row.title ?? null,
  }
}

export function owner(row: Selectable<OwnerTable>): Owner {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    createdAt: Number(row.created_at),
    ssoSubject: row.sso_subject ?? null,
    ssoEmail: row.sso_email ?? null,
  }
}

export function audit(r: Selectable<AuditTable>): AuditRow {
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
