/** `agentshare import <url> -o file.json`: a share as an OpenCode export file. */
import { writeFileSync } from "node:fs"
import * as Args from "../args.ts"
import type { Env } from "../env.ts"
import { CliError, Exit, notFound, usage } from "../exit.ts"
import * as Document from "../document.ts"
import * as Ui from "../ui.ts"
import { fetchItems } from "./export.ts"

export const HELP = `usage: agentshare import <url|id> [-o file.json]

Downloads a share and writes it in OpenCode's export format, which 'opencode import file.json'
loads into your local OpenCode. Without -o it prints the document.

options:
  -o, --output PATH  write to this file
  --server URL       share server for a bare id (default: enterprise.url, or AGENTSHARE_URL)
  -h, --help         show this help`

const SPEC = {
  output: { type: "string", short: "o" },
  server: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const

export async function importShare(args: string[], env: Env): Promise<number> {
  const { flags, positionals } = Args.parse(args, SPEC, "import")
  if (flags.help) {
    Ui.print(env, HELP)
    return Exit.ok
  }
  if (positionals.length !== 1) throw usage("agentshare import: give one share URL or id")
  const items = await fetchItems(env, positionals[0], flags.server)
  const doc = Document.exported(items)
  if (!doc.info.id) throw notFound("agentshare import: the share holds no session yet")
  const text = `${JSON.stringify(doc, null, 2)}\n`
  if (!flags.output) {
    Ui.json(env, doc)
    return Exit.ok
  }
  try {
    writeFileSync(flags.output, text)
  } catch (error) {
    throw new CliError(Exit.failure, `agentshare import: cannot write ${flags.output}: ${(error as Error).message}`)
  }
  Ui.note(env, `wrote ${flags.output} (${doc.messages.length} messages); load it with: opencode import ${flags.output}`)
  return Exit.ok
}
