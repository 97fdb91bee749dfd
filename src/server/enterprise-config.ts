/**
 * The enterprise part of the server configuration (docs/ENTERPRISE.md): creation policy,
 * retention, audit, admin and abuse limits. config.ts spreads these variables into its schema
 * and calls `settings()` once they are parsed.
 */
import { isIP } from "node:net"
import { z } from "zod"
import { duration } from "../schema/duration.ts"

export { duration }

const Duration = z.string().trim().transform((s, ctx) => {
  const ms = duration(s)
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: `"${s}" is not a duration such as 90s, 15m, 12h or 7d` })
    return z.NEVER
  }
  return ms
})

/** A comma-separated list of IPv4/IPv6 addresses or CIDR blocks: `10.0.0.0/8, fd00::/8`. */
const Networks = z.string().trim().transform((s, ctx) => {
  const list = s.split(",").map((x) => x.trim()).filter(Boolean)
  for (const entry of list) {
    const [addr, bits, ...rest] = entry.split("/")
    const family = isIP(addr ?? "")
    const max = family === 6 ? 128 : 32
    if (!family || rest.length || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max))) {
      ctx.addIssue({ code: "custom", message: `"${entry}" is not an IP address or CIDR block such as 10.0.0.0/8 or fd00::/8` })
    }
  }
  return list
})

export type Rate = { limit: number; windowMs: number }
const RATE_UNITS: Record<string, number> = { s: 1000, sec: 1000, second: 1000, m: 60_000, min: 60_000, minute: 60_000, h: 3_600_000, hour: 3_600_000 }

/** Requests per window: `20/min`, `600/min`, `5/s`, `1000/h`; `off` turns the limit off. */
const RateLimit = z.string().trim().transform((s, ctx): Rate | null => {
  if (/^off$/i.test(s)) return null
  const m = /^(\d+)\s*\/\s*([a-z]+)$/i.exec(s)
  const windowMs = m ? RATE_UNITS[m[2].toLowerCase()] : undefined
  if (!m || windowMs === undefined || Number(m[1]) < 1) {
    ctx.addIssue({ code: "custom", message: `"${s}" is not a rate such as 20/min, 5/s or off` })
    return z.NEVER
  }
  return { limit: Number(m[1]), windowMs }
})

export const EnterpriseEnv = z.object({
  /** Who may create shares: `open` (anyone, as stock OpenCode clients need), `network` (only from CREATE_NETWORKS), `disabled` (nobody; existing shares keep working). The admin's kill switch can also stop creation at runtime. */
  CREATE_ACCESS: z.enum(["open", "network", "disabled"]).default("open"),
  /** Addresses or CIDR blocks allowed to create shares under CREATE_ACCESS=network (`10.0.0.0/8, fd00::/8`). */
  CREATE_NETWORKS: Networks.optional(),
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDR blocks); none by default, so the client IP is the TCP peer. */
  TRUSTED_PROXIES: Networks.optional(),
  /** Default lifetime of a new share (`7d`, `12h`); unset keeps shares until unshared (or SHARE_MAX_TTL). */
  SHARE_TTL: Duration.optional(),
  /** Longest a share may live, counted from its creation; the default lifetime too when SHARE_TTL is unset. */
  SHARE_MAX_TTL: Duration.optional(),
  /** How often the purge job runs: deletes expired shares, closes sync bursts, forgets yesterday's visitor hashes. */
  PURGE_INTERVAL: Duration.prefault("5m"),
  /** Expired shares deleted per purge batch (one transaction each); a run takes batches until none are left. */
  PURGE_BATCH: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Syncs less than this apart form one burst; the audit log records each burst's first and last sync. */
  SYNC_BURST_GAP: Duration.prefault("10m"),
  /** Key of the HMAC that hashes client IPs in the audit log (16+ characters); unset: a random key kept in the database. */
  AUDIT_KEY: z.string().trim().min(16, "must be at least 16 characters").optional(),
  /** Token that opens the admin area (/admin, /api/admin), 16+ characters; unset turns the admin area off. */
  ADMIN_TOKEN: z.string().trim().min(16, "must be at least 16 characters").optional(),
  /** Creates allowed per client IP, and per owner token, per window: `60/min`, or `off`. */
  RATE_LIMIT_CREATE: RateLimit.prefault("60/min"),
  /**
   * Syncs allowed per client IP, and per share owner, per window: `6000/min`, or `off`. Stock
   * OpenCode clients drop a refused sync for good and a busy session syncs about once a second,
   * so the default leaves room for ~100 active sessions behind one address (an office NAT).
   */
  RATE_LIMIT_SYNC: RateLimit.prefault("6000/min"),
})

export type Settings = {
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

/** The enterprise settings, or every problem with them. */
export function settings(e: z.infer<typeof EnterpriseEnv>): { ok: true; settings: Settings } | { ok: false; problems: string[] } {
  const problems: string[] = []
  if (e.SHARE_TTL !== undefined && e.SHARE_MAX_TTL !== undefined && e.SHARE_TTL > e.SHARE_MAX_TTL) problems.push("SHARE_TTL: must not be longer than SHARE_MAX_TTL")
  if (e.CREATE_ACCESS === "network" && !e.CREATE_NETWORKS?.length) problems.push("CREATE_NETWORKS: must list at least one network when CREATE_ACCESS=network")
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

/** Settings for tests and embedding: the defaults with `overrides` on top. */
export function defaults(overrides: Partial<Settings> = {}): Settings {
  const r = settings(EnterpriseEnv.parse({}))
  if (!r.ok) throw new Error(r.problems.join("; "))
  return { ...r.settings, ...overrides }
}
