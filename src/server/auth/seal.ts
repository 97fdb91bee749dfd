/**
 * Sealed cookies: a JSON value encrypted and authenticated with AES-256-GCM under a key derived
 * from SESSION_SECRET, so the browser holds it but can neither read nor change it.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto"

export type Key = Buffer

export function key(secret: string, purpose: string): Key {
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), `agentshare ${purpose} v1`, 32))
}

export function seal(k: Key, value: unknown): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv("aes-256-gcm", k, iv)
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")
}

/** The sealed value, or undefined for anything forged, altered, truncated or sealed under another key. */
export function open(k: Key, sealed: string | undefined): unknown {
  if (!sealed || sealed.length > 8192) return undefined
  const raw = Buffer.from(sealed, "base64url")
  if (raw.length < 29) return undefined
  try {
    const decipher = createDecipheriv("aes-256-gcm", k, raw.subarray(0, 12))
    decipher.setAuthTag(raw.subarray(12, 28))
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8")
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
