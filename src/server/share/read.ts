/** Finding a share for a request: a valid id, live (else 404/410), and the share whose items it shows. */
import { ID_PATTERN, type Access } from "../../schema/index.ts"
import type { ItemRow, ShareRecord } from "../../store/index.ts"
import type { Deps } from "../context.ts"
import { badRequest, forbidden, gone, notFound } from "../errors.ts"
import * as Secret from "../secret.ts"
import * as Expiry from "./expiry.ts"

export function checkId(id: string): string {
  if (!ID_PATTERN.test(id))
    throw badRequest("invalid_id", "share id must be 1-128 characters of A-Z, a-z, 0-9, _ and -")
  return id
}

/** The live share, or the 404/410 a client should see. */
export async function live(deps: Deps, id: string): Promise<ShareRecord> {
  const found = await deps.store.shares.find(checkId(id))
  if (found.state === "missing") throw notFound()
  if (found.state === "gone") throw gone(found.reason)
  // Expired shares are gone at once, before the purge job deletes them.
  return Expiry.check(deps, found.share)
}

/** A live share whose secret matches, else 403 (nothing changes). */
export async function authorized(deps: Deps, id: string, secret: string): Promise<ShareRecord> {
  const share = await live(deps, id)
  if (!Secret.verify(secret, share.secretHash)) throw forbidden()
  return share
}

/**
 * The share whose items a reader of `share` sees. The stock client under "share": "auto" sends
 * two concurrent creates for one session and may print the URL of the one that never gets a
 * sync. Such a pair is tied together when the second is created, and only then: the same client
 * (address and user agent), within DOUBLE_CREATE_WINDOW, while neither holds data
 * (Store.shares.create). An empty share of a pair shows the pair's share that received syncs.
 * Only reading follows this: every write acts on the share its URL names.
 */
export async function source(deps: Deps, share: ShareRecord): Promise<ShareRecord> {
  if (share.itemCount > 0 || !share.twinGroup) return share
  const twins = (await deps.store.shares.twins(share.twinGroup)).filter(
    (s) => s.id !== share.id && s.itemCount > 0 && !Expiry.isExpired(deps, s),
  )
  return twins[0] ?? share
}

/** Who may view a share that shows `source`: the stricter of the two shares' settings. */
export const access = (share: ShareRecord, source: ShareRecord): Access =>
  share.access === "sso" || source.access === "sso" ? "sso" : "public"

export type View = { share: ShareRecord; source: ShareRecord; items: ItemRow[] }

/** A share with the items a reader sees (its twin's, for an empty twin). */
export async function read(deps: Deps, id: string, since?: number): Promise<View> {
  const share = await live(deps, id)
  const from = await source(deps, share)
  return { share, source: from, items: await deps.store.shares.items(from, { since }) }
}
