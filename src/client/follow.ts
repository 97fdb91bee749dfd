/**
 * Live sync of local sessions. OpenCode's (`follower`): polls its database cheaply (a
 * fingerprint of update times and counts), and on a change re-reads the sessions and queues only
 * what changed, including removals. Polling, not file watching: OpenCode writes through WAL,
 * which fs events report unreliably, and a poll costs three indexed queries. Claude Code, Codex
 * CLI and Gemini CLI (`file`): reads what the agent appended to its session files since the
 * last tick (local/agents), and queues it.
 */
import { existsSync } from "node:fs"
import type { ShareRef } from "./api.ts"
import * as Agents from "./local/agents/index.ts"
import type { Database } from "./local/database.ts"
import * as Items from "./local/items.ts"
import * as Session from "./local/session.ts"
import type { Client } from "./share.ts"

export type Follower = {
  share: ShareRef
  /** Reads once and queues what changed; false when the root session no longer exists. */
  tick(): boolean
  /** When a tick last found something new (epoch ms); the start time before that. */
  changed?(): number
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

/**
 * Follows an agent's session file (and its sub-agents' files) for `share`. A file that does not
 * exist yet is waited for (an agent writes it with its first prompt); one that existed and is
 * gone ends the follower.
 */
export function file(
  agent: Agents.Agent,
  path: string,
  client: Client,
  share: ShareRef,
  options: { subagents: boolean },
): Follower & { changed(): number } {
  const f = Agents.follower(agent, path, options)
  let seen = false
  let changed = Date.now()
  return {
    share,
    tick() {
      if (!existsSync(path)) return !seen
      seen = true
      const items = f.poll()
      if (items.length > 0) {
        changed = Date.now()
        client.sync(share, items)
      }
      return true
    },
    changed: () => changed,
  }
}
