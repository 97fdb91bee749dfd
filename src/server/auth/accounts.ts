/**
 * `agentshare login`: links the CLI's owner token to the SSO user, so every machine the user
 * logs in from holds a token of one owner and `agentshare shares` lists (and `unshare --all`
 * removes) the shares made on all of them.
 *
 * The loopback redirect (RFC 8252, started and confirmed as cli.ts says): once the user confirms,
 * the browser goes to the CLI with a one-time code (hashed in the database, 5 minutes); the CLI
 * redeems it with POST /auth/token {code, verifier, secret}, sending its current owner token if
 * it has one.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import type { LoginResponse } from "../../schema/index.ts"
import type { Deps } from "../context.ts"
import { badCode } from "../errors.ts"
import * as Actors from "../http/actor.ts"
import * as Secret from "../secret.ts"
import type { Identity } from "./oidc.ts"
import type { CliRun } from "./session.ts"

const CODE_TTL_MS = 5 * 60_000

export { badCode }

/** A loopback redirect the CLI may ask for: http, a literal loopback host, an explicit port. */
export function loopback(value: string): URL | undefined {
  let u: URL
  try {
    u = new URL(value)
  } catch {
    return undefined
  }
  if (
    u.protocol !== "http:" ||
    !["127.0.0.1", "[::1]", "localhost"].includes(u.hostname) ||
    !u.port ||
    u.username ||
    u.password ||
    u.hash
  )
    return undefined
  return u
}

/** Stores a one-time code for the CLI run and answers it (only its hash is kept). */
export async function code(
  deps: Deps,
  who: Pick<Identity, "subject" | "email">,
  cli: Pick<CliRun, "challenge" | "run">,
): Promise<string> {
  const value = randomBytes(32).toString("base64url")
  await deps.store.logins.saveCode(
    Secret.hash(value),
    { subject: who.subject, email: who.email, challenge: cli.challenge, run: cli.run },
    deps.now() + CODE_TTL_MS,
  )
  return value
}

function s256(verifier: string): Buffer {
  return Buffer.from(createHash("sha256").update(verifier, "ascii").digest("base64url"))
}

/**
 * Redeems a code: the account of its SSO user gets a new token (the answer). An owner token the
 * CLI already held is folded in: an unlinked owner with no account yet becomes the account; an
 * unlinked owner when the account exists is merged into it, its shares and token included. An
 * owner linked to another SSO user is left as it is (the machine switches accounts).
 */
export async function redeem(
  deps: Deps,
  input: { code: string; verifier: string; secret: string; bearer: string | undefined },
): Promise<LoginResponse> {
  // Check the current token before taking the code, so a bad header does not burn it.
  const current = await Actors.owner(deps, input.bearer)
  const taken = await deps.store.logins.takeCode(Secret.hash(input.code), deps.now())
  if (!taken) throw badCode()
  const expected = Buffer.from(taken.challenge)
  const got = s256(input.verifier)
  // Both proofs of the run: its PKCE verifier, and the secret POST /auth/cli gave only to it.
  const verified = expected.length === got.length && timingSafeEqual(expected, got)
  if (!verified || taken.run === null || !Secret.verify(input.secret, taken.run)) throw badCode()

  const now = deps.now()
  const token = `agsh_${Secret.secret()}`
  const mine = current ? await deps.store.owners.byToken(current.tokenHash) : undefined
  let account = await deps.store.owners.bySubject(taken.subject)
  if (
    !account &&
    mine &&
    mine.ssoSubject === null &&
    (await deps.store.owners.link(mine.id, taken.subject, taken.email))
  ) {
    account = { ...mine, ssoSubject: taken.subject, ssoEmail: taken.email }
  }
  if (!account) {
    const id = `own_${randomBytes(12).toString("base64url")}`
    await deps.store.owners.create({
      id,
      tokenHash: Secret.hash(token),
      createdAt: now,
      ssoSubject: taken.subject,
      ssoEmail: taken.email,
    })
    deps.log.info({ ownerID: id }, "SSO account created")
    return { ownerID: id, token, email: taken.email, merged: false }
  }
  await deps.store.owners.addToken(account.id, Secret.hash(token), now)
  await deps.store.owners.touch(account.id, taken.email)
  let merged = false
  if (mine && mine.id !== account.id && mine.ssoSubject === null) {
    await deps.store.owners.merge(mine.id, account.id, now)
    merged = true
  }
  deps.log.info({ ownerID: account.id, merged }, "CLI logged in")
  return { ownerID: account.id, token, email: taken.email, merged }
}
