/** What most commands need: the resolved modes, the server, the vault, an owner token, a client. */
import * as Client from "../client/index.ts"
import type { Access } from "../schema/index.ts"
import { join } from "node:path"
import { type Env, opencodeDb, stateDir } from "./env.ts"
import { CliError, Exit } from "./exit.ts"

/** The share mode and server for sessions of `agent` (OpenCode's rules for OpenCode, agentshare's for the others; modes.ts). */
export function modes(env: Env, server?: string, agent = "opencode"): Client.Modes.Resolved {
  try {
    return Client.Modes.forAgent(agent, { cwd: env.cwd, env: env.vars, home: env.home, server })
  } catch (error) {
    throw new CliError(Exit.failure, `agentshare: ${(error as Error).message}`, { cause: error })
  }
}

export function enabled(resolved: Client.Modes.Resolved, what = "sharing"): void {
  if (resolved.mode === "disabled")
    throw new CliError(
      Exit.disabled,
      `agentshare: ${what} is disabled by ${resolved.modeSource}; remove that setting to share`,
    )
}

/** Where the lock and heartbeat of each share being synced live (client/live.ts). */
export const liveDir = (env: Env) => join(stateDir(env), "live")

export function server(resolved: Client.Modes.Resolved): string {
  if (!resolved.server) {
    throw new CliError(
      Exit.usage,
      'agentshare: no share server configured: set "server" in ~/.config/agentshare/config.json (or "enterprise": {"url": …} in opencode.json), AGENTSHARE_URL, or pass --server URL',
    )
  }
  return Client.Api.base(resolved.server)
}

export const vault = (env: Env) => Client.Vault.open(stateDir(env))

/** The owner token for `server`, asking the server for one the first time. */
export async function token(env: Env, url: string): Promise<string> {
  const v = vault(env)
  const known = v.owner(url)
  if (known) return known.token
  const issued = await Client.Api.owner(url)
  v.setOwner(url, issued)
  return issued.token
}

/** Creates a share under the owner token; a token the server no longer knows (its database was
 * replaced) is replaced by a new one once. */
export async function create(
  env: Env,
  url: string,
  sessionID: string,
  options: Client.Api.CreateOptions = {},
): Promise<Client.ShareRef & { expiresAt?: number | null; access?: Access }> {
  // A share server without owner accounts (OpenCode's own, say) answers 404: share without one.
  const owner = await token(env, url).catch((error: unknown) => {
    if (error instanceof Client.HttpError && error.status === 404) return undefined
    throw error
  })
  const made = await Client.Api.create(url, sessionID, owner, options).catch(async (error: unknown) => {
    if (!(owner !== undefined && error instanceof Client.HttpError && error.status === 401)) throw error
    vault(env).setOwner(url, await Client.Api.owner(url))
    return Client.Api.create(url, sessionID, await token(env, url), options)
  })
  // A server that does not know `access` ignores it: the share would be public. Nothing is in it
  // yet, so it is deleted again and the request fails.
  if (options.access === "sso" && made.access !== "sso") {
    await Client.Api.remove(url, made).catch(() => {})
    throw new CliError(
      Exit.failure,
      `agentshare: ${url} does not support SSO-only shares (it is an older or another share server); nothing was shared`,
    )
  }
  return made
}

export function database(env: Env): Client.Database.Database {
  try {
    return Client.Database.open(opencodeDb(env))
  } catch (error) {
    if (error instanceof Client.Database.DatabaseMissing)
      throw new CliError(Exit.notFound, `agentshare: ${error.message}`)
    throw new CliError(Exit.failure, `agentshare: cannot open ${opencodeDb(env)}: ${(error as Error).message}`, {
      cause: error,
    })
  }
}

/** Turns client errors into CLI errors with the right exit code and a message without secrets. */
export function failure(error: unknown, what: string): CliError {
  if (error instanceof CliError) return error
  if (error instanceof Client.HttpError) {
    const code = error.status === 404 || error.status === 410 ? Exit.notFound : Exit.failure
    return new CliError(
      code,
      `agentshare: ${what}: the server answered ${error.status} (${error.code}): ${error.message}`,
      { cause: error },
    )
  }
  if (error instanceof Client.NetworkError)
    return new CliError(Exit.failure, `agentshare: ${what}: ${error.message}`, { cause: error })
  return new CliError(Exit.failure, `agentshare: ${what}: ${(error as Error).message ?? String(error)}`, {
    cause: error,
  })
}

/** `<origin>/share/<id>` → {server, id}; a bare id → {id}. */
export function target(value: string): { server?: string; id: string } {
  const m = /^(https?:\/\/.+?)\/share\/([A-Za-z0-9_-]+)\/?$/.exec(value)
  if (m) return { server: m[1], id: m[2] }
  return { id: value }
}

/** Resolves when SIGINT or SIGTERM arrives. */
export function interrupted(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => {
      process.off("SIGINT", int)
      process.off("SIGTERM", term)
      resolve(signal)
    }
    const int = () => on("SIGINT")
    const term = () => on("SIGTERM")
    process.once("SIGINT", int)
    process.once("SIGTERM", term)
  })
}
