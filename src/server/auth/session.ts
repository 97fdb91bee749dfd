/**
 * The viewer's session and the login in progress, both sealed cookies (seal.ts): nothing is
 * stored server-side, so every instance with the same SESSION_SECRET accepts them. The session
 * cookie is HttpOnly, SameSite=Lax, and Secure with the __Host- prefix when PUBLIC_URL is https.
 */
import { randomBytes } from "node:crypto"
import type { Context } from "hono"
import { deleteCookie, getCookie, setCookie } from "hono/cookie"
import type { Deps } from "../context.ts"
import type { Viewer } from "./policy.ts"
import * as Seal from "./seal.ts"

/** How long a login at the provider may take. */
const FLOW_TTL_MS = 10 * 60_000

/** A login in progress: what the callback must check, and where to go after. */
export type Flow = {
  state: string
  nonce: string
  verifier: string
  /** A same-origin path to return to. */
  back: string
  /** Set when `agentshare login` began it: its loopback URL, its state and PKCE challenge. */
  cli?: { redirect: string; state: string; challenge: string }
  expiresAt: number
}

type Keys = { session: Seal.Key; flow: Seal.Key }
const keys = new WeakMap<Deps, Keys>()

function keysOf(deps: Deps): Keys {
  let k = keys.get(deps)
  if (!k) {
    // Without SESSION_SECRET a random key per process: logins end at restart (documented).
    const secret = deps.config.auth.sessionSecret ?? randomBytes(32).toString("base64url")
    if (!deps.config.auth.sessionSecret && deps.config.auth.oidc) deps.log.warn("SESSION_SECRET is not set: logins end when this process stops and are not accepted by other instances")
    k = { session: Seal.key(secret, "session"), flow: Seal.key(secret, "login flow") }
    keys.set(deps, k)
  }
  return k
}

export const secure = (deps: Deps) => deps.origin().startsWith("https:")
export const sessionCookie = (deps: Deps) => (secure(deps) ? "__Host-agentshare_session" : "agentshare_session")
export const flowCookie = (deps: Deps) => (secure(deps) ? "__Secure-agentshare_login" : "agentshare_login")

export function read(c: Context, deps: Deps): Viewer | undefined {
  const v = Seal.open(keysOf(deps).session, getCookie(c, sessionCookie(deps))) as Viewer | undefined
  if (!v || typeof v.subject !== "string" || typeof v.expiresAt !== "number" || !Array.isArray(v.groups)) return undefined
  return v.expiresAt > deps.now() ? v : undefined
}

export function write(c: Context, deps: Deps, viewer: Viewer) {
  setCookie(c, sessionCookie(deps), Seal.seal(keysOf(deps).session, viewer), {
    path: "/",
    httpOnly: true,
    secure: secure(deps),
    sameSite: "Lax",
    maxAge: Math.floor((viewer.expiresAt - deps.now()) / 1000),
  })
}

export function clear(c: Context, deps: Deps) {
  deleteCookie(c, sessionCookie(deps), { path: "/", secure: secure(deps), httpOnly: true, sameSite: "Lax" })
}

export function begin(c: Context, deps: Deps, flow: Omit<Flow, "expiresAt">) {
  const value: Flow = { ...flow, expiresAt: deps.now() + FLOW_TTL_MS }
  // Lax: the provider's redirect back to /auth/callback is a top-level GET, which carries it.
  setCookie(c, flowCookie(deps), Seal.seal(keysOf(deps).flow, value), { path: "/auth", httpOnly: true, secure: secure(deps), sameSite: "Lax", maxAge: FLOW_TTL_MS / 1000 })
}

/** The login in progress (and forgets it: a callback is used once). */
export function finish(c: Context, deps: Deps): Flow | undefined {
  const f = Seal.open(keysOf(deps).flow, getCookie(c, flowCookie(deps))) as Flow | undefined
  deleteCookie(c, flowCookie(deps), { path: "/auth", secure: secure(deps), httpOnly: true, sameSite: "Lax" })
  if (!f || typeof f.state !== "string" || typeof f.verifier !== "string" || typeof f.expiresAt !== "number") return undefined
  return f.expiresAt > deps.now() ? f : undefined
}
