/**
 * The Store written once over Kysely: each part (shares, owners, audit, views, settings,
 * logins) in its own file; each backend supplies its dialect, migrations and the few things
 * that differ (../backend.ts).
 */
import type { Backend, Write } from "../backend.ts"
import type { Store } from "../store.ts"
import { audit } from "./audit.ts"
import { groupCommit } from "./group-commit.ts"
import { logins } from "./logins.ts"
import { owners } from "./owners.ts"
import { settings } from "./settings.ts"
import { shares } from "./shares.ts"
import { views } from "./views.ts"

/** How a backend runs a write transaction: in a group commit (SQLite), or one transaction each. */
export const writer = (backend: Backend): Write =>
  backend.groupCommit ? groupCommit(backend.db) : (run) => backend.db.transaction().execute(run)

export function kyselyStore(backend: Backend, write: Write = writer(backend)): Store {
  return {
    kind: backend.kind,
    shares: shares(backend, write),
    owners: owners(backend),
    audit: audit(backend, write),
    views: views(backend),
    settings: settings(backend),
    logins: logins(backend),
    scrub: async () => {
      await backend.scrub?.()
    },
    close: () => backend.close(),
  }
}
