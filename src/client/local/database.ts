/**
 * Reads OpenCode's own SQLite database (1.18: `$XDG_DATA_HOME/opencode/opencode.db`) read-only.
 * Each read is one short read transaction: under WAL it sees a consistent snapshot and never
 * blocks a running OpenCode, which keeps writing meanwhile.
 */
import { existsSync } from "node:fs"
import { DatabaseSync } from "node:sqlite"
import type { Exported } from "../../schema/index.ts"

/** A session as listed, without its messages. */
export type SessionSummary = {
  id: string
  parentID: string | null
  projectID: string
  directory: string
  title: string
  created: number
  updated: number
}

/** A share the stock client made: its row in OpenCode's `session_share` table. */
export type StockShare = { sessionID: string; id: string; secret: string; url: string; created: number }

type Row = Record<string, unknown>

export class DatabaseMissing extends Error {
  constructor(path: string) {
    super(
      `no OpenCode database at ${path} (has OpenCode 1.18 or newer run here? set XDG_DATA_HOME or OPENCODE_DB to point at it)`,
    )
    this.name = "DatabaseMissing"
  }
}

export type Database = ReturnType<typeof open>

export function open(path: string) {
  if (!existsSync(path)) throw new DatabaseMissing(path)
  // A busy timeout rides out OpenCode's checkpoints; readOnly guarantees we never write.
  const db = new DatabaseSync(path, { readOnly: true, timeout: 5000 })
  const snapshot = <T>(read: () => T): T => {
    db.exec("BEGIN")
    try {
      return read()
    } finally {
      db.exec("COMMIT")
    }
  }
  const all = (sql: string, ...args: (string | number)[]) => db.prepare(sql).all(...args) as Row[]

  return {
    path,
    /** Sessions, most recently updated first; `roots` keeps only top-level ones. */
    sessions(filter: { roots?: boolean; projectID?: string; directory?: string } = {}): SessionSummary[] {
      const where: string[] = []
      const args: string[] = []
      if (filter.roots) where.push("parent_id is null")
      if (filter.projectID) {
        where.push("project_id = ?")
        args.push(filter.projectID)
      }
      if (filter.directory) {
        where.push("directory = ?")
        args.push(filter.directory)
      }
      const sql = `select id, parent_id, project_id, directory, title, time_created, time_updated from session ${where.length ? `where ${where.join(" and ")}` : ""} order by time_updated desc, id`
      return all(sql, ...args).map((r) => ({
        id: String(r.id),
        parentID: r.parent_id === null ? null : String(r.parent_id),
        projectID: String(r.project_id),
        directory: String(r.directory),
        title: String(r.title),
        created: Number(r.time_created),
        updated: Number(r.time_updated),
      }))
    },
    /** Projects as OpenCode knows them (a git worktree each, or "global"). */
    projects(): { id: string; worktree: string }[] {
      return all("select id, worktree from project").map((r) => ({ id: String(r.id), worktree: String(r.worktree) }))
    },
    /** The session with all its messages and parts, shaped as `opencode export` prints it. */
    read(id: string): Exported | undefined {
      return snapshot(() => {
        const s = all("select * from session where id = ?", id)[0]
        if (!s) return undefined
        const parts = new Map<string, Record<string, unknown>[]>()
        for (const p of all(
          "select id, message_id, session_id, data from part where session_id = ? order by message_id, id",
          id,
        )) {
          const list = parts.get(String(p.message_id)) ?? []
          list.push({
            ...parse(p.data),
            id: String(p.id),
            sessionID: String(p.session_id),
            messageID: String(p.message_id),
          })
          parts.set(String(p.message_id), list)
        }
        const messages = all("select id, session_id, data from message where session_id = ? order by id", id).map(
          (m) => ({
            info: { ...parse(m.data), id: String(m.id), sessionID: String(m.session_id) },
            parts: parts.get(String(m.id)) ?? [],
          }),
        )
        return { info: sessionInfo(s), messages } as Exported
      })
    },
    /** The per-session file diff OpenCode keeps beside the session (`session_diff` items). */
    diff(id: string): unknown[] {
      const r = all("select summary_diffs from session where id = ?", id)[0]
      const v = r?.summary_diffs ? parse(r.summary_diffs) : []
      return Array.isArray(v) ? v : []
    },
    /** Every descendant (subagent) session of `id`, depth first, oldest first. */
    descendants(id: string): string[] {
      const out: string[] = []
      const walk = (parent: string) => {
        for (const r of all("select id from session where parent_id = ? order by time_created, id", parent)) {
          out.push(String(r.id))
          walk(String(r.id))
        }
      }
      snapshot(() => walk(id))
      return out
    },
    /** Something that changes whenever any of these sessions, their messages or parts change or
     * are deleted: cheap to poll. */
    fingerprint(ids: string[]): string {
      if (ids.length === 0) return ""
      const marks = ids.map(() => "?").join(",")
      return snapshot(() => {
        const s = all(
          `select count(*) n, max(time_updated) t, group_concat(time_updated) g from session where id in (${marks})`,
          ...ids,
        )[0]
        const m = all(`select count(*) n, max(time_updated) t from message where session_id in (${marks})`, ...ids)[0]
        const p = all(`select count(*) n, max(time_updated) t from part where session_id in (${marks})`, ...ids)[0]
        const c = all(`select count(*) n from session where parent_id in (${marks})`, ...ids)[0]
        return JSON.stringify([s, m, p, c])
      })
    },
    /** Shares the stock client created (`session_share`), newest first. */
    stockShares(): StockShare[] {
      return all("select session_id, id, secret, url, time_created from session_share order by time_created desc").map(
        (r) => ({
          sessionID: String(r.session_id),
          id: String(r.id),
          secret: String(r.secret),
          url: String(r.url),
          created: Number(r.time_created),
        }),
      )
    },
    close: () => db.close(),
  }
}

function parse(v: unknown): Record<string, unknown> {
  if (typeof v !== "string") return {}
  try {
    const parsed: unknown = JSON.parse(v)
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {}
  } catch {
    return {}
  }
}

const json = (v: unknown) => (typeof v === "string" && v ? JSON.parse(v) : undefined)
const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v))

/** A `session` row as the Session object OpenCode's API and export show (the columns are its
 * fields flattened: summary_*, tokens_*, time_*, and JSON in model, permission, revert). */
function sessionInfo(r: Row): Record<string, unknown> {
  const info: Record<string, unknown> = {
    id: r.id,
    slug: r.slug,
    projectID: r.project_id,
    workspaceID: r.workspace_id ?? undefined,
    directory: r.directory,
    path: r.path ?? undefined,
    parentID: r.parent_id ?? undefined,
    title: r.title,
    agent: r.agent ?? undefined,
    model: json(r.model),
    version: r.version,
    summary:
      r.summary_additions === null && r.summary_files === null
        ? undefined
        : {
            additions: num(r.summary_additions) ?? 0,
            deletions: num(r.summary_deletions) ?? 0,
            files: num(r.summary_files) ?? 0,
            ...(r.summary_diffs ? { diffs: json(r.summary_diffs) } : {}),
          },
    cost: Number(r.cost ?? 0),
    tokens: {
      input: Number(r.tokens_input ?? 0),
      output: Number(r.tokens_output ?? 0),
      reasoning: Number(r.tokens_reasoning ?? 0),
      cache: { read: Number(r.tokens_cache_read ?? 0), write: Number(r.tokens_cache_write ?? 0) },
    },
    share: r.share_url ? { url: r.share_url } : undefined,
    permission: json(r.permission),
    revert: json(r.revert),
    metadata: json(r.metadata),
    time: {
      created: Number(r.time_created),
      updated: Number(r.time_updated),
      ...(r.time_compacting !== null && r.time_compacting !== undefined
        ? { compacting: Number(r.time_compacting) }
        : {}),
      ...(r.time_archived !== null && r.time_archived !== undefined ? { archived: Number(r.time_archived) } : {}),
    },
  }
  for (const k of Object.keys(info)) if (info[k] === undefined) delete info[k]
  return info
}
