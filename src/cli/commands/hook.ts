/**
 * What the hooks `agentshare hooks install` wrote run (commands/hooks.ts, hooks/targets.ts):
 *
 *   hook start  --agent A   SessionStart: in auto mode, share the session (or find its link)
 *                           and start its follower; print the link as the agent's
 *                           `systemMessage`. Never blocks the agent: it always exits 0.
 *   hook prompt --agent A   before each prompt: start the follower again if it went idle
 *   hook end    --agent A   SessionEnd: ask the follower to upload what is left and exit
 *   hook follow ...         the follower itself, started detached by start/prompt
 *
 * The agent passes `{session_id, transcript_path, cwd, …}` as JSON on stdin. The follower's life
 * is bounded: it ends at the session's end, when its file has not changed for AGENTSHARE_IDLE
 * (default 10 minutes; the next prompt starts it again), when the file is deleted, or after a
 * day; one follower per share (client/live.ts), so a second SessionStart or a `watch` never
 * doubles it. Its log is `$XDG_DATA_HOME/agentshare/logs/<share>.log`.
 */
import { spawn } from "node:child_process"
import { existsSync, mkdirSync, openSync } from "node:fs"
import { isAbsolute, join } from "node:path"
import { fileURLToPath } from "node:url"
import { z } from "zod"
import * as Client from "../../client/index.ts"
import { AGENT_LABELS } from "../../schema/index.ts"
import * as Args from "../args.ts"
import { type Env, stateDir } from "../env.ts"
import { Exit, usage } from "../exit.ts"
import * as Link from "../link.ts"
import * as Local from "../local.ts"
import * as Secrets from "../secrets.ts"
import * as Setup from "../setup.ts"
import * as Ui from "../ui.ts"
import * as Watching from "../watching.ts"

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url))
/** What a hook reads from the agent, at most. */
const MAX_INPUT = 1024 * 1024
const INPUT_TIMEOUT_MS = 5000
/** After the session's end, the follower uploads until its files were quiet this long (or END_MAX_MS passed). */
const SETTLE_MS = 1500
const END_MAX_MS = 15_000
const IDLE_MS = 10 * 60_000
const MAX_LIFE_MS = 24 * 3600_000

/** The part of the agents' hook input agentshare reads (the rest is theirs). */
const Input = z.looseObject({
  session_id: z.string().min(1).max(256),
  transcript_path: z.string().min(1).max(4096).optional(),
  cwd: z.string().max(4096).optional(),
  hook_event_name: z.string().max(64).optional(),
  /** Codex: set on a sub-agent's events; its rollout is followed as part of its parent's. */
  agent_id: z.string().optional(),
})
type Input = z.infer<typeof Input>

const SPEC = {
  agent: { type: "string" },
  share: { type: "string" },
  path: { type: "string" },
  created: { type: "boolean" },
} as const

export async function hook(args: string[], env: Env): Promise<number> {
  const { flags, positionals } = Args.parse(args, SPEC, "hook")
  const [verb] = positionals
  const [agent] = Local.agents(flags.agent ?? "", "hook")
  if (agent === "opencode") throw usage("agentshare hook: --agent claude-code, codex or gemini-cli")
  if (verb === "follow") return follow(env, agent, flags.share ?? "", flags.path ?? "", Boolean(flags.created))
  if (verb !== "start" && verb !== "prompt" && verb !== "end")
    throw usage("agentshare hook: start, prompt, end or follow")
  // A hook never fails the agent's session: whatever goes wrong is said and the exit is 0.
  try {
    const input = await read(env)
    if (!input || input.agent_id) return Exit.ok
    const at = input.cwd && isAbsolute(input.cwd) && existsSync(input.cwd) ? { ...env, cwd: input.cwd } : env
    if (verb === "end") return end(at, agent, input)
    const said = await start(at, agent, input)
    if (verb === "start" && said) Ui.print(env, JSON.stringify({ systemMessage: said, suppressOutput: true }))
  } catch (error) {
    if (verb === "start")
      Ui.print(
        env,
        JSON.stringify({
          systemMessage: `agentshare: could not share this session: ${(error as Error).message}`,
          suppressOutput: true,
        }),
      )
  }
  return Exit.ok
}

async function read(env: Env): Promise<Input | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, INPUT_TIMEOUT_MS)
    env.stdin.on("data", (c: Buffer) => {
      size += c.length
      if (size <= MAX_INPUT) chunks.push(c)
      else {
        clearTimeout(timer)
        resolve()
      }
    })
    env.stdin.on("end", () => {
      clearTimeout(timer)
      resolve()
    })
    env.stdin.on("error", () => resolve())
  })
  await done
  env.stdin.pause()
  if (size > MAX_INPUT) return undefined
  try {
    const parsed = Input.safeParse(JSON.parse(Buffer.concat(chunks).toString("utf8")))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/**
 * In auto mode: the session's share (made now, or the one it has) and a follower for it; answers
 * what to tell the user, or undefined to stay quiet.
 */
async function start(env: Env, agent: Client.Agents.Agent, input: Input): Promise<string | undefined> {
  const resolved = Setup.modes(env, undefined, agent)
  if (resolved.mode !== "auto") return undefined
  if (!resolved.server)
    return `agentshare: auto sharing is on (${resolved.modeSource}) but no share server is configured: add "server" to it`
  const path = input.transcript_path
  if (!path || !isAbsolute(path) || !path.endsWith(".jsonl")) return undefined
  const server = Client.Api.base(resolved.server)
  const vault = Setup.vault(env)
  const liveDir = Setup.liveDir(env)
  const known = vault.of(server, input.session_id)[0]
  // Before each prompt this is all it does while the follower runs: no network, no file read.
  if (known && Client.Live.read(liveDir, known.id)) return `agentshare: this session is shared live at ${known.url}`
  // One session, one link: a share it has (and the server still serves) is continued.
  let share = (await Link.existing(env, server, input.session_id))?.share
  let created = false
  if (!share) {
    const made = await Setup.create(env, server, input.session_id)
    vault.add({ ...made, server, title: "", createdAt: Date.now(), agent, path, directory: env.cwd })
    share = vault.of(server, input.session_id).find((s) => s.id === made.id)!
    created = true
  }
  vault.patch(share.id, { agent, path, directory: env.cwd })
  // Installing the hooks and choosing auto is the consent the first share of a project asks for.
  vault.confirm(resolved.root)
  spawnFollower(env, agent, share, path, created)
  return `agentshare: sharing this ${AGENT_LABELS[agent]} session live at ${share.url}`
}

function spawnFollower(env: Env, agent: string, share: Client.Vault.Saved, path: string, created: boolean) {
  const logs = join(stateDir(env), "logs")
  mkdirSync(logs, { recursive: true, mode: 0o700 })
  const log = openSync(join(logs, `${share.id.replace(/[^A-Za-z0-9_-]/g, "_")}.log`), "a", 0o600)
  // Detached, in its own session, with no pipe of the agent's: the agent neither waits for it
  // nor takes it down when the hook's process group ends.
  const child = spawn(
    process.execPath,
    [MAIN, "hook", "follow", "--agent", agent, "--share", share.id, "--path", path, ...(created ? ["--created"] : [])],
    {
      cwd: env.cwd,
      env: env.vars as NodeJS.ProcessEnv,
      detached: true,
      stdio: ["ignore", log, log],
    },
  )
  child.unref()
}

function end(env: Env, agent: Client.Agents.Agent, input: Input): number {
  const resolved = Setup.modes(env, undefined, agent)
  if (!resolved.server) return Exit.ok
  const share = Setup.vault(env).of(Client.Api.base(resolved.server), input.session_id)[0]
  if (share) Client.Live.end(Setup.liveDir(env), share.id)
  return Exit.ok
}

/** The detached follower of one share: runs until the session ends, goes idle or is deleted. */
async function follow(
  env: Env,
  agent: Client.Agents.Agent,
  id: string,
  path: string,
  created: boolean,
): Promise<number> {
  const log = (text: string) => Ui.note(env, `${new Date().toISOString()} ${text}`)
  const vault = Setup.vault(env)
  const share = vault.shares().find((s) => s.id === id)
  if (!share || !path) {
    log(`no share ${id} in the vault, or no session file`)
    return Exit.notFound
  }
  const lock = Client.Live.claim(Setup.liveDir(env), id, { what: "hook follow", path })
  if ("held" in lock) {
    log(`already kept live by pid ${lock.held.pid} (${lock.held.what})`)
    return Exit.ok
  }
  const idle = Number(env.vars.AGENTSHARE_IDLE) > 0 ? Number(env.vars.AGENTSHARE_IDLE) * 1000 : IDLE_MS
  const policy = Secrets.mode(env, {}, "hook")
  let accepted = 0
  const client = Client.Share.client({
    server: share.server,
    onEvent: (e) => {
      if (e.type === "sent") {
        accepted += e.items
        vault.touch(e.share.id, Date.now())
      }
      if (e.type === "retry" || e.type === "rejected") log(`${e.type}: ${e.error.message}`)
    },
    prepare: Secrets.prepare(policy.mode, (e) =>
      log(
        e.type === "redacted"
          ? `redacted ${e.findings.length} secret(s) (${Secrets.rules(e.findings)})`
          : `stopped syncing: ${e.error.message}`,
      ),
    ),
  })
  const inner = Client.Follow.file(agent, path, client, share, { subagents: true })
  const started = Date.now()
  let endAt: number | undefined
  let why = "interrupted"
  const follower: Client.Follow.Follower = {
    share,
    tick() {
      if (!inner.tick()) {
        why = "the session file was deleted"
        return false
      }
      const now = Date.now()
      if (lock.ending()) endAt ??= now
      if (endAt !== undefined && (now - inner.changed() > SETTLE_MS || now - endAt > END_MAX_MS)) {
        why = "the session ended"
        return false
      }
      if (now - Math.max(inner.changed(), started) > idle) {
        why = `no change for ${Math.round(idle / 1000)} s`
        return false
      }
      if (now - started > MAX_LIFE_MS) {
        why = "a day passed"
        return false
      }
      return true
    },
  }
  log(`following ${path} for ${share.url}`)
  try {
    const ends = await Watching.run(new Map([[id, follower]]), {
      client,
      intervalMs: 500,
      untilEmpty: true,
      discover: async () => lock.beat(),
    })
    if (ends[0]?.why === "stopped" || ends[0]?.why === "failed") why = ends[0].error?.message ?? ends[0].why
    try {
      inner.tick()
    } catch {}
    const { unsent } = await client.dispose({ timeoutMs: 15_000 })
    log(`stopped (${why}); ${unsent} item(s) left unsent`)
    // Under block, a share whose first batch held a secret holds nothing: not left public and empty.
    if (created && accepted === 0 && Secrets.isSecrets(client.failure(share))) {
      await Client.Api.remove(share.server, share).then(
        () => vault.forget(share.id),
        () => {},
      )
      log("deleted the share: nothing could be uploaded to it")
    }
  } finally {
    lock.release()
  }
  return Exit.ok
}
