/** `agentshare unshare [session|url|id]` and `unshare --all`: delete shares from the server. */
import * as Client from "../../client/index.ts"
import * as Args from "../args.ts"
import type { Env } from "../env.ts"
import { CliError, Exit, notFound, usage } from "../exit.ts"
import * as Local from "../local.ts"
import * as Setup from "../setup.ts"
import * as Ui from "../ui.ts"

export const HELP = `usage: agentshare unshare [session|url|id] [options]
       agentshare unshare --all

Deletes shares from the server. With a session id (of any agent), every share of that session;
with a share URL or id, that share; with nothing, the shares of this directory's latest session.
Uses the share's secret when this machine has it, else the owner token, so it works even after
the local session was deleted. With nothing, and with --all, it lists what it would delete and
asks first (on a terminal); --yes deletes without asking.

options:
  --all              delete every share you own on the server
  -y, --yes          do not ask before deleting
  --server URL       share server (default: "server" in agentshare's config, enterprise.url in
                     opencode.json, or AGENTSHARE_URL)
  --json             print {removed: [ids], failed: [...]} as JSON
  -h, --help         show this help

exit codes: 0 removed, 1 failure, 2 usage, 4 nothing to remove, 5 not confirmed`

const SPEC = {
  all: { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  server: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const

export async function unshare(args: string[], env: Env): Promise<number> {
  const { flags, positionals } = Args.parse(args, SPEC, "unshare")
  if (flags.help) {
    Ui.print(env, HELP)
    return Exit.ok
  }
  if (positionals.length > 1 || (flags.all && positionals.length > 0))
    throw usage("agentshare unshare: give one session, URL or id, or --all")
  const given = positionals[0] ? Setup.target(positionals[0]) : undefined
  const resolved = Setup.modes(env, flags.server ?? given?.server)
  const server = Setup.server(resolved)
  const vault = Setup.vault(env)
  const mine = vault.shares().filter((s) => s.server === server)

  let ids: string[]
  // Deleting what the user did not name (their latest session's shares, or all) is asked first.
  const ask = flags.all || !given
  if (flags.all) ids = [...new Set([...mine.map((s) => s.id), ...(await owned(env, server)).map((s) => s.id)])]
  else if (given && (mine.some((s) => s.id === given.id) || !isSession(env, given.id, mine))) ids = [given.id]
  else {
    let session = given?.id
    if (!session) {
      const db = Local.database(env)
      session = Local.latest(env, resolved.root, Local.agents(undefined, "unshare"), db)?.id
      db?.close()
    }
    if (!session) throw notFound("agentshare unshare: no session found for this directory; pass a session, URL or id")
    const sid = session
    ids = [
      ...new Set([
        ...mine.filter((s) => s.sessionID === sid).map((s) => s.id),
        ...(await owned(env, server)).filter((s) => s.sessionID === sid).map((s) => s.id),
      ]),
    ]
    if (ids.length === 0) throw notFound(`agentshare unshare: session ${sid} has no shares on ${server}`)
  }
  if (ask && ids.length > 0 && !flags.yes) {
    const urls = ids.map((id) => mine.find((s) => s.id === id)?.url ?? id)
    Ui.note(
      env,
      `About to delete ${ids.length} share(s) from ${server}:\n${urls
        .slice(0, 20)
        .map((u) => `  ${u}`)
        .join("\n")}${urls.length > 20 ? `\n  … and ${urls.length - 20} more` : ""}`,
    )
    if (!env.tty)
      throw new CliError(
        Exit.cancelled,
        "agentshare unshare: nothing deleted; run it on a terminal to confirm, or pass --yes",
      )
    if (!(await Ui.confirm(env, "Delete them?")))
      throw new CliError(Exit.cancelled, "agentshare unshare: nothing deleted")
  }

  const removed: string[] = []
  const failed: string[] = []
  for (const id of ids) {
    const saved = mine.find((s) => s.id === id)
    try {
      if (saved) await Client.Api.remove(server, saved)
      else {
        const token = vault.owner(server)?.token
        if (!token || (await Client.Api.disown(server, token, { ids: [id] })).length === 0)
          throw notFound(`share ${id} is not yours or does not exist`)
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

/** Whether `value` names a session rather than a share: OpenCode's ids start with ses_, the
 * other agents' are theirs (a share of them in the vault, or a session on this machine). */
function isSession(env: Env, value: string, mine: Client.Vault.Saved[]): boolean {
  if (value.startsWith("ses_") || mine.some((s) => s.sessionID === value)) return true
  const db = Local.database(env)
  try {
    return Local.list(env, Local.agents(undefined, "unshare"), db).some((s) => s.id === value)
  } finally {
    db?.close()
  }
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
