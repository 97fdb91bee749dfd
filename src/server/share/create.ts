/** Creating a share: a random id and secret, the creator's keyed hashes, an expiry, and the double-create pairing. */
import type { Access } from "../../schema/index.ts"
import * as Policy from "../auth/policy.ts"
import type { Deps } from "../context.ts"
import * as Audit from "../governance/audit.ts"
import * as Actors from "../http/actor.ts"
import * as Secret from "../secret.ts"
import * as Expiry from "./expiry.ts"

/** Who is creating a share: its address (TRUSTED_PROXIES applied) and user agent. */
export type Creator = { ip: string | undefined; userAgent: string | undefined }

/**
 * `access: "sso"` makes the share SSO-only before it holds anything (the caller checks SSO is
 * configured). `expiresIn` (docs/ENTERPRISE.md) only from clients that ask; stock clients get
 * the server default.
 */
export type CreateOptions = { by?: Creator; ownerID?: string | null; expiresIn?: Expiry.Requested; access?: Access }

export async function create(deps: Deps, sessionID: string, options: CreateOptions = {}) {
  const { by = { ip: undefined, userAgent: undefined }, ownerID = null, expiresIn, access } = options
  deps.disk.check()
  const now = deps.now()
  const id = Secret.shareId()
  const secret = Secret.secret()
  const expiresAt = Expiry.at(deps, now, now, expiresIn)
  const creator = by.ip ? await Audit.hashIp(deps, by.ip) : null
  const client = await Audit.hashClient(deps, by.ip, by.userAgent)
  const actor = Actors.bySecret({ ownerID }, by.ip)
  // The create and its audit entry are one transaction (one group commit on SQLite).
  const created = await Audit.entry(deps, {
    action: "created",
    shareID: id,
    actor,
    at: now,
    detail: expiresAt === null ? undefined : { expiresAt },
  })
  const { twinGroup } = await deps.store.shares.create(
    { id, sessionID, secretHash: Secret.hash(secret), ownerID, createdAt: now, expiresAt, creator, client },
    { twinWindowMs: deps.config.doubleCreateWindowMs, audit: [created] },
  )
  deps.log.info({ shareID: id, twinGroup: twinGroup ?? undefined }, "share created")
  if (access === "sso") {
    await deps.store.shares.setAccess(id, "sso")
    await Audit.record(deps, {
      action: "policy_changed",
      shareID: id,
      actor,
      detail: { setting: "access", value: "sso" },
    })
  }
  return {
    id,
    secret,
    url: `${deps.origin()}/share/${id}`,
    ...(expiresIn === undefined ? {} : { expiresAt }),
    ...(access === undefined ? {} : { access: Policy.effective(deps.config.auth, access) }),
  }
}
