/**
 * The viewer's session and the login in progress, both sealed cookies (seal.ts), so every
 * instance with the same SESSION_SECRET accepts them. The session cookie is HttpOnly,
 * SameSite=Lax, and Secure with the __Host- prefix when PUBLIC_URL is https. It carries a random
 * session id: logging out records it in the database (Store.sessions), and from then on every
 * instance refuses that cookie, a copy of it included.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import type { Context } from "hono"
import { deleteCookie, getCookie, setCookie } from "hono/cookie"
import type { Deps } from "../context.ts"
import { badCsrf } from "../errors.ts"
import * as Secret from "../secret.ts"
import type { Viewer } from "./policy.ts"
import type { SessionKeys } from "../keys.ts"
import * as Seal from "./seal.ts"

/** How long a login at the provider may take. */
const FLOW_TTL_MS = 10 * 60_000

/** `agentshare login`'s run, as its link sealed it (cli.ts): where the code goes, and what binds it to the run. */
export type CliRun = {
  redirect: string
  state: string
  challenge: string
  /** The hash of the run's secret, which only the CLI received. */
  run: string
  /** The check phrase the CLI printed. */
  phrase: string
}

/** A login in progress: what the callback must check, and where to go after. */
export type Flow = {
  state: string
  nonce: string
  verifier: string
  /** A same-origin path to return to. */
  back: string
  /** Set when `agentshare login` began it. */
  cli?: CliRun
  expiresAt: number
}

/** The sealed-cookie keys of this server (keys.ts). */
export const keysOf = (deps: Deps): SessionKeys => deps.keys.sessions

export { badCsrf }

export const secure = (deps: Deps) => deps.origin().startsWith("https:")
export const sessionCookie = (deps: Deps) => (secure(deps) ? "__Host-agentshare_session" : "agentshare_session")
export const flowCookie = (deps: Deps) => (secure(deps) ? "__Secure-agentshare_login" : "agentshare_login")

/** The session cookie's value as sealed; a cookie without a session id (from before 0006) is no session. */
function opened(c: Context, deps: Deps): Viewer | undefined {
  const v = Seal.open(keysOf(deps).session, getCookie(c, sessionCookie(deps))) as Viewer | undefined
  if (
    !v ||
    typeof v.subject !== "string" ||
    typeof v.sid !== "string" ||
    typeof v.expiresAt !== "number" ||
    !Array.isArray(v.groups)
  )
    return undefined
  return v.expiresAt > deps.now() ? v : undefined
}

/** The logged-in viewer: a valid, unexpired session cookie whose session was not logged out. */
export async function read(c: Context, deps: Deps): Promise<Viewer | undefined> {
  const v = opened(c, deps)
  if (!v || (await deps.store.logins.revoked(Secret.hash(v.sid)))) return undefined
  return v
}

/** Starts a session (a new session id) and answers it. */
export function write(c: Context, deps: Deps, viewer: Omit<Viewer, "sid">): Viewer {
  const value: Viewer = { ...viewer, sid: randomBytes(24).toString("base64url") }
  setCookie(c, sessionCookie(deps), Seal.seal(keysOf(deps).session, value), {
    path: "/",
    httpOnly: true,
    secure: secure(deps),
    sameSite: "Lax",
    maxAge: Math.floor((viewer.expiresAt - deps.now()) / 1000),
  })
  return value
}

/** Ends the session on the server (every copy of its cookie is refused from now on) and clears the cookie. */
export async function revoke(c: Context, deps: Deps, viewer: Viewer) {
  await deps.store.logins.revoke(Secret.hash(viewer.sid), viewer.expiresAt, deps.now())
  deleteCookie(c, sessionCookie(deps), { path: "/", secure: secure(deps), httpOnly: true, sameSite: "Lax" })
}

/** The CSRF token of this session's forms (logging out): an HMAC of its id. */
export const csrf = (deps: Deps, viewer: Viewer) =>
  createHmac("sha256", keysOf(deps).csrf).update(`logout\n${viewer.sid}`).digest("base64url")

export function checkCsrf(deps: Deps, viewer: Viewer, sent: unknown): void {
  const want = Buffer.from(csrf(deps, viewer))
  const got = Buffer.from(typeof sent === "string" ? sent : "")
  if (got.length !== want.length || !timingSafeEqual(got, want)) throw badCsrf()
}

export function begin(c: Context, deps: Deps, flow: Omit<Flow, "expiresAt">) {
  const value: Flow = { ...flow, expiresAt: deps.now() + FLOW_TTL_MS }
  // Lax: the provider's redirect back to /auth/callback is a top-level GET, which carries it.
  setCookie(c, flowCookie(deps), Seal.seal(keysOf(deps).flow, value), {
    path: "/auth",
    httpOnly: true,
    secure: secure(deps),
    sameSite: "Lax",
    maxAge: FLOW_TTL_MS / 1000,
  })
}

/** The login in progress (and forgets it: a callback is used once). */
export function finish(c: Context, deps: Deps): Flow | undefined {
  const f = Seal.open(keysOf(deps).flow, getCookie(c, flowCookie(deps))) as Flow | undefined
  deleteCookie(c, flowCookie(deps), { path: "/auth", secure: secure(deps), httpOnly: true, sameSite: "Lax" })
  if (!f || typeof f.state !== "string" || typeof f.verifier !== "string" || typeof f.expiresAt !== "number")
    return undefined
  return f.expiresAt > deps.now() ? f : undefined
}
