/** `agentshare serve`: run the share server until SIGINT or SIGTERM. */
import * as Config from "../../server/config.ts"
import * as Server from "../../server/index.ts"

const HELP = `usage: agentshare serve

Starts the share server. It is configured by environment variables:
  PORT           port to listen on (default 8080)
  HOST           interface to listen on (default 127.0.0.1)
  PUBLIC_URL     origin used in share links (default http://HOST:PORT)
  DATABASE_URL   sqlite:///abs/path.db, sqlite:./rel.db or postgres://… (default sqlite:./data/agentshare.db)
  LOG_LEVEL      fatal|error|warn|info|debug|trace|silent (default info)
  LOG_FORMAT     json|pretty (default: pretty on a terminal)
  BODY_LIMIT, ITEM_LIMIT, UNKNOWN_ITEM_LIMIT, SHARE_LIMIT   sizes such as 32MiB
See docs/CONFIG.md for every variable.`

export async function serve(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP)
    return 0
  }
  if (args.length > 0) {
    console.error(
      `agentshare serve: unexpected argument "${args[0]}" (configure with environment variables)\n\n${HELP}`,
    )
    return 2
  }
  // The one place that reads process.env.
  const parsed = Config.parse(process.env, process.stderr.isTTY)
  if (!parsed.ok) {
    console.error("agentshare: invalid configuration:")
    for (const p of parsed.problems) console.error(`  - ${p}`)
    return 1
  }
  let running: Server.Running
  try {
    running = await Server.start(parsed.config, { warm: true })
  } catch (error) {
    console.error(`agentshare: could not start: ${error instanceof Error ? error.message : String(error)}`)
    if (error instanceof Error && error.cause) console.error(`  cause: ${String(error.cause)}`)
    return 1
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      running.deps.log.info({ signal }, "shutting down")
      void running.close().then(resolve)
    }
    process.once("SIGINT", () => stop("SIGINT"))
    process.once("SIGTERM", () => stop("SIGTERM"))
  })
  return 0
}
