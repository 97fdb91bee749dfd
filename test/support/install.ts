/**
 * Pinned npm packages for tests (the real OpenCode client, Claude Code, Codex CLI, Gemini CLI):
 * installed on first use into `${XDG_CACHE_HOME:-$HOME/.cache}/agentshare/<name>-<version>`,
 * never into the project's dependencies, and reused while the installed program reports its
 * version. A lock file serialises test processes that install at the same time.
 */
import { existsSync } from "node:fs"
import { mkdir, open, readFile, rm, stat, writeFile } from "node:fs/promises"
import { homedir } from "node:os"
import { join } from "node:path"
import * as Proc from "./process.ts"

const INSTALL_TIMEOUT_MS = 10 * 60_000
const LOCK_POLL_MS = 500

export type Package = {
  /** The cache folder's name: `<name>-<version>`. */
  name: string
  /** What `npm install` gets, e.g. `@openai/codex`. */
  pkg: string
  version: string
  /** The program inside the install folder: a binary, or a script run with this Node. */
  program(dir: string): { command: string; args: string[] } | undefined
  /** Whether `--version` printed this version. */
  matches?(printed: string): boolean
}

export type Installed =
  | { ok: true; dir: string; command: string; args: string[]; version: string }
  | { ok: false; reason: string }

export function directory(p: Pick<Package, "name" | "version">, env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache")
  return join(cache, "agentshare", `${p.name}-${p.version}`)
}

async function version(p: Package, dir: string): Promise<string | null> {
  const program = p.program(dir)
  if (!program || !existsSync(program.command === process.execPath ? program.args[0] : program.command)) return null
  // An empty HOME: the program must not pick up (or write) the developer's own settings.
  const home = join(dir, ".version-home")
  await mkdir(home, { recursive: true })
  const r = await Proc.run(program.command, [...program.args, "--version"], {
    env: { PATH: process.env.PATH ?? "", HOME: home },
    timeoutMs: 60_000,
  }).catch(() => null)
  if (r?.code !== 0) return null
  const printed = r.stdout.trim()
  return (p.matches ?? ((s: string) => s === p.version))(printed) ? p.version : printed
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** Takes the lock, breaking one left by a dead process or older than an install can take. */
async function lock(path: string, deadline: number): Promise<() => Promise<void>> {
  for (;;) {
    try {
      const handle = await open(path, "wx")
      await handle.writeFile(String(process.pid))
      await handle.close()
      return () => rm(path, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
    }
    const owner = Number(await readFile(path, "utf8").catch(() => ""))
    const age = Date.now() - ((await stat(path).catch(() => null))?.mtimeMs ?? Date.now())
    if ((owner > 0 && !alive(owner)) || age > INSTALL_TIMEOUT_MS) {
      await rm(path, { force: true })
      continue
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the install lock ${path} (held by pid ${owner})`)
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS))
  }
}

/** The package, installing it if needed. Never throws: a failure says why. */
export async function ensure(p: Package, options: { dir?: string; timeoutMs?: number } = {}): Promise<Installed> {
  const dir = options.dir ?? directory(p)
  const ready = (): Installed => ({ ok: true, dir, ...p.program(dir)!, version: p.version })
  if ((await version(p, dir)) === p.version) return ready()
  const timeoutMs = options.timeoutMs ?? INSTALL_TIMEOUT_MS
  const spec = `${p.pkg}@${p.version}`
  try {
    await mkdir(join(dir, ".."), { recursive: true })
    const release = await lock(`${dir}.lock`, Date.now() + timeoutMs)
    try {
      // Another process may have finished the install while we waited for the lock.
      if ((await version(p, dir)) === p.version) return ready()
      await rm(dir, { recursive: true, force: true })
      await mkdir(dir, { recursive: true })
      await writeFile(join(dir, "package.json"), JSON.stringify({ name: `agentshare-${p.name}-cache`, private: true }))
      const r = await Proc.run("npm", ["install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error", spec], {
        cwd: dir,
        env: { ...process.env } as Record<string, string>,
        timeoutMs,
      })
      // npm puts the error code and summary first and a stack trace after it.
      const summary = r.stderr.trim().split("\n").slice(0, 4).join(" | ")
      if (r.code !== 0)
        return {
          ok: false,
          reason: `npm install ${spec} failed (exit ${r.code}${r.timedOut ? ", timed out" : ""}): ${summary}`,
        }
      const got = await version(p, dir)
      if (got !== p.version)
        return {
          ok: false,
          reason: `${spec} in ${dir}: --version printed ${JSON.stringify(got)}, expected ${p.version}`,
        }
      return ready()
    } finally {
      await release()
    }
  } catch (error) {
    return { ok: false, reason: `could not install ${spec} into ${dir}: ${(error as Error).message}` }
  }
}
