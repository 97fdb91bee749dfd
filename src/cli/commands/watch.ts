/** `agentshare watch`: keeps this project's shares synced live and, in auto mode, shares new sessions. */
import * as Client from "../../client/index.ts"
import * as Args from "../args.ts"
import type { Env } from "../env.ts"
import { Exit, usage } from "../exit.ts"
import { scan } from "../../secrets/index.ts"
import * as Secrets from "../secrets.ts"
import * as Setup from "../setup.ts"
import * as Ui from "../ui.ts"
import * as Watching from "../watching.ts"

export const HELP = `usage: agentshare watch [options]

Keeps every share of this project's sessions synced live (new messages, edits, and deletions)
until interrupted. When the share mode is "auto" ("share": "auto" in opencode.json, or
OPENCODE_AUTO_SHARE=1), every new top-level session that appears is shared too; under the
block policy, once its first message is written and scans clean (an auto-created share whose
first batch is blocked is deleted again, so no empty public share is left behind).
Snapshots (share --snapshot) are never updated.

options:
  --server URL       share server (default: enterprise.url in opencode.json, or AGENTSHARE_URL)
  --interval MS      how often to look at the OpenCode database (default 500)
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
  server: { type: "string" },
  interval: { type: "string" },
  subagents: { type: "boolean" },
  sso: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  ...Secrets.FLAGS,
} as const

export async function watch(args: string[], env: Env): Promise<number> {
  const { flags, positionals } = Args.parse(args, SPEC, "watch")
  if (flags.help) return (Ui.print(env, HELP), Exit.ok)
  if (positionals.length > 0) throw usage(`agentshare watch: unexpected argument "${positionals[0]}"`)
  const interval = Number(flags.interval ?? 500)
  const subagents = flags.subagents !== false
  const policy = Secrets.mode(env, flags, "watch")
  const resolved = Setup.modes(env, flags.server)
  Setup.enabled(resolved)
  const server = Setup.server(resolved)
  const db = Setup.database(env)
  const vault = Setup.vault(env)
  const event = (type: string, fields: Record<string, unknown>, text: string) => (flags.json ? Ui.jsonLine(env, { type, ...fields }) : Ui.print(env, text))
  const client = Client.Share.client({
    server,
    onEvent: (e) => {
      if (e.type === "sent") {
        vault.touch(e.share.id, Date.now())
        empty.delete(e.share.id)
      }
      if (e.type === "retry") Ui.note(env, `agentshare: ${e.error.message}; retrying in ${Math.round(e.delayMs / 100) / 10}s`)
      if (e.type === "rejected") Ui.note(env, `agentshare: share ${e.share.id}: ${e.error.message}`)
    },
    prepare: Secrets.prepare(policy.mode, (e) => {
      const rules = Secrets.rules(e.findings)
      if (e.type === "redacted") {
        event("redacted", { id: e.share.id, secrets: e.findings.length, rules }, `share ${e.share.id}: redacted ${e.findings.length} secret(s) before upload (${rules})`)
        Ui.note(env, Secrets.table(e.findings))
        return
      }
      event("blocked", { id: e.share.id, sessionID: e.share.sessionID, secrets: e.findings.length, rules }, `share ${e.share.id}: stopped syncing: ${e.error.message}`)
      if (e.findings.length > 0) Ui.note(env, `${Secrets.table(e.findings)}\nrun 'agentshare watch --redact' to upload it with each secret redacted`)
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
      event("discarded", { sessionID: share.sessionID, id: share.id }, `share ${share.id}: deleted, since nothing could be uploaded to it`)
    } catch (error) {
      Ui.note(env, Setup.failure(error, `could not delete the empty share ${share.id}; run 'agentshare unshare ${share.id}'`).message)
    }
  }

  const followers = new Map<string, Client.Follow.Follower>()
  const closed = new Set<string>()
  const known = new Set(Client.Session.project(db, resolved.root, env.cwd).map((s) => s.id))
  const adopt = () => {
    for (const saved of vault.shares()) {
      if (saved.server !== server || saved.snapshot || followers.has(saved.id) || closed.has(saved.id)) continue
      followers.set(saved.id, Client.Follow.follower(db, client, saved, { subagents }))
    }
  }
  // In auto mode, every new top-level session of the project is shared.
  const share = async (s: { id: string; title: string }) => {
    // Under block, a session that already holds a secret is not shared at all: creating the
    // share first would leave an empty public share behind once its first batch is refused.
    // A session with no content yet (OpenCode writes the session row before its first
    // message) has nothing to scan: it is looked at again next time.
    if (policy.mode === "block") {
      const current = Client.Session.collect(db, s.id, { subagents })
      if (!current?.items.some((i) => i.type === "part")) return
      known.add(s.id)
      const findings = current ? await scan(current.items, { root: s.id }) : []
      if (findings.length > 0) {
        blocked = true
        event("blocked", { sessionID: s.id, secrets: findings.length, rules: Secrets.rules(findings) }, `session ${s.id}: not shared: ${findings.length} secret(s) found`)
        Ui.note(env, `${Secrets.table(findings)}\nrun 'agentshare watch --redact' to share it with each secret redacted`)
        return
      }
    }
    known.add(s.id)
    try {
      const ref = await Setup.create(env, server, s.id, { access: flags.sso ? "sso" : undefined })
      empty.add(ref.id)
      vault.add({ ...ref, server, title: s.title, createdAt: Date.now() })
      event("shared", { sessionID: s.id, id: ref.id, url: ref.url, ...(ref.access ? { access: ref.access } : {}) }, `shared ${s.id} ${ref.url}${ref.access === "sso" ? " (SSO only)" : ""}`)
    } catch (error) {
      Ui.note(env, Setup.failure(error, `could not share ${s.id}`).message)
      known.delete(s.id)
    }
  }
  Ui.note(env, `watching ${resolved.root} (share mode ${resolved.mode}, from ${resolved.modeSource}); press Ctrl-C to stop`)

  await Watching.run(followers, {
    client,
    intervalMs: interval,
    async discover() {
      for (const s of Client.Session.project(db, resolved.root, env.cwd)) {
        if (known.has(s.id)) continue
        if (resolved.mode !== "auto") known.add(s.id)
        else await share(s)
      }
      adopt()
    },
    // Only this project's sessions: a share of another project's session is that watch's job.
    owns: (f) => known.has(f.share.sessionID),
    async onEnd({ follower: f, why, error }) {
      closed.add(f.share.id)
      if (why === "stopped") {
        if (Secrets.isSecrets(error)) blocked = true
        else Ui.note(env, `agentshare: stopped syncing ${f.share.id}: ${error?.message}`)
        await discard(f.share)
      } else if (why === "gone") event("gone", { sessionID: f.share.sessionID, id: f.share.id }, `session ${f.share.sessionID} was deleted locally; ${f.share.url} stays shared`)
      else Ui.note(env, `agentshare: stopped syncing ${f.share.id}: ${error?.message}`)
    },
  })
  Ui.note(env, "flushing…")
  const { unsent } = await client.dispose({ timeoutMs: 15_000 })
  db.close()
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
