/** `agentshare hooks install|uninstall --agent claude|codex|gemini [--project]`: the hooks that share agents' sessions live. */
import { fileURLToPath } from "node:url"
import * as Client from "../../client/index.ts"
import { AGENT_LABELS } from "../../schema/index.ts"
import * as Args from "../args.ts"
import { type Env, stateDir } from "../env.ts"
import { CliError, Exit, usage } from "../exit.ts"
import * as Settings from "../hooks/settings.ts"
import * as Targets from "../hooks/targets.ts"
import * as Local from "../local.ts"
import * as Setup from "../setup.ts"
import * as Ui from "../ui.ts"

export const HELP = `usage: agentshare hooks install --agent claude|codex|gemini [--project]
       agentshare hooks uninstall --agent claude|codex|gemini [--project]
       agentshare hooks status

install writes the agent's hook configuration so that, when agentshare's share mode is "auto",
every new session of that agent is shared live from its first prompt to its end, with no second
terminal: at the session's start a hook shares it (or finds its link, if it has one) and starts
a follower in the background that uploads what the agent writes; the link is printed where the
agent shows hook messages; at the session's end (or after 10 minutes without change) the
follower uploads what is left and exits. In manual mode the hooks do nothing.

  Claude Code   ~/.claude/settings.json, or .claude/settings.json with --project
  Codex CLI     $CODEX_HOME/hooks.json (~/.codex), or .codex/hooks.json with --project;
                Codex runs hooks only once you trust them: open codex and accept them when it
                asks (/hooks); 'codex exec' needs --dangerously-bypass-hook-trust
  Gemini CLI    ~/.gemini/settings.json, or .gemini/settings.json with --project (with
                hooksConfig.enabled); project hooks run only in a trusted folder

Turn auto sharing on in $XDG_CONFIG_HOME/agentshare/config.json or in the project's
.agentshare.json: {"share": "auto", "server": "https://share.example.com"}.

uninstall removes exactly what install wrote: the file is restored byte for byte when you have
not changed it since, and otherwise only agentshare's entries (and keys install added) go.

options:
  --agent NAME       claude, codex or gemini
  --project          the project's settings (at the git root) instead of your own
  --json             print what was done as JSON
  -h, --help         show this help`

const SPEC = {
  agent: { type: "string" },
  project: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url))

export async function hooks(args: string[], env: Env): Promise<number> {
  const { flags, positionals } = Args.parse(args, SPEC, "hooks")
  if (flags.help) {
    Ui.print(env, HELP)
    return Exit.ok
  }
  const [action, ...rest] = positionals
  if (rest.length > 0) throw usage(`agentshare hooks: unexpected argument "${rest[0]}"`)
  const manifest = Settings.manifest(stateDir(env))
  if (action === "status") return status(env, manifest, Boolean(flags.json))
  if (action !== "install" && action !== "uninstall")
    throw usage("agentshare hooks: expected install, uninstall or status (see --help)")
  if (flags.agent === undefined) throw usage(`agentshare hooks ${action}: --agent claude, codex or gemini is required`)
  const [agent] = Local.agents(flags.agent, "hooks")
  if (agent === "opencode")
    throw usage(
      'agentshare hooks: OpenCode needs no hooks: its own "share": "auto" and \'agentshare watch\' share its sessions',
    )
  const root = flags.project ? Client.Modes.projectRoot(env.cwd) : undefined
  const target = Targets.target(env, agent, root)
  try {
    if (action === "install") return install(env, target, manifest, Boolean(flags.json))
    return uninstall(env, target, manifest, Boolean(flags.json))
  } catch (error) {
    if (error instanceof Settings.SettingsError) throw new CliError(Exit.failure, `agentshare hooks: ${error.message}`)
    throw error
  }
}

function install(
  env: Env,
  target: Targets.Target,
  manifest: ReturnType<typeof Settings.manifest>,
  json: boolean,
): number {
  // Installing again replaces what the last install wrote (this agentshare may have moved).
  const before = manifest.find(target.file)
  if (before) Settings.uninstall(before)
  const commands = Object.fromEntries(
    (["start", "prompt", "end"] as const).map((v) => [v, Targets.command(process.execPath, MAIN, v, target.agent)]),
  )
  const record = Settings.install(target, commands)
  manifest.put(record)
  const mode = Setup.modes(env, undefined, target.agent)
  if (json) {
    Ui.json(env, {
      installed: target.file,
      agent: target.agent,
      scope: target.scope,
      events: target.events.map((e) => e.event),
      mode: mode.mode,
      modeSource: mode.modeSource,
    })
    return Exit.ok
  }
  Ui.print(
    env,
    `installed agentshare's hooks for ${AGENT_LABELS[target.agent]} in ${Local.tilde(env, target.file)} (${target.events.map((e) => e.event).join(", ")})`,
  )
  if (mode.mode !== "auto")
    Ui.note(
      env,
      `agentshare: the share mode is ${mode.mode} (${mode.modeSource}): the hooks share nothing until it is "auto" ({"share": "auto"} in ${Local.tilde(env, Client.Modes.ownFiles({ cwd: env.cwd, env: env.vars, home: env.home })[0])} or the project's .agentshare.json)`,
    )
  else if (!mode.server)
    Ui.note(
      env,
      `agentshare: no share server is configured: add "server" to ${Local.tilde(env, Client.Modes.ownFiles({ cwd: env.cwd, env: env.vars, home: env.home })[0])}`,
    )
  if (target.agent === "codex")
    Ui.note(
      env,
      "agentshare: Codex runs new hooks only once you trust them: start codex and accept them when it asks (/hooks); 'codex exec' needs --dangerously-bypass-hook-trust",
    )
  if (target.agent === "gemini-cli" && target.scope === "project")
    Ui.note(env, "agentshare: Gemini CLI runs a project's hooks only when the folder is trusted")
  return Exit.ok
}

function uninstall(
  env: Env,
  target: Targets.Target,
  manifest: ReturnType<typeof Settings.manifest>,
  json: boolean,
): number {
  const record = manifest.find(target.file)
  if (!record) {
    if (json) Ui.json(env, { removed: null, file: target.file })
    else Ui.note(env, `agentshare: no hooks of agentshare's are recorded for ${Local.tilde(env, target.file)}`)
    return Exit.notFound
  }
  const how = Settings.uninstall(record)
  manifest.drop(target.file)
  if (json) {
    Ui.json(env, { removed: how, file: target.file })
    return Exit.ok
  }
  const said: Record<Settings.Removed, string> = {
    restored: "restored it as it was before install",
    deleted: "deleted it (install had created it)",
    edited: "removed agentshare's entries (you changed the file since install, so the rest stays as it is now)",
    missing: "nothing to do: the file is gone",
  }
  Ui.print(env, `${Local.tilde(env, target.file)}: ${said[how]}`)
  return Exit.ok
}

function status(env: Env, manifest: ReturnType<typeof Settings.manifest>, json: boolean): number {
  const rows = (["claude-code", "codex", "gemini-cli"] as const).flatMap((agent) =>
    [undefined, Client.Modes.projectRoot(env.cwd)].map((root) => {
      const t = Targets.target(env, agent, root)
      return { agent, scope: t.scope, file: t.file, installed: manifest.find(t.file) !== undefined }
    }),
  )
  if (json) {
    Ui.json(env, rows)
    return Exit.ok
  }
  Ui.print(
    env,
    Ui.fit(
      [
        ["AGENT", "SCOPE", "HOOKS", "FILE"],
        ...rows.map((r) => [AGENT_LABELS[r.agent], r.scope, r.installed ? "installed" : "-", Local.tilde(env, r.file)]),
      ],
      { shrink: { 3: "left" } },
    ),
  )
  return Exit.ok
}
