/**
 * agentshare's own settings: `$XDG_CONFIG_HOME/agentshare/config.json` (JSONC accepted), each
 * overridable by an environment variable: `secrets`, what `share` and `watch` do when what they
 * are about to upload holds a secret (read here); `share` and `server`, the share mode and
 * server of Claude Code, Codex CLI and Gemini CLI sessions, which a project's `.agentshare.json`
 * may set too (read with OpenCode's rules by src/client/modes.ts, `Modes.own`).
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { z } from "zod"
import * as Client from "../client/index.ts"
import type { Env } from "./env.ts"
import { CliError, Exit } from "./exit.ts"

/** `block` refuses to upload, `redact` replaces each secret with `[redacted:<rule>]`, `off` does not scan. */
export const SecretsPolicy = z.enum(["block", "redact", "off"])
export type SecretsPolicy = z.infer<typeof SecretsPolicy>

const File = z.looseObject({ secrets: SecretsPolicy.optional() })
export type File = z.infer<typeof File>

export const configHome = (env: Env) => env.vars.XDG_CONFIG_HOME || join(env.home, ".config")
export const path = (env: Env) => join(configHome(env), "agentshare", "config.json")

/** The config file's settings; {} when there is none. A file that does not parse is an error. */
export function read(env: Env): File {
  const file = path(env)
  let text: string
  try {
    text = readFileSync(file, "utf8")
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {}
    throw new CliError(Exit.failure, `agentshare: cannot read ${file}: ${(error as Error).message}`)
  }
  let value: unknown
  try {
    value = Client.Jsonc.parse(text)
  } catch (error) {
    throw new CliError(Exit.failure, `agentshare: ${file} is not valid JSON: ${(error as Error).message}`)
  }
  const parsed = File.safeParse(value)
  if (!parsed.success)
    throw new CliError(
      Exit.failure,
      `agentshare: ${file}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
    )
  return parsed.data
}

/** The secrets policy and what set it: `AGENTSHARE_SECRETS`, else the config file, else `block`. */
export function secrets(env: Env): { policy: SecretsPolicy; source: string } {
  const fromEnv = env.vars.AGENTSHARE_SECRETS
  if (fromEnv) {
    const parsed = SecretsPolicy.safeParse(fromEnv.trim().toLowerCase())
    if (!parsed.success)
      throw new CliError(
        Exit.usage,
        `agentshare: AGENTSHARE_SECRETS must be block, redact or off (got "${fromEnv.slice(0, 20)}")`,
      )
    return { policy: parsed.data, source: "AGENTSHARE_SECRETS" }
  }
  const file = read(env)
  if (file.secrets) return { policy: file.secrets, source: path(env) }
  return { policy: "block", source: "default" }
}
