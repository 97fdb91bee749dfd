/** `agentshare share [session]`: create a share, upload the session, print and copy its URL. */
import { readFileSync } from "node:fs"
import * as Client from "../../client/index.ts"
import { AGENT_LABELS, duration, type Exported, type SyncItem } from "../../schema/index.ts"
import { scan } from "../../secrets/index.ts"
import * as Args from "../args.ts"
import * as Link from "../link.ts"
import * as Local from "../local.ts"
import type { Env } from "../env.ts"
import { CliError, Exit, notFound, usage } from "../exit.ts"
import * as Secrets from "../secrets.ts"
import * as Setup from "../setup.ts"
import * as Source from "../source.ts"
import * as Ui from "../ui.ts"
import * as Watching from "../watching.ts"

export const HELP = `usage: agentshare share [session|file] [options]

Shares a session of OpenCode, Claude Code, Codex CLI or Gemini CLI: uploads it (and its
sub-agent sessions) with a progress bar, prints the URL and copies it to the clipboard.
Without a session, it takes the most recently updated session of this directory, whichever
agent wrote it, and says which one it picked. A session is an id (or a unique start or end of
one; see 'agentshare sessions') or the path of an agent's session file.

A session that already has a share (made here, or by OpenCode's own /share) keeps its link:
share uploads what it is missing and prints the same URL; --watch continues it.

options:
  --agent NAME       only sessions of this agent: opencode, claude, codex or gemini
  --server URL       share server (default: "server" in agentshare's config, enterprise.url in
                     opencode.json, or AGENTSHARE_URL)
  --file PATH        share an 'opencode export' JSON file instead ('-' reads stdin)
  --watch            keep syncing changes live until interrupted (Ctrl-C flushes, then exits)
  --snapshot         share a new, fixed copy that 'watch' never updates
  --no-subagents     leave out subagent (child) sessions
  -y, --yes          do not ask before the first share from this project
  --redact           replace each secret found with [redacted:<rule>] before upload
  --allow-secrets    upload secrets as they are (the findings are still listed)
  --expire DURATION  ask the server to delete a new share after DURATION (90 seconds, 30m, 12h,
                     7d, 2w); without it the server's default applies (docs/ENTERPRISE.md)
  --sso              make a new share viewable only by users who log in through the server's
                     SSO, from its creation on (the server must have SSO configured)
  --json             print {id, url, sessionID, agent, reused, items, redacted, expiresAt,
                     access} as JSON
  -h, --help         show this help

Everything is scanned for secrets before it leaves the machine. By default a finding blocks
the share and prints where it is (item, field, line:col, rule, masked preview). The default
is set by AGENTSHARE_SECRETS or "secrets" in $XDG_CONFIG_HOME/agentshare/config.json:
block, redact or off. With --watch every later batch is scanned too: redact keeps redacting,
block stops syncing at the first secret.

exit codes: 0 shared, 1 server or network failure, 2 usage, 3 sharing disabled,
            4 no such session, 5 not confirmed, 6 shared but some items were refused,
            7 secrets found: not shared (or, with --watch, syncing stopped)`

const SPEC = {
  agent: { type: "string" },
  server: { type: "string" },
  file: { type: "string" },
  watch: { type: "boolean" },
  snapshot: { type: "boolean" },
  subagents: { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  expire: { type: "string" },
  sso: { type: "boolean" },
  ...Secrets.FLAGS,
} as const

export async function share(args: string[], env: Env): Promise<number> {
  const { flags, positionals } = Args.parse(args, SPEC, "share")
  if (flags.help) {
    Ui.print(env, HELP)
    return Exit.ok
  }
  if (positionals.length > 1) throw usage(`agentshare share: expected at most one session, got ${positionals.length}`)
  if (flags.watch && flags.snapshot) throw usage("agentshare share: --watch and --snapshot exclude each other")
  if (flags.watch && flags.file) throw usage("agentshare share: --watch needs a local session, not --file")
  const subagents = flags.subagents !== false
  if (flags.expire !== undefined && duration(flags.expire) === undefined)
    throw usage(`agentshare share: --expire: "${flags.expire}" is not a duration such as 30m, 12h, 7d or 2w`)
  const policy = Secrets.mode(env, flags, "share")
  const which = Local.agents(flags.agent, "share")
  const db = flags.file === undefined && which.includes("opencode") ? Local.database(env) : undefined
  try {
    const source =
      flags.file !== undefined
        ? await exported(env, flags.file, positionals[0])
        : pick(env, positionals[0], which, db, subagents)
    return await upload(env, flags, source, policy, db)
  } finally {
    db?.close()
  }
}

type Flags = ReturnType<typeof Args.parse<typeof SPEC>>["flags"]

async function upload(
  env: Env,
  flags: Flags,
  source: Source.Source,
  policy: { mode: Secrets.Mode; source: string },
  db: Client.Database.Database | undefined,
): Promise<number> {
  const resolved = Setup.modes(env, flags.server, source.agent)
  Setup.enabled(resolved, `sharing ${AGENT_LABELS[source.agent]} sessions`)
  const server = Setup.server(resolved)
  const vault = Setup.vault(env)
  await review(env, source, policy.mode, Boolean(flags.json))
  // One session, one link: a share it already has is completed, not duplicated. A snapshot is a
  // new copy by definition; --expire and --sso ask for a share with other settings than the
  // existing one may have (a public link must not pass for an SSO-only one): those are new too.
  const fresh = Boolean(flags.snapshot) || flags.file !== undefined || flags.expire !== undefined || Boolean(flags.sso)
  const existing = fresh ? undefined : await Link.existing(env, server, source.sessionID, db)
  if (fresh && !flags.snapshot && flags.file === undefined && vault.of(server, source.sessionID).length > 0)
    Ui.note(env, "agentshare: --expire and --sso make a new share; the session's existing share stays as it is")

  if (!existing && !flags.yes && !vault.confirmed(resolved.root)) {
    Ui.note(env, `About to upload "${Ui.clip(Ui.line(source.title), 80 - 18)}"`)
    Ui.note(
      env,
      `(${source.sessions} session(s), ${source.messages} messages, ${source.parts} parts, ${bytes(source.items)}) to ${server}:`,
    )
    Ui.note(env, "anyone with the link can read it.")
    if (!env.tty)
      throw new CliError(
        Exit.cancelled,
        "agentshare share: this is the first share from this project; run it on a terminal to confirm, or pass --yes",
      )
    if (!(await Ui.confirm(env, "Share it?"))) throw new CliError(Exit.cancelled, "agentshare share: not shared")
  }
  vault.confirm(resolved.root)

  let bar: Ui.Progress | undefined
  let redacted = 0
  const client = Client.Share.client({
    server,
    onEvent: (e) => {
      if (e.type === "sent") bar?.add(e.items)
      if (e.type === "retry")
        Ui.note(env, `\nagentshare: ${e.error.message}; retrying in ${Math.round(e.delayMs / 100) / 10}s`)
    },
    prepare: Secrets.prepare(policy.mode, (e) => {
      if (e.type === "redacted") {
        redacted += e.findings.length
        Ui.note(
          env,
          `\nagentshare: redacted ${e.findings.length} secret(s) before upload (${policy.source}):\n${Secrets.table(e.findings, [...source.items, ...e.items], e.share.sessionID)}`,
        )
      } else
        Ui.note(
          env,
          `\nagentshare: stopped uploading: ${e.error.message}${e.findings.length > 0 ? `\n${Secrets.table(e.findings, [...source.items, ...e.items], e.share.sessionID)}` : ""}`,
        )
    }),
  })
  let ref: Client.ShareRef & { expiresAt?: number | null; access?: string }
  const where = {
    ...(source.agent === "opencode" ? {} : { agent: source.agent }),
    ...(source.path ? { path: source.path } : {}),
    ...(source.directory ? { directory: source.directory } : {}),
  }
  if (existing) {
    ref = existing.share
    vault.patch(ref.id, where)
    Ui.note(
      env,
      `agentshare: this session already has a share${existing.from === "opencode" ? " (from OpenCode's /share)" : ""}: completing it, same link`,
    )
  } else {
    try {
      ref = await Setup.create(env, server, source.sessionID, {
        expiresIn: flags.expire,
        access: flags.sso ? "sso" : undefined,
      })
    } catch (error) {
      throw Setup.failure(error, "could not create the share")
    }
    vault.add({
      ...ref,
      server,
      title: source.title,
      createdAt: Date.now(),
      snapshot: Boolean(flags.snapshot),
      ...where,
    })
  }

  const follower = flags.file === undefined ? source.follower(client, ref) : undefined
  bar = Ui.progress(env, source.items.length, "uploading")
  if (follower) follower.tick()
  else client.sync(ref, source.items)
  let code: number = Exit.ok
  try {
    // Retries go on while the server is unreachable; Ctrl-C gives up and says what was left.
    const stop = Setup.interrupted().then(() =>
      Promise.reject(new Error(`interrupted with ${client.pending(ref)} item(s) not uploaded`)),
    )
    await Promise.race([client.flush(ref), stop])
    vault.touch(ref.id, Date.now())
  } catch (error) {
    // A secrets stop was reported with its table already.
    const failure = client.failure(ref)
    if (!failure) Ui.note(env, `\nagentshare: ${(error as Error).message}`)
    code = Secrets.isSecrets(failure) ? Exit.secrets : failure ? Exit.failure : Exit.partial
  }
  bar.done()

  if (flags.json)
    Ui.json(env, {
      id: ref.id,
      url: ref.url,
      sessionID: ref.sessionID,
      agent: source.agent,
      reused: Boolean(existing),
      items: source.items.length,
      redacted,
      ...(ref.expiresAt === undefined ? {} : { expiresAt: ref.expiresAt }),
      ...(ref.access === undefined ? {} : { access: ref.access }),
    })
  else {
    Ui.print(env, ref.url)
    if (ref.access === "sso") Ui.note(env, "(viewable only after logging in through this server's SSO)")
    if (typeof ref.expiresAt === "number")
      Ui.note(env, `(expires ${new Date(ref.expiresAt).toISOString().slice(0, 16).replace("T", " ")} UTC)`)
    // A server without retention ignores expiresIn and answers no expiry.
    else if (flags.expire !== undefined)
      Ui.note(
        env,
        "agentshare: this server did not set an expiry (it has no retention); unshare the share yourself when done",
      )
    const copied = Ui.copy(env, ref.url)
    if (env.stderr.isTTY)
      Ui.note(
        env,
        copied === "none" ? "(no clipboard available: copy the URL above)" : `(copied to the clipboard via ${copied})`,
      )
  }

  if (flags.watch && follower && code === Exit.ok) code = await watch(env, client, follower, vault, source)
  const { unsent } = await client.dispose({ timeoutMs: 10_000 })
  if (unsent > 0) {
    Ui.note(env, `agentshare: ${unsent} item(s) could not be uploaded before exit`)
    return Exit.partial
  }
  return code
}

/** The session named on the command line, or this directory's latest; says which it picked. */
function pick(
  env: Env,
  named: string | undefined,
  which: Local.Agent[],
  db: Client.Database.Database | undefined,
  subagents: boolean,
): Source.Source {
  const root = Client.Modes.projectRoot(env.cwd)
  const found = named !== undefined ? Local.find(env, named, which, db) : Local.latest(env, root, which, db)
  const agents = which.length === 1 ? `${AGENT_LABELS[which[0]]} session` : "session"
  if (!found) {
    if (named !== undefined)
      throw notFound(
        `agentshare share: no ${agents} "${Ui.clip(Ui.line(named), 30)}" on this machine\n  (see 'agentshare sessions')`,
      )
    throw notFound(
      `agentshare share: no ${agents} found for ${Local.tilde(env, env.cwd)};\n  pass a session id or file (see 'agentshare sessions')`,
    )
  }
  Ui.note(env, picked(env, found, named === undefined))
  return Source.read(found, db, subagents)
}

/** Which session was picked, on two lines of at most 80 columns. */
export function picked(env: Env, s: Local.Local, latest: boolean): string {
  const head = `agentshare: the latest ${AGENT_LABELS[s.agent]} session in `
  const tail = ` (${Ui.ago(s.updated)}):`
  const first = latest
    ? `${head}${Ui.clipLeft(Local.tilde(env, s.directory ?? env.cwd), Math.max(10, 80 - head.length - tail.length))}${tail}`
    : `agentshare: ${AGENT_LABELS[s.agent]} session (updated ${Ui.ago(s.updated)}):`
  const room = 80 - 12 - s.id.length - 3
  return `${first}\n            ${s.id}${s.title && room > 8 ? ` "${Ui.clip(Ui.line(s.title), room)}"` : ""}`
}

/**
 * Blocks before anything is created on the server when `block` finds a secret; `--allow-secrets`
 * lists what goes up as it is. `redact` needs no look ahead: the guard redacts every batch.
 */
async function review(env: Env, source: Source.Source, mode: Secrets.Mode, json: boolean): Promise<void> {
  if (mode !== "block" && mode !== "allow") return
  const findings = await scan(source.items, { root: source.sessionID })
  if (findings.length === 0) return
  if (mode === "allow") {
    Ui.note(
      env,
      `agentshare: --allow-secrets: uploading ${findings.length} secret(s) as they are:\n${Secrets.table(findings, source.items, source.sessionID)}`,
    )
    return
  }
  if (json) Ui.json(env, { error: "secrets_found", findings })
  Ui.note(
    env,
    `agentshare share: not shared: ${findings.length} secret(s) found:\n${Secrets.table(findings, source.items, source.sessionID)}`,
  )
  throw new CliError(
    Exit.secrets,
    "agentshare share: pass --redact to replace each with [redacted:<rule>],\n  or --allow-secrets to upload them as they are",
  )
}

async function watch(
  env: Env,
  client: Client.Share.Client,
  follower: Client.Follow.Follower,
  vault: Client.Vault.Vault,
  source: Source.Source,
): Promise<number> {
  // One follower per session: a hook's or a watch's may be syncing this share already.
  const live = Client.Live.claim(Setup.liveDir(env), follower.share.id, {
    what: "share --watch",
    ...(source.path ? { path: source.path } : {}),
  })
  if ("held" in live) {
    Ui.note(
      env,
      `agentshare: this share is already being kept live (${live.held.what}, pid ${live.held.pid}); not starting another follower`,
    )
    return Exit.ok
  }
  Ui.note(env, "watching for changes; press Ctrl-C to stop")
  let ends: Watching.End[]
  try {
    ends = await Watching.run(new Map([[follower.share.id, follower]]), {
      client,
      intervalMs: 500,
      untilEmpty: true,
      discover: async () => live.beat(),
    })
  } finally {
    live.release()
  }
  const end = ends[0]
  if (end?.why === "stopped") return Secrets.isSecrets(end.error) ? Exit.secrets : Exit.failure
  if (end?.why === "gone")
    Ui.note(env, "agentshare: the session was deleted locally; the share stays until you unshare it")
  if (end?.why === "failed") Ui.note(env, `agentshare: stopped syncing: ${end.error?.message}`)
  // What was written between the last tick and Ctrl-C goes up too.
  if (!end) {
    try {
      follower.tick()
    } catch {}
  }
  Ui.note(env, "flushing…")
  await client.flush(follower.share).catch((e: Error) => Ui.note(env, `agentshare: ${e.message}`))
  vault.touch(follower.share.id, Date.now())
  const failure = client.failure(follower.share)
  return Secrets.isSecrets(failure) ? Exit.secrets : failure ? Exit.failure : Exit.ok
}

/** An `opencode export` document (a file, or stdin for "-") as a source. */
async function exported(env: Env, file: string, session: string | undefined): Promise<Source.Source> {
  if (session) throw usage("agentshare share: give a session or --file, not both")
  let text: string
  try {
    text = file === "-" ? await stdin(env) : readFileSync(file, "utf8")
  } catch (error) {
    throw new CliError(Exit.failure, `agentshare share: cannot read ${file}: ${(error as Error).message}`)
  }
  let doc: Exported
  try {
    doc = Client.Exported.parse(text, file === "-" ? "stdin" : file)
  } catch (error) {
    throw new CliError(Exit.failure, `agentshare share: ${(error as Error).message}`)
  }
  const items = Client.Items.full({ session: doc })
  return {
    agent: "opencode",
    sessionID: doc.info.id,
    title: doc.info.title ?? "",
    items,
    sessions: 1,
    messages: doc.messages.length,
    parts: doc.messages.reduce((n, m) => n + m.parts.length, 0),
    follower: () => {
      throw usage("agentshare share: an export file cannot be followed")
    },
  }
}

async function stdin(env: Env): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of env.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString("utf8")
}

function bytes(items: SyncItem[]): string {
  const n = Buffer.byteLength(JSON.stringify(items))
  return n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`
}
