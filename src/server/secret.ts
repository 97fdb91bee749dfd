/** Share ids and secrets: random, URL-safe, stored only as hashes, compared in constant time. */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import { SECRET_BYTES, SHARE_ID_BYTES, SHARE_ID_PREFIX } from "../schema/index.ts"

export const shareId = () => SHARE_ID_PREFIX + randomBytes(SHARE_ID_BYTES).toString("base64url")
export const secret = () => randomBytes(SECRET_BYTES).toString("base64url")

/** Secrets carry 256 random bits, so one SHA-256 is enough: there is nothing to brute-force. */
export const hash = (value: string) => createHash("sha256").update(value, "utf8").digest("hex")

/** True when `value` hashes to `expectedHash`; takes the same time wherever they differ. */
export function verify(value: string, expectedHash: string): boolean {
  const a = Buffer.from(hash(value), "hex")
  const b = Buffer.from(expectedHash, "hex")
  return a.length === b.length && timingSafeEqual(a, b)
}

/** True when two strings are equal, compared as hashes so the time says nothing about them. */
export function same(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(hash(a), "hex"), Buffer.from(hash(b), "hex"))
}
