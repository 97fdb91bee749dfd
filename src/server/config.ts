/**
 * Server configuration, every setting in one place: read from the environment once at start
 * (config-env.ts: the variables' schema, each documented beside it; docs/CONFIG.md lists the
 * same set), validated with zod. An invalid environment gives every problem at once, never a
 * half-read config.
 */
import type { z } from "zod"
import type { Rate } from "./config-values.ts"
import { Env } from "./config-env.ts"

export type { Rate }

export { Env }

/** The environment as read: what `Env` makes of the variables. */
type Vars = z.infer<typeof Env>

export type Config = {
  port: number
  host: string
  publicUrl: string | undefined
  databaseUrl: string
  logLevel: Vars["LOG_LEVEL"]
  logFormat: "json" | "pretty"
  bodyLimit: number
  itemLimit: number
  unknownItemLimit: number
  shareLimit: number
  doubleCreateWindowMs: number
  noindex: boolean
  shutdownTimeoutMs: number
  requestTimeoutMs: number
  sqliteSynchronous: "FULL" | "NORMAL"
  redactOnIngest: "redact" | "reject" | "off"
  /** Hardening limits: storage quotas, disk guard, stream and connection caps, WAL scrubbing. */
  limits: Limits
  /** Where /metrics is served: with a bearer token on the public port, and/or on its own port. */
  metrics: { token: string | undefined; port: number | undefined; host: string }
  // ---- secret scanning (SCAN_WORKERS, SCAN_BUDGET) ----
  scanWorkers: number
  scanBudgetMs: number
  // ----
  /** The share page: idle shares and embeds (IDLE_AFTER, EMBED, EMBED_ORIGINS). */
  viewer: ViewerSettings
  /** Who may view shares and how they log in (src/server/auth). */
  auth: AuthSettings
  /** Creation policy, retention, audit, admin and rate limits (docs/ENTERPRISE.md). */
  enterprise: EnterpriseSettings
}

export type ViewerSettings = {
  /** A working share reads as ended after this long without a sync. */
  idleAfterMs: number
  embed: "off" | "share" | "all"
  /** CSP frame-ancestors of the embed view. */
  embedOrigins: string[]
}

export type Limits = {
  quotaPerAddress: number | null
  quotaPerOwner: number | null
  minFreeDisk: number | null
  streamsPerAddress: number
  maxConnections: number
  scrubIntervalMs: number
}

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

export type AuthSettings = {
  viewAccess: "public" | "sso"
  /** Undefined when no provider is configured: no login, and no share can be `sso`. */
  oidc: Oidc | undefined
  sessionSecret: string | undefined
  sessionTtlMs: number
}

export type EnterpriseSettings = {
  createAccess: "open" | "network" | "disabled"
  createNetworks: string[]
  trustedProxies: string[]
  /** Lifetime of a new share without a requested one; undefined: SHARE_MAX_TTL, or no expiry. */
  shareTtlMs: number | undefined
  shareMaxTtlMs: number | undefined
  purgeIntervalMs: number
  purgeBatch: number
  syncBurstGapMs: number
  auditKey: string | undefined
  adminToken: string | undefined
  rateLimitCreate: Rate | null
  rateLimitSync: Rate | null
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] }

/** Parses an environment; never throws. */
export function parse(env: Record<string, string | undefined>, isTTY = false): ConfigResult {
  // An empty variable means "not set", as a shell `VAR=` usually intends.
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""))
  const r = Env.safeParse(clean)
  if (!r.success) {
    return { ok: false, problems: r.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`) }
  }
  const e = r.data
  // Checks that involve several variables run once every variable is valid on its own.
  const auth = authSettings(e)
  const enterprise = enterpriseSettings(e)
  if (!auth.ok || !enterprise.ok)
    return { ok: false, problems: [...(auth.ok ? [] : auth.problems), ...(enterprise.ok ? [] : enterprise.problems)] }
  return {
    ok: true,
    config: {
      port: e.PORT,
      host: e.HOST,
      publicUrl: e.PUBLIC_URL,
      databaseUrl: e.DATABASE_URL,
      logLevel: e.LOG_LEVEL,
      logFormat: e.LOG_FORMAT ?? (isTTY ? "pretty" : "json"),
      bodyLimit: e.BODY_LIMIT,
      itemLimit: e.ITEM_LIMIT,
      unknownItemLimit: e.UNKNOWN_ITEM_LIMIT,
      shareLimit: e.SHARE_LIMIT,
      doubleCreateWindowMs: e.DOUBLE_CREATE_WINDOW * 1000,
      noindex: e.NOINDEX,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT * 1000,
      requestTimeoutMs: e.REQUEST_TIMEOUT * 1000,
      sqliteSynchronous: e.SQLITE_SYNCHRONOUS === "normal" ? "NORMAL" : "FULL",
      redactOnIngest: e.REDACT_ON_INGEST,
      limits: {
        quotaPerAddress: e.QUOTA_PER_ADDRESS,
        quotaPerOwner: e.QUOTA_PER_OWNER,
        minFreeDisk: e.MIN_FREE_DISK,
        streamsPerAddress: e.MAX_STREAMS_PER_ADDRESS,
        maxConnections: e.MAX_CONNECTIONS,
        scrubIntervalMs: e.SCRUB_INTERVAL * 1000,
      },
      metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT, host: e.METRICS_HOST },
      // ---- secret scanning ----
      scanWorkers: e.SCAN_WORKERS,
      scanBudgetMs: Math.round(e.SCAN_BUDGET * 1000),
      // ----
      viewer: { idleAfterMs: e.IDLE_AFTER, embed: e.EMBED, embedOrigins: e.EMBED_ORIGINS },
      auth: auth.settings,
      enterprise: enterprise.settings,
    },
  }
}

/** The SSO settings, or every problem with them. */
function authSettings(e: Vars): { ok: true; settings: AuthSettings } | { ok: false; problems: string[] } {
  const problems: string[] = []
  const configured = e.OIDC_ISSUER !== undefined || e.OIDC_CLIENT_ID !== undefined
  if (e.VIEW_ACCESS === "sso" || configured) {
    if (!e.OIDC_ISSUER)
      problems.push(`OIDC_ISSUER: required ${e.VIEW_ACCESS === "sso" ? "when VIEW_ACCESS=sso" : "with OIDC_CLIENT_ID"}`)
    if (!e.OIDC_CLIENT_ID)
      problems.push(`OIDC_CLIENT_ID: required ${e.VIEW_ACCESS === "sso" ? "when VIEW_ACCESS=sso" : "with OIDC_ISSUER"}`)
  }
  if (!configured) {
    for (const [name, value] of [
      ["OIDC_ALLOWED_DOMAINS", e.OIDC_ALLOWED_DOMAINS],
      ["OIDC_REQUIRED_GROUP", e.OIDC_REQUIRED_GROUP],
      ["OIDC_ADMIN_GROUP", e.OIDC_ADMIN_GROUP],
      ["OIDC_CLIENT_SECRET", e.OIDC_CLIENT_SECRET],
    ] as const) {
      if (value !== undefined) problems.push(`${name}: has no effect without OIDC_ISSUER and OIDC_CLIENT_ID`)
    }
  }
  if (e.OIDC_ISSUER && !e.OIDC_SCOPES.split(/\s+/).includes("openid")) problems.push("OIDC_SCOPES: must include openid")
  if (problems.length) return { ok: false, problems }
  const oidc =
    e.OIDC_ISSUER && e.OIDC_CLIENT_ID
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
  return {
    ok: true,
    settings: { viewAccess: e.VIEW_ACCESS, oidc, sessionSecret: e.SESSION_SECRET, sessionTtlMs: e.SESSION_TTL * 1000 },
  }
}

/** The enterprise settings, or every problem with them. */
function enterpriseSettings(e: Vars): { ok: true; settings: EnterpriseSettings } | { ok: false; problems: string[] } {
  const problems: string[] = []
  if (e.SHARE_TTL !== undefined && e.SHARE_MAX_TTL !== undefined && e.SHARE_TTL > e.SHARE_MAX_TTL)
    problems.push("SHARE_TTL: must not be longer than SHARE_MAX_TTL")
  if (e.CREATE_ACCESS === "network" && !e.CREATE_NETWORKS?.length)
    problems.push("CREATE_NETWORKS: must list at least one network when CREATE_ACCESS=network")
  if (problems.length) return { ok: false, problems }
  return {
    ok: true,
    settings: {
      createAccess: e.CREATE_ACCESS,
      createNetworks: e.CREATE_NETWORKS ?? [],
      trustedProxies: e.TRUSTED_PROXIES ?? [],
      shareTtlMs: e.SHARE_TTL,
      shareMaxTtlMs: e.SHARE_MAX_TTL,
      purgeIntervalMs: e.PURGE_INTERVAL,
      purgeBatch: e.PURGE_BATCH,
      syncBurstGapMs: e.SYNC_BURST_GAP,
      auditKey: e.AUDIT_KEY,
      adminToken: e.ADMIN_TOKEN,
      rateLimitCreate: e.RATE_LIMIT_CREATE,
      rateLimitSync: e.RATE_LIMIT_SYNC,
    },
  }
}

/** The origin a share link starts with: PUBLIC_URL, else derived from where we listen. */
export function publicOrigin(config: Config, port: number): string {
  if (config.publicUrl) return config.publicUrl
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`
}

/** Defaults for tests and embedding: the same values the environment would give. */
export function defaults(overrides: Partial<Config> = {}): Config {
  const r = parse({})
  if (!r.ok) throw new Error(r.problems.join("; "))
  return { ...r.config, ...overrides }
}

/** Enterprise settings for tests and embedding: the defaults with `overrides` on top. */
export function enterpriseDefaults(overrides: Partial<EnterpriseSettings> = {}): EnterpriseSettings {
  return { ...defaults().enterprise, ...overrides }
}
