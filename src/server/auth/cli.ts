/**
 * `agentshare login`'s loopback flow, guarded against a login link someone else started
 * (docs/SECURITY.md, "A login link with someone else's challenge"):
 * 1. The CLI starts it with POST /auth/cli {redirect, state, challenge}. The server seals those,
 *    a check phrase and the hash of a new per-run secret into the link, and answers the link,
 *    the port, the phrase and the secret: the secret only ever travels on the CLI's own connection.
 * 2. The browser opens the link, logs in at the provider, and is shown a confirmation page that
 *    names the loopback port and the phrase. Until its CSRF-checked POST, no code exists.
 * 3. The code goes to the loopback; POST /auth/token redeems it with the PKCE verifier and the
 *    run's secret (accounts.ts).
 * Nothing is stored until a code is issued: the link and the confirmation in progress are
 * sealed (SESSION_SECRET), so every instance accepts them.
 */
import { randomBytes, randomInt, timingSafeEqual } from "node:crypto"
import type { Context } from "hono"
import { deleteCookie, getCookie, setCookie } from "hono/cookie"
import type { CliLoginRequest, CliLoginResponse } from "../../schema/index.ts"
import type { Deps } from "../context.ts"
import { badRequest } from "../errors.ts"
import * as Secret from "../secret.ts"
import * as Accounts from "./accounts.ts"
import type { Identity } from "./oidc.ts"
import * as Seal from "./seal.ts"
import { badCsrf, keysOf, secure, type CliRun } from "./session.ts"

/** How long a link stays good, and a confirmation page waits: as long as a login at the provider may take. */
const TTL_MS = 10 * 60_000
const PHRASE = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

export const expired = () =>
  badRequest("login_expired", "this agentshare login is over or took too long; run agentshare login again")
export const outdated = () =>
  badRequest(
    "cli_outdated",
    "this login link comes from an older agentshare CLI that this server no longer accepts; update agentshare and run agentshare login again",
  )

/** A confirmation in progress: the run, who logged in, and its form's CSRF token. */
export type Held = { cli: CliRun; subject: string; email: string | null; csrf: string; expiresAt: number }

const heldCookie = (deps: Deps) => (secure(deps) ? "__Secure-agentshare_cli" : "agentshare_cli")
const cookieOptions = (deps: Deps) => ({
  path: "/auth/cli",
  httpOnly: true,
  secure: secure(deps),
  sameSite: "Lax" as const,
})

/** The loopback port the code will go to. */
export const port = (cli: Pick<CliRun, "redirect">) => Number(new URL(cli.redirect).port)

/** Two groups of four characters that cannot be misread for one another. */
const phrase = () =>
  Array.from({ length: 8 }, (_, i) => (i === 4 ? "-" : "") + PHRASE[randomInt(PHRASE.length)]).join("")

/** Seals the run into a link; the answer is for the CLI only. */
export function start(deps: Deps, input: CliLoginRequest): CliLoginResponse {
  const redirect = Accounts.loopback(input.redirect)
  if (!redirect)
    throw badRequest("invalid_redirect", "redirect must be http://127.0.0.1:<port>/… (a loopback address with a port)")
  const secret = randomBytes(32).toString("base64url")
  const expiresAt = deps.now() + TTL_MS
  const cli: CliRun = {
    redirect: redirect.href,
    state: input.state,
    challenge: input.challenge,
    run: Secret.hash(secret),
    phrase: phrase(),
  }
  const flow = Seal.seal(keysOf(deps).cliLink, { ...cli, expiresAt })
  return { url: `${deps.origin()}/auth/cli?flow=${flow}`, secret, port: port(cli), phrase: cli.phrase, expiresAt }
}

/** The run a link names, unless it was forged, altered or is too old. */
export function open(deps: Deps, flow: string | undefined): CliRun {
  const v = Seal.open(keysOf(deps).cliLink, flow) as (CliRun & { expiresAt: number }) | undefined
  if (
    !v ||
    typeof v.expiresAt !== "number" ||
    v.expiresAt <= deps.now() ||
    ![v.redirect, v.state, v.challenge, v.run, v.phrase].every((s) => typeof s === "string")
  )
    throw expired()
  return { redirect: v.redirect, state: v.state, challenge: v.challenge, run: v.run, phrase: v.phrase }
}

/** After the provider: holds the login for the user to confirm, in a sealed cookie of this browser. */
export function hold(c: Context, deps: Deps, cli: CliRun, who: Identity): void {
  const held: Held = {
    cli,
    subject: who.subject,
    email: who.email,
    csrf: randomBytes(32).toString("base64url"),
    expiresAt: deps.now() + TTL_MS,
  }
  setCookie(c, heldCookie(deps), Seal.seal(keysOf(deps).cliHeld, held), {
    ...cookieOptions(deps),
    maxAge: TTL_MS / 1000,
  })
}

export function held(c: Context, deps: Deps): Held | undefined {
  const h = Seal.open(keysOf(deps).cliHeld, getCookie(c, heldCookie(deps))) as Held | undefined
  if (
    !h ||
    typeof h.csrf !== "string" ||
    typeof h.subject !== "string" ||
    typeof h.expiresAt !== "number" ||
    typeof h.cli?.redirect !== "string"
  )
    return undefined
  return h.expiresAt > deps.now() ? h : undefined
}

/**
 * The confirmation posted from this browser's page: the held login whose CSRF token the form
 * carries. A post from another site has neither the cookie (SameSite) nor the token.
 */
export function confirmed(c: Context, deps: Deps, sent: unknown): Held {
  const h = held(c, deps)
  if (!h) throw expired()
  const want = Buffer.from(h.csrf)
  const got = Buffer.from(typeof sent === "string" ? sent : "")
  if (got.length !== want.length || !timingSafeEqual(got, want)) throw badCsrf()
  return h
}

/** Forgets the held login: a confirmation is used once. */
export const release = (c: Context, deps: Deps) => deleteCookie(c, heldCookie(deps), cookieOptions(deps))

/** Issues the code and answers where it goes: the loopback, with the CLI's state. */
export async function issue(deps: Deps, h: Held): Promise<string> {
  const code = await Accounts.code(deps, { subject: h.subject, email: h.email }, h.cli)
  const to = new URL(h.cli.redirect)
  to.searchParams.set("code", code)
  to.searchParams.set("state", h.cli.state)
  return to.href
}

/**
 * The confirmation page may post only to this server, and the redirect that follows its POST
 * (which CSP checks too) go only to the loopback origin. CSP host sources cannot name an IPv6
 * literal, so a [::1] redirect allows plain http (its target is still the server's redirect).
 */
export function formAction(cli: Pick<CliRun, "redirect">): string {
  const u = new URL(cli.redirect)
  return u.hostname.startsWith("[") ? "'self' http:" : `'self' ${u.origin}`
}
