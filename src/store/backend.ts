/**
 * What a backend hands the store's Kysely implementation (kysely/): its database and the few
 * things that differ between SQLite and PostgreSQL.
 */
import type { Kysely, Selectable, Transaction } from "kysely"
import type { Database, ShareTable } from "./tables.ts"

export type Backend = {
  kind: string
  db: Kysely<Database>
  /** Lock the share row for the rest of the transaction (PostgreSQL: SELECT … FOR UPDATE). */
  lockShare(trx: Transaction<Database>, id: string): Promise<Selectable<ShareTable> | undefined>
  /** Serialise creates for one session until the transaction ends (PostgreSQL: an advisory
   * lock; SQLite's BEGIN IMMEDIATE already serialises every write). */
  lockSession?(trx: Transaction<Database>, sessionID: string): Promise<void>
  /** Run writes in groups that share one commit (SQLite: commits block the process). */
  groupCommit?: boolean
  /** See Store.scrub. */
  scrub?(): Promise<void>
  close(): Promise<void>
}

/** Runs a write transaction; on SQLite it joins the group commit (kysely/group-commit.ts). */
export type Write = <T>(run: (trx: Transaction<Database>) => Promise<T>) => Promise<T>
