/**
 * Owners: a token the server issues on first use, stored only as its hash. Shares created with
 * it (or claimed with their secret) can be listed and deleted by its holder, never by anyone else.
 */
import { randomBytes } from "node:crypto"
import type { OwnedShare } from "../../schema/index.ts"
import type { Owner } from "../../store/index.ts"
import * as Analytics from "../governance/analytics.ts"
import type { Deps } from "../context.ts"
import { owned, unauthorized as unauthorizedBy } from "../errors.ts"
import * as Secret from "../secret.ts"
import * as Share from "../share/index.ts"

export const unauthorized = () => unauthorizedBy("owner")

export async function issue(deps: Deps): Promise<{ ownerID: string; token: string }> {
  const ownerID = `own_${randomBytes(12).toString("base64url")}`
  // Prefixed so a leaked token is recognisable (and greppable by secret scanners).
  const token = `agsh_${Secret.secret()}`
  await deps.store.owners.create({ id: ownerID, tokenHash: Secret.hash(token), createdAt: deps.now() })
  deps.log.info({ ownerID }, "owner issued")
  return { ownerID, token }
}

export async function list(deps: Deps, owner: Owner): Promise<OwnedShare[]> {
  const rows = (await deps.store.shares.owned(owner.id)).filter((r) => !Share.Expiry.isExpired(deps, r))
  const views = await Analytics.totals(
    deps,
    rows.map((r) => r.id),
  )
  return rows.map((r) => ({
    id: r.id,
    url: `${deps.origin()}/share/${r.id}`,
    sessionID: r.sessionID,
    title: r.title,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    items: r.itemCount,
    bytes: r.bytes,
    expiresAt: r.expiresAt,
    views: views.get(r.id)?.views ?? 0,
    uniqueViews: views.get(r.id)?.uniques ?? 0,
  }))
}

/** Deletes the owner's shares among `ids` (all of them without `ids`); answers the ids removed.
 * An id the owner does not hold is skipped exactly like one that does not exist. */
export async function remove(
  deps: Deps,
  owner: Owner,
  ids: string[] | undefined,
  ip: string | undefined,
): Promise<string[]> {
  const mine = await deps.store.shares.owned(owner.id)
  const wanted = ids ? new Set(ids) : undefined
  const removed: string[] = []
  for (const share of mine) {
    if (wanted && !wanted.has(share.id)) continue
    if (await Share.remove(deps, share, "unshared by owner", { kind: "owner", id: owner.id, ip }, { scrub: false }))
      removed.push(share.id)
  }
  if (removed.length > 0) await deps.store.scrub()
  return removed
}

/** Adopts a share made without a token, proven by its secret. */
export async function claim(deps: Deps, owner: Owner, id: string, secret: string): Promise<void> {
  const share = await Share.authorized(deps, id, secret)
  if (!(await deps.store.shares.claim(share.id, owner.id))) throw owned()
}
