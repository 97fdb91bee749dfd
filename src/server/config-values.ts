/** The value grammars of the server's settings (config.ts): sizes, durations, origins, networks, rates. */
import { isIP } from "node:net"
import { z } from "zod"
import { duration } from "../schema/index.ts"

/** Parses `s` as a URL inside a zod transform, or reports it and returns z.NEVER. */
export function parseUrl(s: string, ctx: z.RefinementCtx): URL | typeof z.NEVER {
  try {
    return new URL(s)
  } catch {
    ctx.addIssue({ code: "custom", message: `"${s}" is not a URL` })
    return z.NEVER
  }
}

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
}

/** A byte size: `1048576`, `512KiB`, `32MiB`, `1GiB` (k/m/g are binary multiples). */
export const Bytes = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(s)
    const unit = m ? UNITS[(m[2] ?? "").toLowerCase()] : undefined
    if (!m || unit === undefined) {
      ctx.addIssue({ code: "custom", message: `"${s}" is not a size such as 1048576, 512KiB or 32MiB` })
      return z.NEVER
    }
    return Math.floor(Number(m[1]) * unit)
  })
  .pipe(z.number().int().positive())

/** A byte size, or `off` for no limit. */
export const BytesOrOff = z
  .string()
  .trim()
  .transform((s, ctx): number | null => {
    if (/^off$/i.test(s)) return null
    const r = Bytes.safeParse(s)
    if (!r.success) {
      ctx.addIssue({ code: "custom", message: `"${s}" is not a size such as 512MiB or 2GiB, or off` })
      return z.NEVER
    }
    return r.data
  })

/** A duration (schema/duration.ts): `90` (seconds), `30s`, `15m`, `12h`, `7d`, `2w`; milliseconds. */
export const Duration = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const ms = duration(s)
    if (ms === undefined) {
      ctx.addIssue({ code: "custom", message: `"${s}" is not a duration such as 90s, 15m, 12h or 7d` })
      return z.NEVER
    }
    return ms
  })

/** An http(s) origin without a path (`opencode import` accepts only <origin>/share/<id>). */
export const Origin = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const u = parseUrl(s, ctx)
    if (u === z.NEVER) return z.NEVER
    if (u.protocol !== "http:" && u.protocol !== "https:")
      ctx.addIssue({ code: "custom", message: "must be http: or https:" })
    if (u.pathname !== "/" || u.search || u.hash)
      ctx.addIssue({ code: "custom", message: "must be an origin without a path, such as https://share.example.com" })
    return u.origin
  })

export const DatabaseUrl = z
  .string()
  .trim()
  .refine((s) => /^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(s), {
    message: "must be sqlite:///absolute/path.db, sqlite:./relative.db or postgres://…",
  })

/** A comma-separated list of IPv4/IPv6 addresses or CIDR blocks: `10.0.0.0/8, fd00::/8`. */
export const Networks = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const list = s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean)
    for (const entry of list) {
      const [addr, bits, ...rest] = entry.split("/")
      const family = isIP(addr ?? "")
      const max = family === 6 ? 128 : 32
      if (!family || rest.length || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max))) {
        ctx.addIssue({
          code: "custom",
          message: `"${entry}" is not an IP address or CIDR block such as 10.0.0.0/8 or fd00::/8`,
        })
      }
    }
    return list
  })

export type Rate = { limit: number; windowMs: number }
const RATE_UNITS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
}

/** Requests per window: `20/min`, `600/min`, `5/s`, `1000/h`; `off` turns the limit off. */
export const RateLimit = z
  .string()
  .trim()
  .transform((s, ctx): Rate | null => {
    if (/^off$/i.test(s)) return null
    const m = /^(\d+)\s*\/\s*([a-z]+)$/i.exec(s)
    const windowMs = m ? RATE_UNITS[(m[2] ?? "").toLowerCase()] : undefined
    if (!m || windowMs === undefined || Number(m[1]) < 1) {
      ctx.addIssue({ code: "custom", message: `"${s}" is not a rate such as 20/min, 5/s or off` })
      return z.NEVER
    }
    return { limit: Number(m[1]), windowMs }
  })

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"])

/** An OpenID issuer: https, or plain http only on this machine (tokens and user data cross it). */
export const Issuer = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const u = parseUrl(s, ctx)
    if (u === z.NEVER) return z.NEVER
    if (u.protocol !== "https:" && !(u.protocol === "http:" && LOOPBACK.has(u.hostname))) {
      ctx.addIssue({ code: "custom", message: "must be an https:// URL (http:// only on 127.0.0.1 or localhost)" })
    }
    return u.href.replace(/\/$/, "")
  })

/** A comma-separated, lower-cased list (`example.com, @example.org`). */
export const List = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim().toLowerCase().replace(/^@/, ""))
    .filter(Boolean),
)
