/**
 * Server configuration: read from the environment once at start, validated with zod. Every
 * variable is documented beside its schema; docs/CONFIG.md lists the same set.
 */
import { availableParallelism } from "node:os"
import { z } from "zod"
import { parseUrl } from "./env-url.ts"
import { DEFAULT_BODY_LIMIT, DEFAULT_ITEM_LIMIT, DEFAULT_SHARE_LIMIT, DEFAULT_UNKNOWN_ITEM_LIMIT } from "../schema/index.ts"
import { AuthEnv, settings as authSettings, type Settings as AuthSettings } from "./auth/config.ts"
import { duration } from "../schema/index.ts"
import { EnterpriseEnv, settings as enterpriseSettings, type Settings as EnterpriseSettings } from "./enterprise-config.ts"

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 }

/** A byte size: `1048576`, `512KiB`, `32MiB`, `1GiB` (k/m/g are binary multiples). */
const Bytes = z.string().trim().transform((s, ctx) => {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(s)
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined
  if (!m || unit === undefined) {
    ctx.addIssue({ code: "custom", message: `"${s}" is not a size such as 1048576, 512KiB or 32MiB` })
    return z.NEVER
  }
  return Math.floor(Number(m[1]) * unit)
}).pipe(z.number().int().positive())

/** A byte size, or `off` for no limit. */
const BytesOrOff = z.string().trim().transform((s, ctx): number | null => {
  if (/^off$/i.test(s)) return null
  const r = Bytes.safeParse(s)
  if (!r.success) {
    ctx.addIssue({ code: "custom", message: `"${s}" is not a size such as 512MiB or 2GiB, or off` })
    return z.NEVER
  }
  return r.data
})

const Origin = z.string().trim().transform((s, ctx) => {
  const u = parseUrl(s, ctx)
  if (u === z.NEVER) return z.NEVER
  if (u.protocol !== "http:" && u.protocol !== "https:") ctx.addIssue({ code: "custom", message: "must be http: or https:" })
  // `opencode import` accepts only <origin>/share/<id>: a path here would break it.
  if (u.pathname !== "/" || u.search || u.hash) ctx.addIssue({ code: "custom", message: "must be an origin without a path, such as https://share.example.com" })
  return u.origin
})

const DatabaseUrl = z.string().trim().refine((s) => /^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(s), {
  message: "must be sqlite:///absolute/path.db, sqlite:./relative.db or postgres://…",
})

export const Env = z.object({
  /** TCP port to listen on (0 picks a free one). */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Interface to listen on. 127.0.0.1 keeps it local; 0.0.0.0 serves the network. */
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  /** The origin put in share links; defaults to http://HOST:PORT. */
  PUBLIC_URL: Origin.optional(),
  /** Where shares are stored. */
  DATABASE_URL: DatabaseUrl.default("sqlite:./data/agentshare.db"),
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** `json` for machines, `pretty` for a terminal; default: pretty on a TTY, else json. */
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  /** Largest request body accepted (413 above). */
  BODY_LIMIT: Bytes.default(DEFAULT_BODY_LIMIT),
  /** Largest single item of a known type in a sync (413 above). */
  ITEM_LIMIT: Bytes.default(DEFAULT_ITEM_LIMIT),
  /** Largest item of a type agentshare does not know; larger ones are dropped, not stored. */
  UNKNOWN_ITEM_LIMIT: Bytes.default(DEFAULT_UNKNOWN_ITEM_LIMIT),
  /** Largest total size of one share's stored items (413 above). */
  SHARE_LIMIT: Bytes.default(DEFAULT_SHARE_LIMIT),
  /**
   * Seconds within which two creates for one session from one client (the same address and user
   * agent), while both are still empty, are taken as that client's double create (docs/PROTOCOL.md).
   */
  DOUBLE_CREATE_WINDOW: z.coerce.number().int().min(0).max(60).default(5),
  /**
   * SQLite durability (docs/RELIABILITY.md): `full` (default) makes every acknowledged sync
   * survive power loss as well as a crash; `normal` survives a process crash (SIGKILL) but may
   * lose the last syncs on power loss, for more throughput.
   */
  SQLITE_SYNCHRONOUS: z.enum(["full", "normal"]).default("full"),
  /** Seconds a client may take to send a whole request (slow or stalled bodies get 408). */
  REQUEST_TIMEOUT: z.coerce.number().min(1).max(3600).default(60),
  /** Seconds a shutdown (SIGTERM) waits for in-flight requests before closing connections. */
  SHUTDOWN_TIMEOUT: z.coerce.number().min(0).max(600).default(10),
  /** `noindex` asks search engines not to index share pages (set false to allow). */
  NOINDEX: z.enum(["true", "false", "1", "0"]).default("true").transform((v) => v === "true" || v === "1"),
  /**
   * What a sync does with secrets it finds (src/secrets, docs/SECURITY.md): `redact` replaces
   * each with `[redacted:<rule>]` before anything is stored or sent to viewers; `reject` answers
   * 400 secret_detected and stores nothing of that sync; `off` stores what arrives.
   */
  REDACT_ON_INGEST: z.enum(["redact", "reject", "off"]).default("redact"),
  // Hardening limits (docs/SECURITY.md, docs/CONFIG.md "Limits").
  /** Largest total size of the live shares created from one client address (507 above); `off`. */
  QUOTA_PER_ADDRESS: BytesOrOff.prefault("1GiB"),
  /** Largest total size of one owner's live shares (507 above); `off`. */
  QUOTA_PER_OWNER: BytesOrOff.prefault("1GiB"),
  /** Writes (creates, syncs) are refused with 507 while the database's volume has less free space than this (SQLite only); `off`. */
  MIN_FREE_DISK: BytesOrOff.prefault("512MiB"),
  /** Live-update streams (SSE) one client address may hold open at once (429 above). */
  MAX_STREAMS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(32),
  /** Connections the server holds open at once; one more is answered 503 with Retry-After. */
  MAX_CONNECTIONS: z.coerce.number().int().min(16).max(1_000_000).default(8192),
  /** Seconds after which replaced and removed content is gone from SQLite's files: the write-ahead log is checkpointed and truncated at least this often while there are writes. */
  SCRUB_INTERVAL: z.coerce.number().int().min(1).max(3600).default(60),
  /** Bearer token that /metrics on the public port requires; unset: /metrics is not served there. */
  METRICS_TOKEN: z.string().trim().min(16, "must be at least 16 characters").optional(),
  /** A separate port that serves only /metrics, without a token (bound to METRICS_HOST). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Interface for METRICS_PORT; keep it on loopback unless a scraper elsewhere needs it. */
  METRICS_HOST: z.string().trim().min(1).default("127.0.0.1"),
  // ---- Secret scanning off the main thread (src/secrets/pool.ts, docs/SECURITY.md) ----
  /**
   * Worker threads that scan syncs and takedowns for secrets (REDACT_ON_INGEST). Default: the
   * number of CPUs, at most 4. A scan never runs on the thread that answers requests.
   */
  SCAN_WORKERS: z.coerce.number().int().min(1).max(64).default(Math.max(1, Math.min(4, availableParallelism()))),
  /**
   * Seconds a worker may spend scanning one sync (or takedown). A sync that takes longer is
   * refused with 413 scan_timeout and nothing of it is stored; the worker is replaced.
   */
  SCAN_BUDGET: z.coerce.number().min(0.05).max(600).default(10),
  // ---- end of secret scanning ----
  // ---- The share page: idle shares, embeds (src/server/view, docs/CONFIG.md "Share pages") ----
  /**
   * How long a share whose last answer never completed may go without a sync before its page
   * reads as ended ("stopped updating at 14:02") instead of "working…". A duration: 90, 30s, 2m.
   */
  IDLE_AFTER: z.string().trim().default("2m").transform((s, ctx) => {
    const ms = duration(s)
    if (ms === undefined || ms < 1000 || ms > 7 * 86_400_000) {
      ctx.addIssue({ code: "custom", message: `"${s}" is not a duration between 1s and 7d, such as 90, 30s or 2m` })
      return z.NEVER
    }
    return ms
  }),
  /**
   * Which shares other sites may show in an iframe (/share/:id/embed): `off` none, `share` those
   * whose owner turned embedding on (POST /api/share/:id/embed), `all` every public share.
   */
  EMBED: z.enum(["off", "share", "all"]).default("share"),
  /** The sites allowed to frame an embed (CSP frame-ancestors): `*`, or origins separated by spaces or commas. */
  EMBED_ORIGINS: z.string().trim().default("*").transform((s, ctx) => {
    const list = s.split(/[\s,]+/).filter(Boolean)
    const bad = list.filter((o) => o !== "*" && !/^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i.test(o))
    if (list.length === 0 || bad.length) {
      ctx.addIssue({ code: "custom", message: `${bad.join(", ") || "(empty)"}: each must be * or an origin such as https://blog.example.com or https://*.example.org` })
      return z.NEVER
    }
    return list
  }),
  // ---- end of share page settings ----
  // SSO-only viewing: VIEW_ACCESS, OIDC_*, SESSION_* (documented in auth/config.ts).
  ...AuthEnv.shape,
  // Creation policy, retention, audit, admin and rate limits (documented in enterprise-config.ts).
  ...EnterpriseEnv.shape,
})

export type Config = {
  port: number
  host: string
  publicUrl: string | undefined
  databaseUrl: string
  logLevel: z.infer<typeof Env>["LOG_LEVEL"]
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
  if (!auth.ok || !enterprise.ok) return { ok: false, problems: [...(auth.ok ? [] : auth.problems), ...(enterprise.ok ? [] : enterprise.problems)] }
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
