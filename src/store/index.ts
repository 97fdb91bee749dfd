/**
 * Storage: the Store interface (one part per noun) and its backends. `open(url)` picks the
 * backend from a DATABASE_URL: `sqlite:` (embedded default) or `postgres://` (scale-out), same contract.
 */
import { isAbsolute, resolve } from "node:path"
import type { Store } from "./store.ts"
import * as Postgres from "./postgres/index.ts"
import * as Sqlite from "./sqlite/index.ts"

export type * from "./store.ts"
export * from "./shares.ts"
export type * from "./owners.ts"
export type * from "./audit.ts"
export type * from "./views.ts"
export type * from "./settings.ts"
export type * from "./logins.ts"

/** Parses `sqlite:///abs/path.db`, `sqlite:./rel.db` or `sqlite::memory:` into a file path. */
export function sqlitePath(url: string): string {
  const rest = url.slice("sqlite:".length)
  if (rest === ":memory:") return rest
  const path = rest.startsWith("//") ? rest.slice(2) : rest
  return isAbsolute(path) ? path : resolve(path)
}

export type OpenOptions = {
  /** SQLite only: FULL (default) also survives power loss; NORMAL survives process crashes. */
  sqliteSynchronous?: "FULL" | "NORMAL"
}

export async function open(url: string, options: OpenOptions = {}): Promise<Store> {
  if (url.startsWith("sqlite:")) return Sqlite.open(sqlitePath(url), { synchronous: options.sqliteSynchronous })
  if (/^postgres(ql)?:\/\//.test(url)) return Postgres.open(url)
  throw new Error(`unsupported DATABASE_URL scheme: ${url.split(":")[0]}`)
}

/**
 * A store that only reads, for a thread other than the one that opened the store (the share
 * page renderer): SQLite through a read-only connection of its own (WAL lets it read while the
 * writer writes), PostgreSQL through a pool of two connections. The database must already be
 * migrated (by `open`). Its writes fail.
 */
export async function reader(url: string): Promise<Store> {
  if (url.startsWith("sqlite:")) return Sqlite.reader(sqlitePath(url))
  if (/^postgres(ql)?:\/\//.test(url)) return Postgres.reader(url)
  throw new Error(`unsupported DATABASE_URL scheme: ${url.split(":")[0]}`)
}
