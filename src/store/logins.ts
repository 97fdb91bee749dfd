/**
 * Logins in storage: the one-time codes `agentshare login` redeems, and the sessions that were
 * logged out. Admin and SSO session cookies carry a random session id; logging out records its
 * hash until the cookie would have expired anyway, so every instance refuses a copy from then on.
 */

/** A code for the CLI: who logged in, the run's PKCE challenge and the hash of its run secret (null for a code from before 0007). */
export type LoginCode = { subject: string; email: string | null; challenge: string; run: string | null }

export interface Logins {
  /** Stores a one-time login code (and drops codes that expired long ago). */
  saveCode(codeHash: string, code: LoginCode, expiresAt: number): Promise<void>
  /** Deletes and answers the code if it exists and has not expired: each code is taken once. */
  takeCode(codeHash: string, now: number): Promise<LoginCode | undefined>
  /** Records that the session whose id hashes to `idHash` has ended (and drops records of sessions past their expiry). */
  revoke(idHash: string, expiresAt: number, now: number): Promise<void>
  /** True when the session whose id hashes to `idHash` was revoked. */
  revoked(idHash: string): Promise<boolean>
}
