/** `agentshare status [session]`: the share mode and where it was set, the server, and a session's shares. */
import * as Client from "../../client/index.ts"
import * as Args from "../args.ts"
import { type Env, opencodeDb } from "../env.ts"
import { Exit, usage } from "../exit.ts"
import * as Setup from "../setup.ts"
import * as Ui from "../ui.ts"

export const HELP = `usage: agentshare status [session] [options]

Shows the share mode (manual, auto or disabled) and the file or variable that set it, the share
server and where it came from, and the shares of a session (default: this project's latest).

options:
  --server URL       share server (default: enterprise.url in opencode.json, or AGENTSHARE_URL)
  --json             print everything as JSON
  -h, --help         show this help`

const SPEC = { server: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } } as const

export async function status(args: string[], env: Env): Promise<number> {
  const { flags, positionals } = Args.parse(args, SPEC, "status")
  if (flags.help) return (Ui.print(env, HELP), Exit.ok)
  if (positionals.length > 1) throw usage("agentshare status: expected at most one session")
  const resolved = Setup.modes(env, flags.server)
  let session: { id: string; title: string } | undefined
  let dbError: string | undefined
  try {
    const db = Setup.database(env)
    const id = positionals[0] ?? Client.Session.latest(db, resolved.root, env.cwd)
    const found = id ? db.sessions().find((s) => s.id === id) : undefined
    session = found ? { id: found.id, title: found.title } : id ? { id, title: "" } : undefined
    db.close()
  } catch (error) {
    dbError = (error as Error).message
  }
  const server = resolved.server ? Client.Api.base(resolved.server) : undefined
  const shares = server && session ? Setup.vault(env).shares().filter((s) => s.server === server && s.sessionID === session.id) : []
  const state = await Promise.all(shares.map(async (s) => {
    const live = await Client.Api.state(server!, s.id).catch((e: Error) => `unreachable: ${e.message}`)
    return { id: s.id, url: s.url, snapshot: s.snapshot, lastSync: s.lastSync, server: live }
  }))
  const report = {
    mode: resolved.mode,
    modeSource: resolved.modeSource,
    server: server ?? null,
    serverSource: resolved.serverSource ?? null,
    configFiles: resolved.files,
    project: resolved.root,
    database: opencodeDb(env),
    databaseError: dbError ?? null,
    session: session ?? null,
    shares: state,
  }
  if (flags.json) return (Ui.json(env, report), Exit.ok)
  Ui.print(env, `share mode: ${resolved.mode} (${resolved.modeSource})`)
  Ui.print(env, `server:     ${server ?? "not configured"}${resolved.serverSource ? ` (${resolved.serverSource})` : ""}`)
  Ui.print(env, `project:    ${resolved.root}`)
  Ui.print(env, `database:   ${opencodeDb(env)}${dbError ? ` (${dbError})` : ""}`)
  if (session) Ui.print(env, `session:    ${session.id}${session.title ? ` "${Ui.line(session.title)}"` : ""}`)
  if (state.length === 0) Ui.print(env, "shares:     none")
  for (const s of state) Ui.print(env, `share:      ${s.url} (${s.server}${s.snapshot ? ", snapshot" : ""}, last sync ${Ui.ago(s.lastSync)})`)
  return Exit.ok
}
