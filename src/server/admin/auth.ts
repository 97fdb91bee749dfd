/**
 * Admin authentication, two ways in:
 * - ADMIN_TOKEN: a bearer (API), or a session cookie the login form sets (pages). Only the
 *   token's hash is compared, in constant time. The cookie holds a random session id and its
 *   expiry under an HMAC keyed by the token's hash, so changing ADMIN_TOKEN ends every such
 *   session; logging out records the id as revoked in the database (Store.sessions), so a copy
 *   of the cookie is refused from then on, by every instance.
 * - OIDC_ADMIN_GROUP: a viewer logged in through SSO whose session holds that group opens the
 *   pages (not the API) as themselves; logging out ends that SSO session on the server.
 * Every admin POST carries a CSRF token: an HMAC of the session that sent the form.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import type { Context } from "hono"
import { getCookie, setCookie, deleteCookie } from "hono/cookie"
import * as Viewers from "../auth/session.ts"
import type { Actor } from "../governance/audit.ts"
import type { Deps } from "../context.ts"
import { adminDisabled, badCsrf, unauthorized as unauthorizedBy } from "../errors.ts"
import * as Secret from "../secret.ts"

export const COOKIE = "agentshare_admin"
const SESSION_MS = 8 * 3600 * 1000

export const off = () => adminDisabled(false)
export const apiOff = () => adminDisabled(true)
export const unauthorized = () => unauthorizedBy("admin")
export { badCsrf }

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest()
const equal = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b)

/** The group whose SSO members are admins, when SSO is configured with one. */
export const group = (deps: Deps): string | undefined => deps.config.auth.oidc?.adminGroup
export const token = (deps: Deps): string | undefined => deps.config.enterprise.adminToken
export const enabled = (deps: Deps) => token(deps) !== undefined || group(deps) !== undefined

/** Throws unless the admin area is on. */
export function ensure(deps: Deps): void {
  if (!enabled(deps)) throw off()
}

/** The admin area's CSRF key (keys.ts): from ADMIN_TOKEN, else SESSION_SECRET. */
function key(deps: Deps): Buffer {
  if (deps.keys.admin === undefined) throw off()
  return deps.keys.admin
}

/** True when `candidate` is the admin token (compared as hashes, in constant time); false when there is none. */
export function isToken(deps: Deps, candidate: string): boolean {
  const t = token(deps)
  return t !== undefined && equal(digest(candidate), digest(t))
}

/** Throws unless the request carries the admin token as a bearer. */
export function bearer(deps: Deps, c: Context): void {
  if (token(deps) === undefined) throw enabled(deps) ? apiOff() : off()
  const m = /^Bearer\s+(\S{1,512})\s*$/i.exec(c.req.header("authorization") ?? "")
  if (!m || !isToken(deps, m[1] as string)) throw unauthorized()
}

const mac = (deps: Deps, purpose: string, value: string) =>
  createHmac("sha256", key(deps)).update(`${purpose}\n${value}`).digest("base64url")

/** Starts a token session: a cookie holding a new session id, its expiry and a MAC of both. */
export function login(deps: Deps, c: Context): void {
  const expires = deps.now() + SESSION_MS
  const body = `${randomBytes(24).toString("base64url")}.${expires}`
  setCookie(c, COOKIE, `${body}.${mac(deps, "session", body)}`, {
    path: "/admin",
    httpOnly: true,
    sameSite: "Strict",
    secure: deps.origin().startsWith("https:"),
    maxAge: SESSION_MS / 1000,
  })
}

/** An admin session: what its forms' CSRF tokens are bound to, who acts in it, and what logging out ends. */
export type Session = { value: string; actor: Actor; via: "token" | "sso"; who: string; end(c: Context): Promise<void> }

/** The token session, when its cookie is valid, unexpired and not logged out. */
async function tokenSession(deps: Deps, c: Context): Promise<Session | undefined> {
  if (token(deps) === undefined) return undefined
  const value = getCookie(c, COOKIE)
  const m = value ? /^([\w-]{32})\.(\d{1,15})\.([\w-]{43})$/.exec(value) : null
  if (!m || Number(m[2]) <= deps.now()) return undefined
  if (!equal(Buffer.from(mac(deps, "session", `${m[1]}.${m[2]}`)), Buffer.from(m[3] as string))) return undefined
  const id = Secret.hash(`admin\n${m[1]}`)
  if (await deps.store.logins.revoked(id)) return undefined
  const end = async (ctx: Context) => {
    await deps.store.logins.revoke(id, Number(m[2]), deps.now())
    deleteCookie(ctx, COOKIE, { path: "/admin" })
  }
  return { value: value as string, actor: { kind: "admin", id: "token" }, via: "token", who: "admin token", end }
}

/** What the SSO session proves: an admin, a logged-in user outside the admin group, or nobody. */
export async function ssoUser(deps: Deps, c: Context): Promise<{ admin: boolean; email: string | null } | undefined> {
  const g = group(deps)
  if (g === undefined) return undefined
  const viewer = await Viewers.read(c, deps)
  return viewer && { admin: viewer.groups.includes(g), email: viewer.email }
}

/** The admin session of this request, if any: the token cookie first, then an SSO admin. */
export async function session(deps: Deps, c: Context): Promise<Session | undefined> {
  ensure(deps)
  const byToken = await tokenSession(deps, c)
  if (byToken) return byToken
  const g = group(deps)
  if (g === undefined) return undefined
  const viewer = await Viewers.read(c, deps)
  if (!viewer?.groups.includes(g)) return undefined
  // The SSO session is what let them in: logging out of the admin area ends it.
  return {
    value: `sso\n${viewer.sid}`,
    actor: { kind: "admin", id: viewer.subject },
    via: "sso",
    who: viewer.email ?? viewer.subject,
    end: (ctx) => Viewers.revoke(ctx, deps, viewer),
  }
}

/** The CSRF token forms of this session carry. */
export const csrf = (deps: Deps, s: Session) => mac(deps, "csrf", s.value)

export function checkCsrf(deps: Deps, s: Session, sent: unknown): void {
  if (typeof sent !== "string" || !equal(Buffer.from(csrf(deps, s)), Buffer.from(sent))) throw badCsrf()
}
