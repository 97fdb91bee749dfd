/** The storage verbs of SSO-only viewing and `agentshare login` (0005_sso). Same contract on every backend. */
import type { OwnerRecord } from "./store.ts"

export type Access = "public" | "sso"

/** An owner with its SSO link, when it has one. */
export type Account = OwnerRecord & { ssoSubject: string | null; ssoEmail: string | null }

/** A code for the CLI: who logged in, the run's PKCE challenge and the hash of its run secret (null for a code from before 0006). */
export type LoginCode = { subject: string; email: string | null; challenge: string; run: string | null }

export interface SsoStore {
  /** Sets who may view a live share; false if it is not live. */
  setAccess(id: string, access: Access): Promise<boolean>
  /** The owner linked to an SSO subject. */
  bySubject(subject: string): Promise<Account | undefined>
  /** The owner, with its SSO link, whose token (first or added) hashes to `tokenHash`. */
  byToken(tokenHash: string): Promise<Account | undefined>
  /** Creates an owner linked to `subject`, whose first token hashes to `tokenHash`. */
  createAccount(account: { id: string; tokenHash: string; createdAt: number; subject: string; email: string | null }): Promise<void>
  /** Links an unlinked owner to `subject`; false when it is linked already (to anyone). */
  link(ownerID: string, subject: string, email: string | null): Promise<boolean>
  /** Records the user's email as of this login. */
  touch(ownerID: string, email: string | null): Promise<void>
  /** Adds a token to an owner. */
  addToken(ownerID: string, tokenHash: string, now: number): Promise<void>
  /** Moves every share and token of `from` to `into` and deletes `from`, in one transaction. */
  merge(from: string, into: string, now: number): Promise<void>
  /** Stores a one-time login code (and drops codes that expired long ago). */
  saveCode(codeHash: string, code: LoginCode, expiresAt: number): Promise<void>
  /** Deletes and answers the code if it exists and has not expired: each code is taken once. */
  takeCode(codeHash: string, now: number): Promise<LoginCode | undefined>
}
