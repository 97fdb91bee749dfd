/** The CLI's view of its process: the one place it reads `process.env`, cwd and the terminal. */
import { homedir } from "node:os"
import { join } from "node:path"

export type Env = {
  vars: Record<string, string | undefined>
  cwd: string
  home: string
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
  stdin: NodeJS.ReadStream
  /** Interactive: stdin and stderr are terminals (prompts and progress go to stderr). */
  tty: boolean
}

export function current(): Env {
  return {
    vars: { ...process.env },
    cwd: process.cwd(),
    home: process.env.HOME || homedir(),
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    tty: Boolean(process.stdin.isTTY && process.stderr.isTTY),
  }
}

export const dataHome = (env: Env) => env.vars.XDG_DATA_HOME || join(env.home, ".local", "share")

/** OpenCode's database: `OPENCODE_DB` if set, else `$XDG_DATA_HOME/opencode/opencode.db`. */
export const opencodeDb = (env: Env) => env.vars.OPENCODE_DB || join(dataHome(env), "opencode", "opencode.db")

/** Where agentshare keeps share secrets and owner tokens. */
export const stateDir = (env: Env) => join(dataHome(env), "agentshare")
