#!/usr/bin/env node
/** The `agentshare` command line: parses the verb and hands over to commands/<verb>.ts. */
import { serve } from "./commands/serve.ts"

const USAGE = `usage: agentshare <command> [options]

commands:
  serve     start the share server (configured by environment; see docs/CONFIG.md)

Run 'agentshare <command> --help' for a command's options.`

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = { serve }

async function main(argv: string[]): Promise<number> {
  const [verb, ...args] = argv
  if (!verb || verb === "--help" || verb === "-h" || verb === "help") {
    console.log(USAGE)
    return verb ? 0 : 2
  }
  const command = COMMANDS[verb]
  if (!command) {
    console.error(`agentshare: unknown command "${verb}"\n\n${USAGE}`)
    return 2
  }
  return command(args)
}

process.exitCode = await main(process.argv.slice(2))
