/**
 * The keys the server holds, made once in `start()`: the sealed-cookie keys of SSO sessions and
 * logins (SESSION_SECRET, or one per process), the admin area's CSRF key, and the audit log's
 * HMAC key (AUDIT_KEY, or a random one stored once in the database so every instance hashes alike).
 */
import { createHash, createHmac, createSecretKey, type KeyObject, randomBytes } from "node:crypto"
import type { Store } from "../store/index.ts"
import * as Seal from "./auth/seal.ts"
import type { Config } from "./config.ts"
import type { Logger } from "./log.ts"

export type SessionKeys = { session: Seal.Key; flow: Seal.Key; csrf: Buffer; cliLink: Seal.Key; cliHeld: Seal.Key }

export type Keys = {
  sessions: SessionKeys
  /** The admin area's CSRF key; undefined while the admin area is off. */
  admin: Buffer | undefined
  /**
   * The audit log's keyed hash (HMAC-SHA256, hex) of `text`, with its key read from the database
   * at first use. Recent texts are remembered: every sync hashes its client's address.
   */
  audit(text: string): Promise<string>
}

/** Texts whose hash `audit` remembers; the oldest goes first. */
const REMEMBERED = 1024

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest()

export function create(config: Config, store: Store, log: Logger, now: () => number): Keys {
  // Without SESSION_SECRET a random key per process: logins end at restart (documented).
  const secret = config.auth.sessionSecret ?? randomBytes(32).toString("base64url")
  if (!config.auth.sessionSecret && config.auth.oidc)
    log.warn("SESSION_SECRET is not set: logins end when this process stops and are not accepted by other instances")
  const sessions = {
    session: Seal.key(secret, "session"),
    flow: Seal.key(secret, "login flow"),
    csrf: Seal.key(secret, "csrf"),
    cliLink: Seal.key(secret, "cli link"),
    cliHeld: Seal.key(secret, "cli confirmation"),
  }
  // The admin CSRF key follows the token (changing ADMIN_TOKEN ends every admin session), else
  // SESSION_SECRET, like the SSO sessions it protects.
  const token = config.enterprise.adminToken
  const admin =
    token !== undefined
      ? digest(`agentshare-admin\n${token}`)
      : config.auth.oidc?.adminGroup !== undefined
        ? digest(`agentshare-admin-sso\n${secret}`)
        : undefined
  let auditKey: Promise<KeyObject> | undefined
  const key = (): Promise<KeyObject> => {
    if (auditKey) return auditKey
    const configured = config.enterprise.auditKey
    const p = (
      configured !== undefined
        ? Promise.resolve(configured)
        : store.settings.once("audit_key", randomBytes(32).toString("base64url"), now())
    ).then((v) => createSecretKey(Buffer.from(v, "utf8")))
    auditKey = p
    p.catch(() => {
      auditKey = undefined
    })
    return p
  }
  const hashes = new Map<string, string>()
  return {
    sessions,
    admin,
    async audit(text) {
      const known = hashes.get(text)
      if (known !== undefined) return known
      const hash = createHmac("sha256", await key())
        .update(text, "utf8")
        .digest("hex")
      if (hashes.size >= REMEMBERED) hashes.delete(hashes.keys().next().value as string)
      hashes.set(text, hash)
      return hash
    },
  }
}
