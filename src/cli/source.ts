/**
 * A session read for sharing, whichever agent wrote it: its items for a full sync, what to say
 * about it before upload, and the follower that keeps a share of it live (OpenCode's database
 * or the agent's session files).
 */
import * as Client from "../client/index.ts"
import type { SyncItem } from "../schema/index.ts"
import { notFound } from "./exit.ts"
import type { Local } from "./local.ts"

export type Source = {
  agent: Local["agent"]
  sessionID: string
  title: string
  directory?: string
  /** The agent's session file (not for OpenCode). */
  path?: string
  items: SyncItem[]
  sessions: number
  messages: number
  parts: number
  /** A follower of the session for `share`, queuing on `client`. */
  follower(client: Client.Share.Client, share: Client.ShareRef): Client.Follow.Follower
}

export function read(local: Local, db: Client.Database.Database | undefined, subagents: boolean): Source {
  if (local.agent === "opencode") {
    if (!db) throw notFound("agentshare: no OpenCode database on this machine")
    const collected = Client.Session.collect(db, local.id, { subagents })
    if (!collected) throw notFound(`agentshare: no session ${local.id} in ${db.path}`)
    return {
      agent: "opencode",
      sessionID: local.id,
      title: collected.title,
      ...(local.directory ? { directory: local.directory } : {}),
      items: collected.items,
      sessions: collected.sessions.length,
      messages: collected.messages,
      parts: collected.parts,
      follower: (client, share) => Client.Follow.follower(db, client, share, { subagents }),
    }
  }
  const agent = local.agent
  const path = local.path
  if (!path) throw notFound(`agentshare: no session file for ${local.id}`)
  const r = Client.Agents.read(agent, path, { subagents })
  const root = r.sessions[0]
  if (!root) throw notFound(`agentshare: ${path} holds no session yet`)
  return {
    agent,
    sessionID: root.id,
    title: root.title ?? local.title,
    ...((root.directory ?? local.directory) ? { directory: root.directory ?? local.directory } : {}),
    path,
    items: r.items,
    sessions: r.sessions.length,
    messages: r.items.filter((i) => i.type === "message").length,
    parts: r.items.filter((i) => i.type === "part").length,
    follower: (client, share) => Client.Follow.file(agent, path, client, share, { subagents }),
  }
}
