/**
 * What the CLI must not lose: each share's secret and the owner token per server, in
 * `$XDG_DATA_HOME/agentshare/state.json` (mode 0600, directory 0700). It is never touched when
 * an OpenCode session is deleted, so a share stays revocable.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { z } from "zod"

export const Saved = z.object({
  id: z.string(),
  url: z.string(),
  secret: z.string(),
  sessionID: z.string(),
  server: z.string(),
  title: z.string().default(""),
  createdAt: z.number(),
  lastSync: z.number().nullable().default(null),
  /** A fixed copy: watch never updates it. */
  snapshot: z.boolean().default(false),
  /** Adopted from OpenCode's `session_share` table by `claim`. */
  claimed: z.boolean().default(false),
  /** Made by OpenCode's own `/share` (found in its `session_share` table) and reused here. */
  stock: z.boolean().default(false),
  /** The agent that wrote the session, when not OpenCode ("claude-code", "codex", "gemini-cli"). */
  agent: z.string().optional(),
  /** That agent's session file, followed by `watch` and the hooks. */
  path: z.string().optional(),
  /** The session's working directory: `watch` keeps this project's shares live. */
  directory: z.string().optional(),
})
export type Saved = z.infer<typeof Saved>

const State = z.object({
  version: z.literal(1),
  owners: z.record(z.string(), z.object({ ownerID: z.string(), token: z.string() })).default({}),
  shares: z.array(Saved).default([]),
  /** Project roots whose first share was confirmed. */
  confirmed: z.array(z.string()).default([]),
})
type State = z.infer<typeof State>

export type Vault = ReturnType<typeof open>

export function open(dir: string) {
  const file = join(dir, "state.json")
  const load = (): State => {
    if (!existsSync(file)) return { version: 1, owners: {}, shares: [], confirmed: [] }
    const parsed = State.safeParse(JSON.parse(readFileSync(file, "utf8")))
    if (!parsed.success) throw new Error(`${file} is not an agentshare state file: ${parsed.error.issues[0]?.message}`)
    return parsed.data
  }
  // Read-modify-write right away, so two CLI processes lose at most a race, not a whole file.
  const update = <T>(change: (state: State) => T): T => {
    const state = load()
    const result = change(state)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 })
    chmodSync(tmp, 0o600)
    renameSync(tmp, file)
    return result
  }
  return {
    file,
    owner: (server: string) => load().owners[server],
    setOwner: (server: string, owner: { ownerID: string; token: string }) =>
      update((s) => void (s.owners[server] = owner)),
    shares: () => load().shares,
    add: (share: z.input<typeof Saved>) => update((s) => void s.shares.push(Saved.parse(share))),
    touch: (id: string, at: number) =>
      update((s) => {
        const found = s.shares.find((x) => x.id === id)
        if (found) found.lastSync = at
      }),
    /** Changes fields of a saved share (agent, path, directory learned later). */
    patch: (id: string, fields: Partial<Pick<Saved, "agent" | "path" | "directory" | "title">>) =>
      update((s) => {
        const found = s.shares.find((x) => x.id === id)
        if (found) Object.assign(found, fields)
      }),
    forget: (id: string) => update((s) => void (s.shares = s.shares.filter((x) => x.id !== id))),
    /** The share of `sessionID` on `server` this machine would keep syncing (not a snapshot), newest first. */
    of: (server: string, sessionID: string) =>
      load()
        .shares.filter((x) => x.server === server && x.sessionID === sessionID && !x.snapshot)
        .sort((a, b) => b.createdAt - a.createdAt),
    confirmed: (root: string) => load().confirmed.includes(root),
    confirm: (root: string) => update((s) => void (s.confirmed.includes(root) || s.confirmed.push(root))),
  }
}
