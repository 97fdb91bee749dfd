/**
 * Live sync of local sessions: polls OpenCode's database cheaply (a fingerprint of update times
 * and counts), and on a change re-reads the sessions and queues only what changed, including
 * removals. Polling, not file watching: OpenCode writes through WAL, which fs events report
 * unreliably, and a poll costs three indexed queries.
 */
import type { ShareRef } from "./api.ts"
import type { Database } from "./local/database.ts"
import * as Items from "./local/items.ts"
import * as Session from "./local/session.ts"
import type { Client } from "./share.ts"

export type Follower = {
  share: ShareRef
  /** Reads once and queues what changed; false when the root session no longer exists. */
  tick(): boolean
}

export function follower(db: Database, client: Client, share: ShareRef, options: { subagents: boolean }): Follower {
  const track = Items.tracker(share.sessionID)
  let fingerprint = ""
  return {
    share,
    tick() {
      const ids = [share.sessionID, ...(options.subagents ? db.descendants(share.sessionID) : [])]
      const now = db.fingerprint(ids)
      if (now === fingerprint) return true
      const collected = Session.collect(db, share.sessionID, options)
      if (!collected) return false
      fingerprint = now
      const changes = track.changes(collected.items)
      if (changes.length > 0) client.sync(share, changes)
      return true
    },
  }
}
