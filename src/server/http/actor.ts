/**
 * Who acts: the one rule that turns a request's credentials into an Actor. A share's secret
 * (in the body) makes its owner's client act, or an anonymous client when it has no owner; an
 * owner token (a bearer) makes that owner act, on its own shares only; the admin area and SSO
 * logins make their own actors (admin/auth.ts, auth/routes.ts). Every audit entry names one.
 */
import type { ShareRecord, Owner } from "../../store/index.ts"
import type { Deps } from "../context.ts"
import { forbidden, unauthorized } from "../errors.ts"
import * as Secret from "../secret.ts"

export const KINDS = ["owner", "sso", "admin", "system", "client"] as const
export type Kind = (typeof KINDS)[number]

/** Who acted, and from which address (undefined for the server itself). */
export type Actor = { kind: Kind; id?: string | null; ip?: string | undefined }

/** The server itself (the purge job). */
export const system: Actor = { kind: "system" }

/** Who acts with a share's secret: its owner's client when it has one. */
export const bySecret = (share: Pick<ShareRecord, "ownerID">, ip?: string): Actor =>
  share.ownerID ? { kind: "owner", id: share.ownerID, ip } : { kind: "client", ip }

/** The owner an `authorization: Bearer` header names; undefined without the header, 401 for a bad token. */
export async function owner(deps: Deps, header: string | undefined): Promise<Owner | undefined> {
  if (header === undefined) return undefined
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!m || (m[1] ?? "").length > 512) throw unauthorized("owner")
  const found = await deps.store.owners.byToken(Secret.hash(m[1] ?? ""))
  if (!found) throw unauthorized("owner")
  return found
}

/**
 * Who may change `share`: the holder of its secret, or its owner by token. The same answer for
 * every owner action (redact, expiry, access, delete). 403 for a wrong secret or another
 * owner's token, 401 with neither.
 */
export async function onShare(
  deps: Deps,
  share: ShareRecord,
  credentials: { secret?: string | undefined; authorization?: string | undefined; ip?: string | undefined },
): Promise<Actor> {
  if (credentials.secret !== undefined) {
    if (!Secret.verify(credentials.secret, share.secretHash)) throw forbidden()
    return bySecret(share, credentials.ip)
  }
  const who = await owner(deps, credentials.authorization)
  if (!who) throw unauthorized("owner")
  if (share.ownerID !== who.id) throw forbidden()
  return { kind: "owner", id: who.id, ip: credentials.ip }
}
