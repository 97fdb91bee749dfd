/** SQLite's migrations: the shared definitions (../migrations.ts) with SQLite's column types. */
import { migrations as all, sqlite } from "../migrations.ts"

export const migrations = all(sqlite)
