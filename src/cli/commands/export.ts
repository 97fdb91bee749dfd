/** `agentshare export <url|id>`: a share's content as JSON items or a Markdown transcript. */
import * as Client from "../../client/index.ts"
import * as Args from "../args.ts"
import type { Env } from "../env.ts"
import { Exit, usage } from "../exit.ts"
import * as Markdown from "../markdown.ts"
import * as Setup from "../setup.ts"
import * as Ui from "../ui.ts"

export const HELP = `usage: agentshare export <url|id> [--format json|md]

Prints a share's content: --format json (default) gives the share items exactly as the server
serves them to 'opencode import'; --format md a readable Markdown transcript.

options:
  --format json|md   output format (default json)
  --server URL       share server for a bare id (default: enterprise.url, or AGENTSHARE_URL)
  -h, --help         show this help

exit codes: 0 printed, 1 failure, 2 usage, 4 no such share (or removed)`

const SPEC = { format: { type: "string" }, server: { type: "string" }, help: { type: "boolean", short: "h" } } as const

export async function fetchItems(env: Env, value: string, serverFlag: string | undefined) {
  const given = Setup.target(value)
  const server = given.server ?? Setup.server(Setup.modes(env, serverFlag))
  try {
    return await Client.Api.data(server, given.id)
  } catch (error) {
    throw Setup.failure(error, `could not read share ${given.id}`)
  }
}

/** The share's link, as the page's Markdown names it. */
function shareUrl(env: Env, value: string, serverFlag: string | undefined): string {
  const given = Setup.target(value)
  const server = given.server ?? Setup.server(Setup.modes(env, serverFlag))
  return `${server}/share/${given.id}`
}

export async function exportShare(args: string[], env: Env): Promise<number> {
  const { flags, positionals } = Args.parse(args, SPEC, "export")
  if (flags.help) {
    Ui.print(env, HELP)
    return Exit.ok
  }
  if (positionals.length !== 1) throw usage("agentshare export: give one share URL or id")
  const format = flags.format ?? "json"
  if (format !== "json" && format !== "md")
    throw usage(`agentshare export: --format must be json or md, not "${format}"`)
  const items = await fetchItems(env, positionals[0], flags.server)
  if (format === "json") Ui.json(env, items)
  else Ui.print(env, Markdown.render(items, shareUrl(env, positionals[0], flags.server)))
  return Exit.ok
}
