/** `agentshare status [session]`: the share modes and where they were set, the server, and a session's shares. */
import * as Client from "../../client/index.ts"
import { AGENT_LABELS } from "../../schema/index.ts"
import * as Args from "../args.ts"
import { type Env, opencodeDb } from "../env.ts"
import { Exit, usage } from "../exit.ts"
import * as Link from "../link.ts"
import * as Local from "../local.ts"
import * as Setup from "../setup.ts"
import * as Ui from "../ui.ts"

export const HELP = `usage: agentshare status [session] [options]

Shows the share mode (manual, auto or disabled) and the file or variable that set it, for
OpenCode's sessions (OpenCode's config) and for the other agents' (agentshare's own config),
the share server and where it came from, and the shares of a session (default: this
directory's latest, whichever agent wrote it): the ones made here, and the one OpenCode's own
/share made. A share is "live" only while a process on this machine keeps syncing it (a watch,
a share --watch or a hook's follower).

options:
  --agent NAME       only sessions of this agent: opencode, claude, codex or gemini
  --server URL       share server (default: "server" in agentshare's config, enterprise.url in
                     opencode.json, or AGENTSHARE_URL)
  --json             print everything as JSON
  -h, --help         show this help`

const SPEC = {
  agent: { type: "string" },
  server: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const

type ShareState = {
  id: string
  url: string
  /** Where it comes from: made by agentshare on this machine, or by OpenCode's own /share. */
  madeBy: "agentshare" | "opencode"
  snapshot: boolean
  lastSync: number | null
  /** The server's answer: "live" (it serves it), "removed", "missing", or "unreachable: …". */
  server: string
  /** The process keeping it live now, or null when nothing syncs it. */
  syncing: { pid: number; what: string; since: number } | null
}

export async function status(args: string[], env: Env): Promise<number> {
  const { flags, positionals } = Args.parse(args, SPEC, "status")
  if (flags.help) {
    Ui.print(env, HELP)
    return Exit.ok
  }
  if (positionals.length > 1) throw usage("agentshare status: expected at most one session")
  const which = Local.agents(flags.agent, "status")
  const db = Local.database(env)
  let session: Local.Local | undefined
  try {
    const root = Client.Modes.projectRoot(env.cwd)
    session =
      positionals[0] !== undefined
        ? (Local.find(env, positionals[0], which, db) ?? {
            agent: "opencode",
            id: positionals[0],
            title: "",
            updated: 0,
          })
        : Local.latest(env, root, which, db)
    const opencode = Setup.modes(env, flags.server, "opencode")
    const agents = Setup.modes(env, flags.server, "claude-code")
    const resolved = session && session.agent !== "opencode" ? agents : opencode
    const server = resolved.server ? Client.Api.base(resolved.server) : undefined
    const liveDir = Setup.liveDir(env)
    const shares: ShareState[] = []
    if (server && session) {
      const sid = session.id
      const saved = Setup.vault(env)
        .shares()
        .filter((s) => s.server === server && s.sessionID === sid)
      const stock = Link.stockShare(db, sid, server)
      const all = [
        ...saved.map((s) => ({
          id: s.id,
          url: s.url,
          madeBy: s.stock ? ("opencode" as const) : ("agentshare" as const),
          snapshot: s.snapshot,
          lastSync: s.lastSync,
        })),
        ...(stock && !saved.some((s) => s.id === stock.id)
          ? [{ id: stock.id, url: stock.url, madeBy: "opencode" as const, snapshot: false, lastSync: null }]
          : []),
      ]
      for (const s of all) {
        const state = await Client.Api.state(server, s.id).catch((e: Error) => `unreachable: ${e.message}`)
        const live = Client.Live.read(liveDir, s.id)
        shares.push({
          ...s,
          server: state,
          syncing: live ? { pid: live.pid, what: live.what, since: live.since } : null,
        })
      }
    }
    const report = {
      mode: resolved.mode,
      modeSource: resolved.modeSource,
      modes: {
        opencode: { mode: opencode.mode, source: opencode.modeSource },
        agents: { mode: agents.mode, source: agents.modeSource },
      },
      server: server ?? null,
      serverSource: resolved.serverSource ?? null,
      configFiles: [...new Set([...opencode.files, ...agents.files])],
      project: resolved.root,
      database: opencodeDb(env),
      databaseError: db ? null : "no OpenCode database",
      session: session
        ? {
            id: session.id,
            agent: session.agent,
            title: session.title,
            ...(session.path ? { path: session.path } : {}),
          }
        : null,
      shares,
    }
    if (flags.json) {
      Ui.json(env, report)
      return Exit.ok
    }
    Ui.print(env, `share mode: OpenCode ${opencode.mode} (${opencode.modeSource})`)
    Ui.print(env, `            Claude Code, Codex CLI, Gemini CLI ${agents.mode} (${agents.modeSource})`)
    Ui.print(
      env,
      `server:     ${server ?? "not configured"}${resolved.serverSource ? ` (${resolved.serverSource})` : ""}`,
    )
    Ui.print(env, `project:    ${Local.tilde(env, resolved.root)}`)
    Ui.print(env, `database:   ${Local.tilde(env, opencodeDb(env))}${db ? "" : " (none)"}`)
    if (session)
      Ui.print(
        env,
        `session:    ${AGENT_LABELS[session.agent]} ${session.id}${session.title ? ` "${Ui.line(session.title)}"` : ""}`,
      )
    if (shares.length === 0) Ui.print(env, "shares:     none")
    for (const s of shares) {
      Ui.print(
        env,
        `share:      ${s.url}${s.madeBy === "opencode" ? " (made by OpenCode's /share)" : ""}${s.snapshot ? " (snapshot)" : ""}`,
      )
      const served = s.server === "live" ? "on the server" : s.server
      const syncing = s.syncing ? `live: ${s.syncing.what} syncs it (pid ${s.syncing.pid})` : "not syncing now"
      Ui.print(env, `            ${served}, ${syncing}, last sync ${Ui.ago(s.lastSync)}`)
    }
    return Exit.ok
  } finally {
    db?.close()
  }
}
