/** The `pg` connection pool behind Kysely's PostgreSQL dialect. */
import pg from "pg"

export type PostgresOptions = { max?: number }

export function openPool(url: string, options: PostgresOptions = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 10_000 })
  // An idle client whose server went away must not crash the process; the next query reconnects.
  pool.on("error", () => {})
  return pool
}
