#!/usr/bin/env node
/** The `agentshare` command line: parses the verb and hands over to commands/<verb>.ts. */
import * as Env from "./env.ts"
import { CliError, Exit } from "./exit.ts"
import * as Sanitize from "./sanitize.ts"

const USAGE = `usage: agentshare <command> [options]

commands:
  sessions  recent sessions of OpenCode, Claude Code, Codex CLI and Gemini CLI
  share     share a session of any of them and print its URL (--watch keeps it live)
  watch     keep this project's shares live; in auto mode, share new sessions
  hooks     install or remove the hooks that share Claude Code, Codex or Gemini CLI
            sessions live from their first prompt
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

// Each verb is loaded when it runs: `agentshare shares` never loads the server, nor `serve` the client.
const COMMANDS: Record<string, () => Promise<Command>> = {
  sessions: async () => (await import("./commands/sessions.ts")).sessions,
  hooks: async () => (await import("./commands/hooks.ts")).hooks,
  // What the installed hooks run (commands/hook.ts); not for people.
  hook: async () => (await import("./commands/hook.ts")).hook,
  share: async () => (await import("./commands/share.ts")).share,
  watch: async () => (await import("./commands/watch.ts")).watch,
  unshare: async () => (await import("./commands/unshare.ts")).unshare,
  shares: async () => (await import("./commands/shares.ts")).shares,
  status: async () => (await import("./commands/status.ts")).status,
  claim: async () => (await import("./commands/claim.ts")).claim,
  login: async () => (await import("./commands/login.ts")).login,
  export: async () => (await import("./commands/export.ts")).exportShare,
  import: async () => (await import("./commands/import.ts")).importShare,
  serve: async () => {
    const { serve } = await import("./commands/serve.ts")
    return (args) => serve(args)
  },
}

async function main(argv: string[]): Promise<number> {
  const [verb, ...args] = argv
  if (!verb || verb === "--help" || verb === "-h" || verb === "help") {
    console.log(USAGE)
    return verb ? 0 : 2
  }
  const load = Object.hasOwn(COMMANDS, verb) ? COMMANDS[verb] : undefined
  if (!load) {
    console.error(Sanitize.text(`agentshare: unknown command "${verb}"\n\n${USAGE}`))
    return 2
  }
  try {
    const command = await load()
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
