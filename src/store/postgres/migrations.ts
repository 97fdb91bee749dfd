/** PostgreSQL's migrations: the shared definitions (../migrations.ts) with PostgreSQL's column types. */
import { migrations as all, postgres } from "../migrations.ts"

export const migrations = all(postgres)
