/**
 * The SSO part of the server configuration (docs/ENTERPRISE.md, "SSO"). config.ts spreads
 * these variables into its schema and calls `settings()` once they are parsed.
 */
import { z } from "zod"
import { parseUrl } from "../env-url.ts"

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"])

const Issuer = z.string().trim().transform((s, ctx) => {
  const u = parseUrl(s, ctx)
  if (u === z.NEVER) return z.NEVER
  // Tokens and user data cross this connection: plain HTTP only to a provider on this machine.
  if (u.protocol !== "https:" && !(u.protocol === "http:" && LOOPBACK.has(u.hostname))) {
    ctx.addIssue({ code: "custom", message: "must be an https:// URL (http:// only on 127.0.0.1 or localhost)" })
  }
  return u.href.replace(/\/$/, "")
})

const List = z.string().transform((s) => s.split(",").map((x) => x.trim().toLowerCase().replace(/^@/, "")).filter(Boolean))

export const AuthEnv = z.object({
  /** Who may view shares: `public` (anyone with the link) or `sso` (only users who log in through OIDC_ISSUER and pass the checks below). A share's owner may make one share `sso` on a public server, never the reverse. */
  VIEW_ACCESS: z.enum(["public", "sso"]).default("public"),
  /** The OpenID Connect issuer; its /.well-known/openid-configuration is read at the first login. */
  OIDC_ISSUER: Issuer.optional(),
  /** This server's client id at the provider (redirect URI: PUBLIC_URL + /auth/callback). */
  OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
  /** The client secret; leave unset for a public client (PKCE only). */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Scopes asked for at login. Add the one your provider needs for the groups claim. */
  OIDC_SCOPES: z.string().trim().default("openid email profile"),
  /** Email domains allowed to view, comma-separated (`example.com,example.org`); unset allows any. */
  OIDC_ALLOWED_DOMAINS: List.optional(),
  /** A group the user must be in (looked up in OIDC_GROUPS_CLAIM); unset requires none. */
  OIDC_REQUIRED_GROUP: z.string().trim().min(1).optional(),
  /** A group whose members open the admin area (/admin) by logging in through SSO, besides or instead of ADMIN_TOKEN. */
  OIDC_ADMIN_GROUP: z.string().trim().min(1).optional(),
  /** The claim (ID token or userinfo) that lists the user's groups. */
  OIDC_GROUPS_CLAIM: z.string().trim().min(1).default("groups"),
  /** Key for the sealed session cookie (and its logout CSRF token, and `agentshare login`'s links), at least 32 characters; unset: a random one per process (sessions end at restart and do not cross instances). */
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Seconds a login lasts before the viewer must log in again. */
  SESSION_TTL: z.coerce.number().int().min(60).max(30 * 86400).default(8 * 3600),
})

export type Oidc = {
  issuer: string
  clientId: string
  clientSecret: string | undefined
  scopes: string
  allowedDomains: string[]
  requiredGroup: string | undefined
  /** Members of this group open the admin area through SSO. */
  adminGroup?: string | undefined
  groupsClaim: string
}

export type Settings = {
  viewAccess: "public" | "sso"
  /** Undefined when no provider is configured: no login, and no share can be `sso`. */
  oidc: Oidc | undefined
  sessionSecret: string | undefined
  sessionTtlMs: number
}

/** The SSO settings, or every problem with them. */
export function settings(e: z.infer<typeof AuthEnv>): { ok: true; settings: Settings } | { ok: false; problems: string[] } {
  const problems: string[] = []
  const configured = e.OIDC_ISSUER !== undefined || e.OIDC_CLIENT_ID !== undefined
  if (e.VIEW_ACCESS === "sso" || configured) {
    if (!e.OIDC_ISSUER) problems.push(`OIDC_ISSUER: required ${e.VIEW_ACCESS === "sso" ? "when VIEW_ACCESS=sso" : "with OIDC_CLIENT_ID"}`)
    if (!e.OIDC_CLIENT_ID) problems.push(`OIDC_CLIENT_ID: required ${e.VIEW_ACCESS === "sso" ? "when VIEW_ACCESS=sso" : "with OIDC_ISSUER"}`)
  }
  if (!configured) {
    for (const [name, value] of [["OIDC_ALLOWED_DOMAINS", e.OIDC_ALLOWED_DOMAINS], ["OIDC_REQUIRED_GROUP", e.OIDC_REQUIRED_GROUP], ["OIDC_ADMIN_GROUP", e.OIDC_ADMIN_GROUP], ["OIDC_CLIENT_SECRET", e.OIDC_CLIENT_SECRET]] as const) {
      if (value !== undefined) problems.push(`${name}: has no effect without OIDC_ISSUER and OIDC_CLIENT_ID`)
    }
  }
  if (e.OIDC_ISSUER && !e.OIDC_SCOPES.split(/\s+/).includes("openid")) problems.push("OIDC_SCOPES: must include openid")
  if (problems.length) return { ok: false, problems }
  const oidc = e.OIDC_ISSUER && e.OIDC_CLIENT_ID
    ? {
        issuer: e.OIDC_ISSUER,
        clientId: e.OIDC_CLIENT_ID,
        clientSecret: e.OIDC_CLIENT_SECRET,
        scopes: e.OIDC_SCOPES,
        allowedDomains: e.OIDC_ALLOWED_DOMAINS ?? [],
        requiredGroup: e.OIDC_REQUIRED_GROUP,
        adminGroup: e.OIDC_ADMIN_GROUP,
        groupsClaim: e.OIDC_GROUPS_CLAIM,
      }
    : undefined
  return { ok: true, settings: { viewAccess: e.VIEW_ACCESS, oidc, sessionSecret: e.SESSION_SECRET, sessionTtlMs: e.SESSION_TTL * 1000 } }
}
