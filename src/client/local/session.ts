/** A local session (and its subagent sessions) read from OpenCode's database as share items. */
import type { SyncItem } from "../../schema/index.ts"
import type { Database } from "./database.ts"
import * as Items from "./items.ts"

export type Collected = { items: SyncItem[]; sessions: string[]; title: string; messages: number; parts: number }

/** Everything a full sync of `id` sends, or undefined when the session no longer exists. */
export function collect(db: Database, id: string, options: { subagents: boolean }): Collected | undefined {
  const root = db.read(id)
  if (!root) return undefined
  const children = options.subagents
    ? db.descendants(id).flatMap((cid) => {
        const s = db.read(cid)
        return s ? [{ session: s, diff: db.diff(cid) }] : []
      })
    : []
  const all = [root, ...children.map((c) => c.session)]
  return {
    items: Items.full({ session: root, diff: db.diff(id) }, children),
    sessions: all.map((s) => s.info.id),
    title: root.info.title ?? "",
    messages: all.reduce((n, s) => n + s.messages.length, 0),
    parts: all.reduce((n, s) => n + s.messages.reduce((k, m) => k + m.parts.length, 0), 0),
  }
}

/** The most recently updated root session of the project at `root` (OpenCode's project is the
 * git worktree; outside git, sessions are matched by directory). */
export function latest(db: Database, root: string, cwd: string): string | undefined {
  return project(db, root, cwd)[0]?.id
}

/** Root sessions of the project, most recently updated first. */
export function project(db: Database, root: string, cwd: string) {
  const match = db.projects().find((p) => p.worktree === root)
  if (match && match.id !== "global") return db.sessions({ roots: true, projectID: match.id })
  return db.sessions({ roots: true, directory: cwd })
}
