/**
 * The free-disk guard (MIN_FREE_DISK): while the SQLite database's volume has less free space
 * than the setting, writes that add data (creates and syncs) are refused with 507, so the
 * volume never fills up under the database. Removals still work: they free space. The free
 * space is read with statfs at most once a second. PostgreSQL's disk is not visible from here.
 */
import { statfsSync } from "node:fs"
import { dirname } from "node:path"
import { sqlitePath } from "../../store/index.ts"
import { diskFull } from "../errors.ts"

const EVERY_MS = 1000

export type Guard = { check(): void }

/** The guard for a database URL; one that never refuses when there is nothing to watch. */
export function guard(databaseUrl: string, minFree: number | null, now: () => number = Date.now): Guard {
  if (minFree === null || !databaseUrl.startsWith("sqlite:")) return { check() {} }
  const path = sqlitePath(databaseUrl)
  if (path === ":memory:") return { check() {} }
  const dir = dirname(path)
  let at = -Infinity
  let free = Infinity
  return {
    check() {
      if (now() - at >= EVERY_MS) {
        at = now()
        try {
          const s = statfsSync(dir)
          free = Number(s.bavail) * Number(s.bsize)
        } catch {
          // A volume we cannot read is not a reason to refuse: SQLite reports a full disk itself.
          free = Infinity
        }
      }
      if (free < minFree) throw diskFull()
    },
  }
}
