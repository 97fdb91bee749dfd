/** Named limits shared by the server checks, its error messages and the docs. */

/** Share ids: `s_` + 128 random bits in base64url (22 characters). */
export const SHARE_ID_PREFIX = "s_"
export const SHARE_ID_BYTES = 16
/** Share secrets: 256 random bits in base64url (43 characters). */
export const SECRET_BYTES = 32

/** What a path id may look like: `opencode import` accepts only this alphabet. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/
/** Item types: lower-case words, as OpenCode's are (`session_diff`). */
export const ITEM_TYPE_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/
/** OpenCode ids are short prefixed strings; anything longer is not an id. */
export const MAX_ID_LENGTH = 256
export const MAX_SECRET_LENGTH = 512

/** Defaults for the configurable size limits (bytes). */
export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024
export const DEFAULT_ITEM_LIMIT = 8 * 1024 * 1024
export const DEFAULT_UNKNOWN_ITEM_LIMIT = 256 * 1024
export const DEFAULT_SHARE_LIMIT = 256 * 1024 * 1024
/** Items in one sync request. */
export const MAX_ITEMS_PER_SYNC = 20_000
/** Deepest JSON nesting accepted in a request (OpenCode data nests about ten levels). */
export const MAX_JSON_DEPTH = 128
