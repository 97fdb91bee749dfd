/**
 * The storage verbs of logging out (0007_sessions). Admin and SSO session cookies carry a random
 * session id; logging out records its hash here until the cookie would have expired anyway, so
 * every instance on the database refuses a copy of the cookie from then on. Same contract on
 * every backend.
 */
export interface SessionStore {
  /** Records that the session whose id hashes to `idHash` has ended (and drops records of sessions past their expiry). */
  revoke(idHash: string, expiresAt: number, now: number): Promise<void>
  /** True when the session whose id hashes to `idHash` was revoked. */
  revoked(idHash: string): Promise<boolean>
}
