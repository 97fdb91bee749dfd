/** Who may view what: the effective access of a share and whether a logged-in user passes. */
import type { Access } from "../../schema/index.ts"
import type { AuthSettings as Settings, Oidc } from "../config.ts"

/** What a login proved about the user, as kept in the session cookie. */
export type Viewer = {
  /** `iss` and `sub`: one user at one provider. */
  subject: string
  email: string | null
  emailVerified: boolean
  /** The required and the admin group, those the user is in (the cookie keeps no other groups). */
  groups: string[]
  /** Epoch ms after which the session is over. */
  expiresAt: number
  /** A random id of this session: logging out revokes it on the server (session.ts). */
  sid: string
}

/** The share's own setting can only make it stricter than the server's. */
export function effective(settings: Settings, access: Access): Access {
  return settings.viewAccess === "sso" ? "sso" : access
}

export type Verdict = { ok: true } | { ok: false; reason: string }

export function check(oidc: Oidc, viewer: Pick<Viewer, "email" | "emailVerified" | "groups">): Verdict {
  if (oidc.allowedDomains.length > 0) {
    const domain = viewer.email?.split("@").pop()?.toLowerCase()
    // An address the provider says it has not verified proves nothing about the domain.
    if (!domain || !viewer.emailVerified || !oidc.allowedDomains.includes(domain)) {
      return { ok: false, reason: `your account is not in an allowed email domain (${oidc.allowedDomains.join(", ")})` }
    }
  }
  if (oidc.requiredGroup !== undefined && !viewer.groups.includes(oidc.requiredGroup)) {
    return { ok: false, reason: `your account is not in the group ${oidc.requiredGroup}` }
  }
  return { ok: true }
}

/** The groups worth keeping in the session cookie: the required and the admin group, when the user is in them. */
export function kept(oidc: Oidc, groups: string[]): string[] {
  return [oidc.requiredGroup, oidc.adminGroup].filter(
    (g, i, all): g is string => g !== undefined && groups.includes(g) && all.indexOf(g) === i,
  )
}

/** The groups claim as a list of strings (providers send an array, some a single string). */
export function groups(claims: Record<string, unknown>, claim: string): string[] {
  const v = claims[claim]
  if (typeof v === "string") return [v]
  return Array.isArray(v) ? v.filter((g): g is string => typeof g === "string") : []
}
