/** `agentshare unshare [session|url|id]` and `unshare --all`: delete shares from the server. */
import * as Client from "../../client/index.ts"
import * as Args from "../args.ts"
import type { Env } from "../env.ts"
import { Exit, notFound, usage } from "../exit.ts"
import * as Setup from "../setup.ts"
import * as Ui from "../ui.ts"

export const HELP = `usage: agentshare unshare [session|url|id] [options]
       agentshare unshare --all

Deletes shares from the server. With a session id, every share of that session; with a share
URL or id, that share; with nothing, the shares of this project's latest session. Uses the
share's secret when this machine has it, else the owner token, so it works even after the
OpenCode session was deleted.

options:
  --all              delete every share you own on the server
  --server URL       share server (default: enterprise.url in opencode.json, or AGENTSHARE_URL)
  --json             print {removed: [ids], failed: [...]} as JSON
  -h, --help         show this help

exit codes: 0 removed, 1 failure, 2 usage, 4 nothing to remove`

const SPEC = {
  all: { type: "boolean" },
  server: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const

export async function unshare(args: string[], env: Env): Promise<number> {
  const { flags, positionals } = Args.parse(args, SPEC, "unshare")
  if (flags.help) return (Ui.print(env, HELP), Exit.ok)
  if (positionals.length > 1 || (flags.all && positionals.length > 0)) throw usage("agentshare unshare: give one session, URL or id, or --all")
  const given = positionals[0] ? Setup.target(positionals[0]) : undefined
  const resolved = Setup.modes(env, flags.server ?? given?.server)
  const server = Setup.server(resolved)
  const vault = Setup.vault(env)
  const mine = vault.shares().filter((s) => s.server === server)

  let ids: string[]
  if (flags.all) ids = [...new Set([...mine.map((s) => s.id), ...(await owned(env, server)).map((s) => s.id)])]
  else if (given && !given.id.startsWith("ses_")) ids = [given.id]
  else {
    let session = given?.id
    if (!session) {
      const db = Setup.database(env)
      session = Client.Session.latest(db, resolved.root, env.cwd)
      db.close()
    }
    if (!session) throw notFound("agentshare unshare: no session found for this project; pass a session, URL or id")
    const sid = session
    ids = [...new Set([...mine.filter((s) => s.sessionID === sid).map((s) => s.id), ...(await owned(env, server)).filter((s) => s.sessionID === sid).map((s) => s.id)])]
    if (ids.length === 0) throw notFound(`agentshare unshare: session ${sid} has no shares on ${server}`)
  }

  const removed: string[] = []
  const failed: string[] = []
  for (const id of ids) {
    const saved = mine.find((s) => s.id === id)
    try {
      if (saved) await Client.Api.remove(server, saved)
      else {
        const token = vault.owner(server)?.token
        if (!token || (await Client.Api.disown(server, token, { ids: [id] })).length === 0) throw notFound(`share ${id} is not yours or does not exist`)
      }
      removed.push(id)
      vault.forget(id)
    } catch (error) {
      // Already removed (410) elsewhere: the goal is reached; forget the secret.
      if (error instanceof Client.HttpError && error.status === 410) {
        removed.push(id)
        vault.forget(id)
        continue
      }
      failed.push(id)
      Ui.note(env, Setup.failure(error, `could not unshare ${id}`).message)
    }
  }
  if (flags.json) Ui.json(env, { removed, failed })
  else for (const id of removed) Ui.print(env, `unshared ${id}`)
  if (failed.length > 0) return Exit.failure
  if (removed.length === 0) {
    if (!flags.json) Ui.note(env, "nothing to unshare")
    return flags.all ? Exit.ok : Exit.notFound
  }
  return Exit.ok
}

async function owned(env: Env, server: string): Promise<Client.Api.OwnedShareList> {
  const token = Setup.vault(env).owner(server)?.token
  if (!token) return []
  try {
    return await Client.Api.owned(server, token)
  } catch (error) {
    throw Setup.failure(error, "could not list your shares")
  }
}
