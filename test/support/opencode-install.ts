/**
 * The real OpenCode client for tests: `opencode-ai@1.18.33` installed from npm on first use into
 * a cache directory (never into the project's dependencies) and reused while `--version` matches
 * (install.ts).
 */
import { join } from "node:path"
import * as Install from "./install.ts"

export const VERSION = "1.18.33"

export type Client = { ok: true; bin: string; version: string } | { ok: false; reason: string }

const PACKAGE: Install.Package = {
  name: "opencode",
  pkg: "opencode-ai",
  version: VERSION,
  program: (dir) => ({ command: binPath(dir), args: [] }),
}

/** `${XDG_CACHE_HOME:-$HOME/.cache}/agentshare/opencode-1.18.33`. */
export function directory(env: NodeJS.ProcessEnv = process.env): string {
  return Install.directory(PACKAGE, env)
}

export function binPath(dir = directory()): string {
  return join(dir, "node_modules", ".bin", "opencode")
}

/** The client, installing it if needed. Never throws: a failure says why. */
export async function ensure(options: { dir?: string; timeoutMs?: number } = {}): Promise<Client> {
  const r = await Install.ensure(PACKAGE, options)
  return r.ok ? { ok: true, bin: r.command, version: r.version } : r
}
