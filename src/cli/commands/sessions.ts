/** `agentshare sessions`: recent local sessions of every agent, newest first, with their share links. */
import * as Client from "../../client/index.ts"
import { AGENT_LABELS } from "../../schema/index.ts"
import * as Args from "../args.ts"
import type { Env } from "../env.ts"
import { Exit, usage } from "../exit.ts"
import * as Link from "../link.ts"
import * as Local from "../local.ts"
import * as Setup from "../setup.ts"
import * as Ui from "../ui.ts"

export const HELP = `usage: agentshare sessions [options]

Lists this machine's recent sessions of OpenCode, Claude Code, Codex CLI and Gemini CLI, newest
first: the agent, the end of the session's id, when it last changed, its directory (~ is your
home), its title or first prompt, and under it the share link when it has one ("live" while
something on this machine keeps it synced). 'agentshare share <id>' takes the id, or any start
or end of it that only one session has.

options:
  --agent NAME       only sessions of this agent: opencode, claude, codex or gemini
  --limit N          at most N sessions (default 20)
  --server URL       the share server whose links to show (default: as 'share' finds it)
  --json             print [{agent, id, title, directory, updated, path, share}] as JSON
  -h, --help         show this help`

const SPEC = {
  agent: { type: "string" },
  limit: { type: "string" },
  server: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const

/** How the agents are named in the table's first column. */
const SHORT: Record<Local.Agent, string> = {
  opencode: "opencode",
  "claude-code": "claude",
  codex: "codex",
  "gemini-cli": "gemini",
}

export async function sessions(args: string[], env: Env): Promise<number> {
  const { flags, positionals } = Args.parse(args, SPEC, "sessions")
  if (flags.help) {
    Ui.print(env, HELP)
    return Exit.ok
  }
  if (positionals.length > 0) throw usage(`agentshare sessions: unexpected argument "${positionals[0]}"`)
  const limit = flags.limit === undefined ? 20 : Number(flags.limit)
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw usage("agentshare sessions: --limit must be a whole number from 1 to 10000")
  const which = Local.agents(flags.agent, "sessions")
  const db = Local.database(env)
  try {
    const all = Local.list(env, which, db).slice(0, limit)
    const resolved = Setup.modes(env, flags.server, "claude-code")
    const server = resolved.server ? Client.Api.base(resolved.server) : undefined
    const vault = Setup.vault(env)
    const liveDir = Setup.liveDir(env)
    const rows = all.map((s) => {
      const saved = server ? vault.of(server, s.id)[0] : undefined
      const stock = server && !saved && s.agent === "opencode" ? Link.stockShare(db, s.id, server) : undefined
      const share = saved ?? stock
      return {
        ...s,
        share: share
          ? {
              id: share.id,
              url: share.url,
              live: Client.Live.read(liveDir, share.id) !== undefined,
              ...(stock ? { madeBy: "opencode" } : {}),
            }
          : null,
      }
    })
    if (flags.json) {
      Ui.json(env, rows)
      return Exit.ok
    }
    if (rows.length === 0) {
      Ui.note(env, `no ${which.length === 1 ? `${AGENT_LABELS[which[0]]} ` : ""}sessions on this machine`)
      return Exit.ok
    }
    const cells = [["AGENT", "ID", "UPDATED", "DIRECTORY", "TITLE"]]
    const links = new Map<number, string>()
    for (const [i, r] of rows.entries()) {
      cells.push([
        SHORT[r.agent],
        r.id.slice(-8),
        Ui.ago(r.updated),
        Local.tilde(env, r.directory) || "-",
        r.title || "(untitled)",
      ])
      if (r.share) links.set(i + 1, `${r.share.url}${r.share.live ? " (live)" : ""}`)
    }
    const width = Math.min(env.stdout.isTTY && env.stdout.columns ? env.stdout.columns : 80, 160)
    const lines = Ui.fit(cells, {
      width: Math.max(width, 60),
      shrink: { 3: "left", 4: "right" },
      min: 8,
      max: { 3: 18 },
    }).split("\n")
    const out: string[] = []
    for (const [i, line] of lines.entries()) {
      out.push(line)
      const link = links.get(i)
      // The link on its own line, under the title: a URL cut to fit would not open.
      if (link) out.push(`${" ".repeat(10)}└ ${link}`)
    }
    Ui.print(env, out.join("\n"))
    return Exit.ok
  } finally {
    db?.close()
  }
}
