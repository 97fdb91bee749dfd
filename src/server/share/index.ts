/**
 * Shares: the only create, sync, read and remove, ingest and takedown, and the routes of both
 * protocols (routes.ts for OpenCode's ShareNext client, legacy.ts for the older Share module).
 */
export { access, authorized, checkId, live, read, source, type View } from "./read.ts"
export { create, type CreateOptions, type Creator } from "./create.ts"
export { rewrite, sync } from "./sync.ts"
export { remove, type Removal } from "./remove.ts"
export * as Expiry from "./expiry.ts"
