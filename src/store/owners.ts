/** Owners in storage: whoever holds a token the server issued (stored as its hash), and the SSO user it may be linked to. */

/** One owner: its first token's hash, and the SSO user `agentshare login` linked it to, if any. */
export type Owner = {
  id: string
  tokenHash: string
  createdAt: number
  ssoSubject: string | null
  ssoEmail: string | null
}

export type NewOwner = Pick<Owner, "id" | "tokenHash" | "createdAt"> & {
  ssoSubject?: string | null
  ssoEmail?: string | null
}

export interface Owners {
  /** Records a new owner by the hash of its first token (and its SSO link, for an account). */
  create(owner: NewOwner): Promise<void>
  /** The owner whose token (first or added) hashes to `tokenHash`. */
  byToken(tokenHash: string): Promise<Owner | undefined>
  /** The owner linked to an SSO subject. */
  bySubject(subject: string): Promise<Owner | undefined>
  /** Links an unlinked owner to `subject`; false when it is linked already (to anyone). */
  link(ownerID: string, subject: string, email: string | null): Promise<boolean>
  /** Records the user's email as of this login. */
  touch(ownerID: string, email: string | null): Promise<void>
  /** Adds a token to an owner. */
  addToken(ownerID: string, tokenHash: string, now: number): Promise<void>
  /** Moves every share and token of `from` to `into` and deletes `from`, in one transaction. */
  merge(from: string, into: string, now: number): Promise<void>
}
