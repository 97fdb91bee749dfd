#!/usr/bin/env node
/** The `agentshare` command line: parses the verb and hands over to commands/<verb>.ts. */
import { claim } from "./commands/claim.ts"
import { exportShare } from "./commands/export.ts"
import { importShare } from "./commands/import.ts"
import { login } from "./commands/login.ts"
import { serve } from "./commands/serve.ts"
import { share } from "./commands/share.ts"
import { shares } from "./commands/shares.ts"
import { status } from "./commands/status.ts"
import { unshare } from "./commands/unshare.ts"
import { watch } from "./commands/watch.ts"
import * as Env from "./env.ts"
import { CliError, Exit } from "./exit.ts"
import * as Sanitize from "./sanitize.ts"

const USAGE = `usage: agentshare <command> [options]

commands:
  share     share an OpenCode session and print its URL (--watch keeps it live)
  watch     keep this project's shares live; in auto mode, share new sessions
  unshare   delete a share (by session, URL or id), or --all
  shares    list your shares
  status    share mode, server and a session's shares
  claim     adopt the shares the stock OpenCode client made
  login     link this machine's owner token to your SSO account (shares from all your machines)
  export    print a share as JSON or Markdown
  import    write a share as an OpenCode export file
  serve     start the share server (configured by environment; see docs/CONFIG.md)

Run 'agentshare <command> --help' for a command's options.`

type Command = (args: string[], env: Env.Env) => Promise<number>

const COMMANDS: Record<string, Command> = {
  share,
  watch,
  unshare,
  shares,
  status,
  claim,
  login,
  export: exportShare,
  import: importShare,
  serve: (args) => serve(args),
}

async function main(argv: string[]): Promise<number> {
  const [verb, ...args] = argv
  if (!verb || verb === "--help" || verb === "-h" || verb === "help") {
    console.log(USAGE)
    return verb ? 0 : 2
  }
  const command = COMMANDS[verb]
  if (!command) {
    console.error(Sanitize.text(`agentshare: unknown command "${verb}"\n\n${USAGE}`))
    return 2
  }
  try {
    return await command(args, Env.current())
  } catch (error) {
    // Error messages quote servers and files: printed like everything else, without their controls.
    if (error instanceof CliError) {
      console.error(Sanitize.text(error.message))
      return error.code
    }
    console.error(Sanitize.text(`agentshare ${verb}: ${error instanceof Error ? error.message : String(error)}`))
    return Exit.failure
  }
}

process.exitCode = await main(process.argv.slice(2))
