/**
 * The server's environment as a zod schema: every variable, its default and what it means,
 * beside its schema (docs/CONFIG.md lists the same set). config.ts turns it into a Config.
 */
import { availableParallelism } from "node:os"
import { z } from "zod"
import {
  DEFAULT_BODY_LIMIT,
  DEFAULT_ITEM_LIMIT,
  DEFAULT_SHARE_LIMIT,
  DEFAULT_UNKNOWN_ITEM_LIMIT,
} from "../schema/index.ts"
import { Bytes, BytesOrOff, DatabaseUrl, Duration, Issuer, List, Networks, Origin, RateLimit } from "./config-values.ts"
import { duration } from "../schema/index.ts"

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
  NOINDEX: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
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
  SCAN_WORKERS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(Math.max(1, Math.min(4, availableParallelism()))),
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
  IDLE_AFTER: z
    .string()
    .trim()
    .default("2m")
    .transform((s, ctx) => {
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
  EMBED_ORIGINS: z
    .string()
    .trim()
    .default("*")
    .transform((s, ctx) => {
      const list = s.split(/[\s,]+/).filter(Boolean)
      const bad = list.filter((o) => o !== "*" && !/^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i.test(o))
      if (list.length === 0 || bad.length) {
        ctx.addIssue({
          code: "custom",
          message: `${bad.join(", ") || "(empty)"}: each must be * or an origin such as https://blog.example.com or https://*.example.org`,
        })
        return z.NEVER
      }
      return list
    }),
  // ---- end of share page settings ----
  // SSO-only viewing and logins (docs/ENTERPRISE.md, "SSO").
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
  SESSION_TTL: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 86400)
    .default(8 * 3600),
  // Creation policy, retention, audit, admin and rate limits (docs/ENTERPRISE.md).
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
