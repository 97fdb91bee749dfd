/** `agentshare claim`: adopt the shares the stock OpenCode client made, so they stay revocable. */
import * as Client from "../../client/index.ts"
import * as Args from "../args.ts"
import type { Env } from "../env.ts"
import { Exit, usage } from "../exit.ts"
import * as Setup from "../setup.ts"
import * as Ui from "../ui.ts"

export const HELP = `usage: agentshare claim [options]

Copies the id and secret of every share the stock OpenCode client created (OpenCode's
session_share table) into agentshare's own store, and registers them under your owner token on
the server, so 'shares' lists them and 'unshare' can remove them even after OpenCode deletes
the session (which deletes its secret too). Shares on other servers are kept locally only.

options:
  --server URL       share server (default: enterprise.url in opencode.json, or AGENTSHARE_URL)
  --json             print what was claimed as JSON
  -h, --help         show this help`

const SPEC = { server: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } } as const

type Outcome = {
  id: string
  sessionID: string
  url: string
  result: "claimed" | "kept locally" | "already claimed" | "removed" | "owned by someone else" | "failed"
  detail?: string
}

export async function claim(args: string[], env: Env): Promise<number> {
  const { flags, positionals } = Args.parse(args, SPEC, "claim")
  if (flags.help) {
    Ui.print(env, HELP)
    return Exit.ok
  }
  if (positionals.length > 0) throw usage(`agentshare claim: unexpected argument "${positionals[0]}"`)
  const resolved = Setup.modes(env, flags.server)
  const server = resolved.server ? Client.Api.base(resolved.server) : undefined
  const db = Setup.database(env)
  const stock = db.stockShares()
  const titles = new Map(db.sessions().map((s) => [s.id, s.title]))
  db.close()
  const vault = Setup.vault(env)
  const saved = new Set(vault.shares().map((s) => s.id))
  const outcomes: Outcome[] = []
  let token: string | undefined
  for (const s of stock) {
    const origin = Setup.target(s.url).server ?? ""
    const ours = server !== undefined && (origin === new URL(server).origin || s.url.startsWith(`${server}/`))
    const base = { id: s.id, sessionID: s.sessionID, url: s.url }
    if (!saved.has(s.id)) {
      vault.add({
        id: s.id,
        url: s.url,
        secret: s.secret,
        sessionID: s.sessionID,
        server: ours ? server : origin,
        title: titles.get(s.sessionID) ?? "",
        createdAt: s.created,
        claimed: true,
      })
      saved.add(s.id)
    }
    if (!ours) {
      outcomes.push({ ...base, result: "kept locally", detail: `made on ${origin || "another server"}` })
      continue
    }
    try {
      token ??= await Setup.token(env, server)
      await Client.Api.claim(server, token, s)
      outcomes.push({ ...base, result: "claimed" })
    } catch (error) {
      if (error instanceof Client.HttpError && (error.status === 410 || error.status === 404)) {
        vault.forget(s.id)
        outcomes.push({ ...base, result: "removed" })
      } else if (error instanceof Client.HttpError && error.status === 409)
        outcomes.push({ ...base, result: "owned by someone else" })
      else outcomes.push({ ...base, result: "failed", detail: Setup.failure(error, "claim").message })
    }
  }
  if (flags.json) Ui.json(env, outcomes)
  else if (outcomes.length === 0) Ui.note(env, "no shares made by the OpenCode client were found")
  else for (const o of outcomes) Ui.print(env, `${o.result}: ${o.url}${o.detail ? ` (${o.detail})` : ""}`)
  return outcomes.some((o) => o.result === "failed") ? Exit.failure : Exit.ok
}
