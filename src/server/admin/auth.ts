/**
 * Admin authentication: the ADMIN_TOKEN as a bearer (API), or a session cookie the login form
 * sets (pages). Only the token's hash is compared, in constant time. The cookie and the CSRF
 * token of every form are HMACs keyed by the token's hash, so changing ADMIN_TOKEN ends every
 * session. Admin POSTs need the CSRF token of the session that sent them.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto"
import type { Context } from "hono"
import { getCookie, setCookie, deleteCookie } from "hono/cookie"
import type { Deps } from "../context.ts"
import { ApiError } from "../errors.ts"

export const COOKIE = "agentshare_admin"
const SESSION_MS = 8 * 3600 * 1000

export const off = () => new ApiError(404, "admin_disabled", "the admin area is off on this server; set ADMIN_TOKEN to turn it on")
export const unauthorized = () => new ApiError(401, "unauthorized", "send the admin token as authorization: Bearer <token>")
export const badCsrf = () => new ApiError(403, "csrf", "this form is out of date or came from another site; reload the page and try again")

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest()

function key(deps: Deps): Buffer {
  const token = deps.config.enterprise.adminToken
  if (token === undefined) throw off()
  return digest(`agentshare-admin\n${token}`)
}

const equal = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b)

/** True when `candidate` is the admin token (compared as hashes, in constant time). */
export function isToken(deps: Deps, candidate: string): boolean {
  const token = deps.config.enterprise.adminToken
  if (token === undefined) throw off()
  return equal(digest(candidate), digest(token))
}

/** Throws unless the request carries the admin token as a bearer. */
export function bearer(deps: Deps, c: Context): void {
  key(deps)
  const m = /^Bearer\s+(\S{1,512})\s*$/i.exec(c.req.header("authorization") ?? "")
  if (!m || !isToken(deps, m[1] as string)) throw unauthorized()
}

const mac = (deps: Deps, purpose: string, value: string) => createHmac("sha256", key(deps)).update(`${purpose}\n${value}`).digest("base64url")

/** Starts a session: a cookie holding its expiry and a MAC of it. */
export function login(deps: Deps, c: Context): void {
  const expires = deps.now() + SESSION_MS
  setCookie(c, COOKIE, `${expires}.${mac(deps, "session", String(expires))}`, {
    path: "/admin",
    httpOnly: true,
    sameSite: "Strict",
    secure: deps.origin().startsWith("https:"),
    maxAge: SESSION_MS / 1000,
  })
}

export function logout(c: Context): void {
  deleteCookie(c, COOKIE, { path: "/admin" })
}

/** The session cookie's value when it is valid and unexpired. */
export function session(deps: Deps, c: Context): string | undefined {
  key(deps)
  const value = getCookie(c, COOKIE)
  const m = value ? /^(\d{1,15})\.([\w-]{43})$/.exec(value) : null
  if (!m || Number(m[1]) <= deps.now()) return undefined
  return equal(Buffer.from(mac(deps, "session", m[1] as string)), Buffer.from(m[2] as string)) ? value : undefined
}

/** The CSRF token forms of this session carry. */
export const csrf = (deps: Deps, sessionValue: string) => mac(deps, "csrf", sessionValue)

export function checkCsrf(deps: Deps, sessionValue: string, sent: unknown): void {
  if (typeof sent !== "string" || !equal(Buffer.from(csrf(deps, sessionValue)), Buffer.from(sent))) throw badCsrf()
}
