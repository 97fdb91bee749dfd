/**
 * The real OpenCode client for tests: `opencode-ai@1.18.33` installed from npm on first use into
 * a cache directory (never into the project's dependencies) and reused while `--version` matches.
 * A lock file serialises test processes that install at the same time.
 */
import { existsSync } from "node:fs"
import { mkdir, open, readFile, rm, stat, writeFile } from "node:fs/promises"
import { homedir } from "node:os"
import { join } from "node:path"
import * as Proc from "./process.ts"

export const VERSION = "1.18.33"

const INSTALL_TIMEOUT_MS = 10 * 60_000
const LOCK_POLL_MS = 500

export type Client = { ok: true; bin: string; version: string } | { ok: false; reason: string }

/** `${XDG_CACHE_HOME:-$HOME/.cache}/agentshare/opencode-1.18.33`. */
export function directory(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache")
  return join(cache, "agentshare", `opencode-${VERSION}`)
}

export function binPath(dir = directory()): string {
  return join(dir, "node_modules", ".bin", "opencode")
}

async function version(bin: string): Promise<string | null> {
  if (!existsSync(bin)) return null
  const r = await Proc.run(bin, ["--version"], { env: { ...process.env } as Record<string, string>, timeoutMs: 30_000 }).catch(() => null)
  return r?.code === 0 ? r.stdout.trim() : null
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

/** The client, installing it if needed. Never throws: a failure says why. */
export async function ensure(options: { dir?: string; timeoutMs?: number } = {}): Promise<Client> {
  const dir = options.dir ?? directory()
  const bin = binPath(dir)
  if ((await version(bin)) === VERSION) return { ok: true, bin, version: VERSION }
  const timeoutMs = options.timeoutMs ?? INSTALL_TIMEOUT_MS
  try {
    await mkdir(join(dir, ".."), { recursive: true })
    const release = await lock(`${dir}.lock`, Date.now() + timeoutMs)
    try {
      // Another process may have finished the install while we waited for the lock.
      if ((await version(bin)) === VERSION) return { ok: true, bin, version: VERSION }
      await rm(dir, { recursive: true, force: true })
      await mkdir(dir, { recursive: true })
      await writeFile(join(dir, "package.json"), JSON.stringify({ name: "agentshare-opencode-cache", private: true }))
      const r = await Proc.run("npm", ["install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error", `opencode-ai@${VERSION}`], {
        cwd: dir,
        env: { ...process.env } as Record<string, string>,
        timeoutMs,
      })
      // npm puts the error code and summary first and a stack trace after it.
      const summary = r.stderr.trim().split("\n").slice(0, 4).join(" | ")
      if (r.code !== 0) return { ok: false, reason: `npm install opencode-ai@${VERSION} failed (exit ${r.code}${r.timedOut ? ", timed out" : ""}): ${summary}` }
      const got = await version(bin)
      if (got !== VERSION) return { ok: false, reason: `${bin} --version printed ${JSON.stringify(got)}, expected ${VERSION}` }
      return { ok: true, bin, version: VERSION }
    } finally {
      await release()
    }
  } catch (error) {
    return { ok: false, reason: `could not install opencode-ai@${VERSION} into ${dir}: ${(error as Error).message}` }
  }
}
