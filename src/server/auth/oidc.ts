/**
 * The OpenID Connect relying party (openid-client): discovery from OIDC_ISSUER at the first
 * login (a provider that is down then does not stop the server from starting), authorization
 * code flow with PKCE (S256), state and nonce, and the user's claims from the ID token merged
 * with userinfo (many providers put email and groups only there).
 */
import * as client from "openid-client"
import type { Deps } from "../context.ts"
import { idpUnreachable, loginFailed } from "../errors.ts"
import type { Oidc } from "../config.ts"
import * as Policy from "./policy.ts"

export const unavailable = idpUnreachable

function discover(deps: Deps, oidc: Oidc): Promise<client.Configuration> {
  const hit = deps.oidc.get(oidc)
  if (hit) return hit
  const url = new URL(oidc.issuer)
  const auth = oidc.clientSecret ? client.ClientSecretBasic(oidc.clientSecret) : client.None()
  const p = client
    .discovery(url, oidc.clientId, undefined, auth, {
      // config.ts allows plain http only for a provider on the loopback interface.
      execute: url.protocol === "http:" ? [client.allowInsecureRequests] : [],
      timeout: 10,
    })
    .catch((error: unknown) => {
      deps.oidc.delete(oidc)
      deps.log.error({ issuer: oidc.issuer, err: (error as Error).message }, "OIDC discovery failed")
      throw unavailable()
    })
  deps.oidc.set(oidc, p)
  return p
}

export const redirectUri = (deps: Deps) => `${deps.origin()}/auth/callback`

export type Begun = { url: string; state: string; nonce: string; verifier: string }

export async function begin(deps: Deps, oidc: Oidc): Promise<Begun> {
  const config = await discover(deps, oidc)
  const verifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const nonce = client.randomNonce()
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(deps),
    scope: oidc.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  })
  return { url: url.href, state, nonce, verifier }
}

export type Identity = { subject: string; email: string | null; emailVerified: boolean; groups: string[] }

/** Redeems the code the provider sent to /auth/callback; a refusal is a 400 the page explains. */
export async function finish(
  deps: Deps,
  oidc: Oidc,
  current: URL,
  checks: { state: string; nonce: string; verifier: string },
): Promise<Identity> {
  const config = await discover(deps, oidc)
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>
  try {
    tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: checks.verifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    })
  } catch (error) {
    // The message names what failed (state, nonce, signature…); it carries no token.
    deps.log.warn({ err: (error as Error).message }, "OIDC callback refused")
    throw loginFailed("the login could not be completed; start again")
  }
  const id = tokens.claims()
  if (!id) throw loginFailed("the identity provider sent no ID token")
  let claims: Record<string, unknown> = { ...id }
  if (config.serverMetadata().userinfo_endpoint) {
    try {
      claims = { ...(await client.fetchUserInfo(config, tokens.access_token, id.sub)), ...claims }
    } catch (error) {
      deps.log.warn({ err: (error as Error).message }, "OIDC userinfo failed; using the ID token's claims")
    }
  }
  const email = typeof claims.email === "string" ? claims.email.toLowerCase() : null
  const groups = Policy.groups(claims, oidc.groupsClaim)
  return {
    subject: `${id.iss} ${id.sub}`,
    email,
    // Absent means the provider does not say: some only release verified addresses and omit it.
    emailVerified: claims.email_verified !== false && claims.email_verified !== "false",
    groups,
  }
}
