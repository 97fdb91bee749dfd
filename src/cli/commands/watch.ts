/** `agentshare watch`: keeps this project's shares synced live and, in auto mode, shares new sessions. */
import { resolve } from "node:path"
import * as Client from "../../client/index.ts"
import { AGENT_LABELS } from "../../schema/index.ts"
import * as Args from "../args.ts"
import * as Local from "../local.ts"
import type { Env } from "../env.ts"
import { Exit, usage } from "../exit.ts"
import { scan } from "../../secrets/index.ts"
import * as Secrets from "../secrets.ts"
import * as Setup from "../setup.ts"
import * as Source from "../source.ts"
import * as Ui from "../ui.ts"
import * as Watching from "../watching.ts"

export const HELP = `usage: agentshare watch [options]

Keeps every share of this project's sessions synced live (new messages, edits, and deletions)
until interrupted, whichever agent wrote them: OpenCode's from its database, Claude Code's,
Codex CLI's and Gemini CLI's from their session files. When the share mode is "auto", every
new session that appears is shared too: OpenCode's top-level sessions of this project when
OpenCode's mode is auto ("share": "auto" in opencode.json, or OPENCODE_AUTO_SHARE=1), the
other agents' sessions of this directory when agentshare's is ("share": "auto" in
~/.config/agentshare/config.json or .agentshare.json, or AGENTSHARE_SHARE=auto). Under the
block policy a new session is shared once its first message is written and scans clean (an
auto-created share whose first batch is blocked is deleted again, so no empty public share is
left behind). Snapshots (share --snapshot) are never updated, and a share another process keeps
live (a hook's follower, a 'share --watch') is left to it.

options:
  --agent NAME       only sessions of this agent: opencode, claude, codex or gemini
  --server URL       share server (default: "server" in agentshare's config, enterprise.url in
                     opencode.json, or AGENTSHARE_URL)
  --interval MS      how often to look for changes (default 500)
  --no-subagents     leave out subagent (child) sessions
  --sso              make the shares it creates in auto mode viewable only after an SSO login
  --redact           replace each secret with [redacted:<rule>] in every batch before upload
  --allow-secrets    upload secrets as they are
  --json             one JSON object per line for each event
  -h, --help         show this help

Every batch is scanned for secrets before it is uploaded. By default (block) a share whose new
content holds a secret stops syncing and the findings are listed; the default is set by
AGENTSHARE_SECRETS or "secrets" in $XDG_CONFIG_HOME/agentshare/config.json (block, redact, off).

exit codes: 0 stopped cleanly, 1 failure, 2 usage, 3 sharing disabled, 6 items left unsent,
            7 a share stopped syncing because of secrets`

const SPEC = {
  agent: { type: "string" },
  server: { type: "string" },
  interval: { type: "string" },
  subagents: { type: "boolean" },
  sso: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  ...Secrets.FLAGS,
} as const

/** A session watch may share: OpenCode's (read from the database) or an agent's (its file). */
type Candidate = Local.Local

export async function watch(args: string[], env: Env): Promise<number> {
  const { flags, positionals } = Args.parse(args, SPEC, "watch")
  if (flags.help) {
    Ui.print(env, HELP)
    return Exit.ok
  }
  if (positionals.length > 0) throw usage(`agentshare watch: unexpected argument "${positionals[0]}"`)
  const interval = Number(flags.interval ?? 500)
  if (!Number.isFinite(interval) || interval < 50 || interval > 3_600_000)
    throw usage("agentshare watch: --interval must be a number of milliseconds from 50 to 3600000")
  const subagents = flags.subagents !== false
  const policy = Secrets.mode(env, flags, "watch")
  const wanted = Local.agents(flags.agent, "watch")
  const opencode = Setup.modes(env, flags.server, "opencode")
  const agents = Setup.modes(env, flags.server, "claude-code")
  // Each agent's sessions follow their own mode: OpenCode's config for OpenCode, agentshare's for the others.
  const modeOf = (agent: Local.Agent) => (agent === "opencode" ? opencode : agents)
  const which = wanted.filter((a) => modeOf(a).mode !== "disabled")
  if (which.length === 0) Setup.enabled(modeOf(wanted[0] ?? "opencode"))
  for (const a of wanted)
    if (!which.includes(a))
      Ui.note(
        env,
        `agentshare: ${AGENT_LABELS[a]} sessions are not watched: sharing them is disabled by ${modeOf(a).modeSource}`,
      )
  const server = Setup.server(agents.server ? agents : opencode)
  const db = which.includes("opencode") ? Local.database(env) : undefined
  const vault = Setup.vault(env)
  const liveDir = Setup.liveDir(env)
  const root = opencode.root
  const event = (type: string, fields: Record<string, unknown>, text: string) =>
    flags.json ? Ui.jsonLine(env, { type, ...fields }) : Ui.print(env, text)
  const client = Client.Share.client({
    server,
    onEvent: (e) => {
      if (e.type === "sent") {
        vault.touch(e.share.id, Date.now())
        empty.delete(e.share.id)
      }
      if (e.type === "retry")
        Ui.note(env, `agentshare: ${e.error.message}; retrying in ${Math.round(e.delayMs / 100) / 10}s`)
      if (e.type === "rejected") Ui.note(env, `agentshare: share ${e.share.id}: ${e.error.message}`)
    },
    prepare: Secrets.prepare(policy.mode, (e) => {
      const rules = Secrets.rules(e.findings)
      if (e.type === "redacted") {
        event(
          "redacted",
          { id: e.share.id, secrets: e.findings.length, rules },
          `share ${e.share.id}: redacted ${e.findings.length} secret(s) before upload (${rules})`,
        )
        Ui.note(env, Secrets.table(e.findings, e.items, e.share.sessionID))
        return
      }
      event(
        "blocked",
        { id: e.share.id, sessionID: e.share.sessionID, secrets: e.findings.length, rules },
        `share ${e.share.id}: stopped syncing: ${e.error.message}`,
      )
      if (e.findings.length > 0)
        Ui.note(
          env,
          `${Secrets.table(e.findings, e.items, e.share.sessionID)}\nrun 'agentshare watch --redact' to upload it with each secret redacted`,
        )
    }),
  })
  let blocked = false
  // Shares this watch created in auto mode that have not had a batch accepted yet. If the first
  // batch is blocked, the share holds nothing: it is deleted rather than left public and empty.
  const empty = new Set<string>()
  const discard = async (share: Client.ShareRef) => {
    if (!empty.delete(share.id)) return
    try {
      await Client.Api.remove(server, share)
      vault.forget(share.id)
      event(
        "discarded",
        { sessionID: share.sessionID, id: share.id },
        `share ${share.id}: deleted, since nothing could be uploaded to it`,
      )
    } catch (error) {
      Ui.note(
        env,
        Setup.failure(error, `could not delete the empty share ${share.id}; run 'agentshare unshare ${share.id}'`)
          .message,
      )
    }
  }

  /** This project's sessions now: OpenCode's of the project, the agents' of this directory. */
  const sessions = (): Candidate[] => {
    const out: Candidate[] = []
    if (db && which.includes("opencode"))
      for (const s of Client.Session.project(db, root, env.cwd))
        out.push({ agent: "opencode", id: s.id, title: s.title, directory: s.directory, updated: s.updated })
    const others = which.filter((a): a is Client.Agents.Agent => a !== "opencode")
    if (others.length > 0) {
      const here = resolve(env.cwd)
      for (const l of Client.Agents.list(Local.homes(env), others))
        if (l.directory === here)
          out.push({
            agent: l.agent,
            id: l.id,
            title: l.title ?? "",
            directory: l.directory,
            updated: l.updated,
            path: l.path,
          })
    }
    return out
  }
  const followers = new Map<string, Client.Follow.Follower>()
  const locks = new Map<string, Client.Live.Handle>()
  const closed = new Set<string>()
  const known = new Set(sessions().map((s) => s.id))
  const inProject = (dir: string | undefined) => dir !== undefined && (dir === root || dir.startsWith(`${root}/`))
  const follow = (saved: Client.Vault.Saved) => {
    const agent = (saved.agent ?? "opencode") as Local.Agent
    if (!which.includes(agent)) return
    if (agent === "opencode" ? !db : !saved.path) return
    // One follower per share: another process keeping it live (a hook's, a share --watch) has it.
    const lock = Client.Live.claim(liveDir, saved.id, { what: "watch", ...(saved.path ? { path: saved.path } : {}) })
    if ("held" in lock) return
    locks.set(saved.id, lock)
    followers.set(
      saved.id,
      agent === "opencode"
        ? Client.Follow.follower(db!, client, saved, { subagents })
        : Client.Follow.file(agent as Client.Agents.Agent, saved.path!, client, saved, { subagents }),
    )
  }
  const adopt = () => {
    for (const saved of vault.shares()) {
      if (saved.server !== server || saved.snapshot || followers.has(saved.id) || closed.has(saved.id)) continue
      // Only this project's: a share of another project's session is that watch's job.
      if (saved.agent ? !inProject(saved.directory) : !known.has(saved.sessionID)) continue
      follow(saved)
    }
  }
  // In auto mode, every new session of the project is shared.
  const share = async (s: Candidate) => {
    // Under block, a session that already holds a secret is not shared at all: creating the
    // share first would leave an empty public share behind once its first batch is refused.
    // A session with no content yet (OpenCode writes the session row before its first
    // message; an agent its file before the answer) has nothing to scan: it is looked at again next time.
    if (policy.mode === "block") {
      let current: Source.Source
      try {
        current = Source.read(s, db, subagents)
      } catch {
        return
      }
      if (!current.items.some((i) => i.type === "part")) return
      known.add(s.id)
      const findings = await scan(current.items, { root: current.sessionID })
      if (findings.length > 0) {
        blocked = true
        event(
          "blocked",
          { sessionID: s.id, secrets: findings.length, rules: Secrets.rules(findings) },
          `session ${s.id}: not shared: ${findings.length} secret(s) found`,
        )
        Ui.note(
          env,
          `${Secrets.table(findings, current.items, current.sessionID)}\nrun 'agentshare watch --redact' to share it with each secret redacted`,
        )
        return
      }
    }
    known.add(s.id)
    // A hook may have shared it already: one session, one link.
    if (vault.of(server, s.id).length > 0) return
    try {
      const ref = await Setup.create(env, server, s.id, { access: flags.sso ? "sso" : undefined })
      empty.add(ref.id)
      vault.add({
        ...ref,
        server,
        title: s.title,
        createdAt: Date.now(),
        ...(s.agent === "opencode" ? {} : { agent: s.agent, path: s.path, directory: s.directory }),
      })
      event(
        "shared",
        { sessionID: s.id, agent: s.agent, id: ref.id, url: ref.url, ...(ref.access ? { access: ref.access } : {}) },
        `shared ${AGENT_LABELS[s.agent]} session ${s.id} ${ref.url}${ref.access === "sso" ? " (SSO only)" : ""}`,
      )
    } catch (error) {
      Ui.note(env, Setup.failure(error, `could not share ${s.id}`).message)
      known.delete(s.id)
    }
  }
  const modes = [
    ...(which.includes("opencode") ? [`share mode ${opencode.mode}, from ${opencode.modeSource}`] : []),
    ...(which.some((a) => a !== "opencode")
      ? [`${which.includes("opencode") ? "other agents: " : "share mode "}${agents.mode}, from ${agents.modeSource}`]
      : []),
  ].join("; ")
  Ui.note(env, `watching ${root} (${modes}); press Ctrl-C to stop`)

  await Watching.run(followers, {
    client,
    intervalMs: interval,
    async discover() {
      for (const s of sessions()) {
        if (known.has(s.id)) continue
        if (modeOf(s.agent).mode !== "auto") known.add(s.id)
        else await share(s)
      }
      adopt()
      for (const lock of locks.values()) lock.beat()
    },
    async onEnd({ follower: f, why, error }) {
      closed.add(f.share.id)
      locks.get(f.share.id)?.release()
      locks.delete(f.share.id)
      if (why === "stopped") {
        if (Secrets.isSecrets(error)) blocked = true
        else Ui.note(env, `agentshare: stopped syncing ${f.share.id}: ${error?.message}`)
        await discard(f.share)
      } else if (why === "gone")
        event(
          "gone",
          { sessionID: f.share.sessionID, id: f.share.id },
          `session ${f.share.sessionID} was deleted locally; ${f.share.url} stays shared`,
        )
      else Ui.note(env, `agentshare: stopped syncing ${f.share.id}: ${error?.message}`)
    },
  })
  // What was written between the last round and Ctrl-C goes up too.
  for (const f of followers.values()) {
    try {
      f.tick()
    } catch {}
  }
  Ui.note(env, "flushing…")
  const { unsent } = await client.dispose({ timeoutMs: 15_000 })
  for (const lock of locks.values()) lock.release()
  db?.close()
  for (const f of followers.values()) {
    const failure = client.failure(f.share)
    if (failure === undefined) continue
    if (Secrets.isSecrets(failure)) blocked = true
    await discard(f.share)
  }
  if (unsent > 0) {
    Ui.note(env, `agentshare: ${unsent} item(s) could not be uploaded before exit`)
    return Exit.partial
  }
  return blocked ? Exit.secrets : Exit.ok
}
