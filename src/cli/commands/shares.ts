/** `agentshare shares`: list your shares (the server's record merged with this machine's). */
import * as Client from "../../client/index.ts"
import * as Args from "../args.ts"
import type { Env } from "../env.ts"
import { Exit, usage } from "../exit.ts"
import * as Setup from "../setup.ts"
import * as Ui from "../ui.ts"

export const HELP = `usage: agentshare shares [options]

Lists your shares: title, URL, created, last sync. The list comes from the server's record of
your owner token, so it is complete even if this machine's store was lost; shares made here
without a token (or on another server) come from the local store.
Shows the server's page-view count; --json adds views and expiresAt.

options:
  --server URL       share server (default: enterprise.url in opencode.json, or AGENTSHARE_URL)
  --json             print the list as JSON
  -h, --help         show this help`

const SPEC = { server: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } } as const

export type Listed = {
  id: string
  url: string
  sessionID: string
  title: string
  createdAt: number
  lastSync: number | null
  items: number | null
  /** Page views the server counted (null: only known locally, or a server without analytics). */
  views: number | null
  /** When the server deletes the share (null: never, or not known). */
  expiresAt: number | null
  /** Known to the server under your owner token, in the local store, or both. */
  source: "server" | "local" | "both"
  snapshot: boolean
}

export async function list(env: Env, server: string): Promise<Listed[]> {
  const vault = Setup.vault(env)
  const local = vault.shares().filter((s) => s.server === server)
  const token = vault.owner(server)?.token
  const remote = token
    ? await Client.Api.owned(server, token).catch((e) => Promise.reject(Setup.failure(e, "could not list your shares")))
    : []
  const out = new Map<string, Listed>()
  for (const r of remote) {
    out.set(r.id, {
      id: r.id,
      url: r.url,
      sessionID: r.sessionID,
      title: r.title ?? "",
      createdAt: r.createdAt,
      lastSync: r.items > 0 ? r.updatedAt : null,
      items: r.items,
      views: r.views ?? null,
      expiresAt: r.expiresAt ?? null,
      source: "server",
      snapshot: false,
    })
  }
  for (const l of local) {
    const r = out.get(l.id)
    if (r) out.set(l.id, { ...r, title: r.title || l.title, source: "both", snapshot: l.snapshot })
    else
      out.set(l.id, {
        id: l.id,
        url: l.url,
        sessionID: l.sessionID,
        title: l.title,
        createdAt: l.createdAt,
        lastSync: l.lastSync,
        items: null,
        views: null,
        expiresAt: null,
        source: "local",
        snapshot: l.snapshot,
      })
  }
  return [...out.values()].sort((a, b) => b.createdAt - a.createdAt)
}

export async function shares(args: string[], env: Env): Promise<number> {
  const { flags, positionals } = Args.parse(args, SPEC, "shares")
  if (flags.help) {
    Ui.print(env, HELP)
    return Exit.ok
  }
  if (positionals.length > 0) throw usage(`agentshare shares: unexpected argument "${positionals[0]}"`)
  const server = Setup.server(Setup.modes(env, flags.server))
  const all = await list(env, server)
  if (flags.json) {
    Ui.json(env, all)
    return Exit.ok
  }
  if (all.length === 0) {
    Ui.note(env, `no shares on ${server}`)
    return Exit.ok
  }
  const rows = [["TITLE", "URL", "CREATED", "LAST SYNC", "VIEWS"]]
  for (const s of all)
    rows.push([
      (s.title || s.sessionID).slice(0, 40) + (s.snapshot ? " (snapshot)" : ""),
      s.url,
      new Date(s.createdAt).toISOString().slice(0, 16).replace("T", " "),
      Ui.ago(s.lastSync),
      s.views === null ? "-" : String(s.views),
    ])
  // On a terminal the title yields to its width (a URL cut to fit would not open); piped, every
  // cell stays whole.
  const columns = env.stdout.isTTY ? env.stdout.columns : undefined
  Ui.print(
    env,
    columns ? Ui.fit(rows, { width: Math.max(columns, 60), shrink: { 0: "right" }, min: 8 }) : Ui.table(rows),
  )
  return Exit.ok
}
