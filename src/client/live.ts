/**
 * Which shares are being synced right now, and by which process: one lock file per share in
 * `<state>/live/`, holding the syncing process's pid and a heartbeat it refreshes while it runs.
 * It keeps a session to one follower (a hook's, a `watch`'s or a `share --watch`'s), lets
 * `status` say "live" only while something syncs, and carries the session-end request from an
 * agent's SessionEnd hook to its follower (an `.end` file beside the lock).
 *
 * A lock whose process is gone, or whose heartbeat is older than STALE_MS, is free: a follower
 * killed with SIGKILL never blocks the next one for long.
 */
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { z } from "zod"

/** A heartbeat older than this means the process holding the lock stopped syncing. */
export const STALE_MS = 30_000
/** How often a holder refreshes its heartbeat. */
export const BEAT_MS = 5_000

export const Entry = z.object({
  pid: z.number().int(),
  /** When the holder last said it is alive (epoch ms). */
  beat: z.number(),
  since: z.number(),
  /** What syncs: "watch", "share --watch", "hook follow". */
  what: z.string().max(64),
  /** The session file followed, for an agent's session. */
  path: z.string().max(4096).optional(),
})
export type Entry = z.infer<typeof Entry>

export type Handle = {
  readonly key: string
  /** Refreshes the heartbeat (at most every BEAT_MS; `force` now). */
  beat(force?: boolean): void
  /** Whether an end was asked for (the agent's session ended). */
  ending(): boolean
  release(): void
}

const safe = (key: string) => key.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 200)

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

function load(file: string): Entry | undefined {
  try {
    const parsed = Entry.safeParse(JSON.parse(readFileSync(file, "utf8")))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/** The process syncing `key` now, if one is (a stale or dead holder is none). */
export function read(dir: string, key: string, now = Date.now()): Entry | undefined {
  const e = load(join(dir, `${safe(key)}.json`))
  if (!e || now - e.beat > STALE_MS || !alive(e.pid)) return undefined
  return e
}

/**
 * Takes the lock for `key`, or answers who holds it. Creation is exclusive (a hard link, which fails when the
 * file exists), so of two processes starting at once exactly one wins; a stale lock is removed and taken once.
 */
export function claim(dir: string, key: string, info: { what: string; path?: string }): Handle | { held: Entry } {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const file = join(dir, `${safe(key)}.json`)
  const end = join(dir, `${safe(key)}.end`)
  const since = Date.now()
  const entry = (): Entry => ({
    pid: process.pid,
    beat: Date.now(),
    since,
    what: info.what,
    ...(info.path ? { path: info.path } : {}),
  })
  for (let attempt = 0; attempt < 2; attempt++) {
    // The lock file appears whole or not at all: written aside, then linked into place, which
    // fails if it exists. A reader never sees a half-written lock and takes it for a stale one.
    const tmp = `${file}.${process.pid}.new`
    writeFileSync(tmp, JSON.stringify(entry()), { mode: 0o600 })
    try {
      linkSync(tmp, file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
      const held = read(dir, key)
      if (held) return { held }
      // Stale: whoever wrote it is gone. Only one taker can rename it away.
      const aside = `${file}.${process.pid}.stale`
      try {
        renameSync(file, aside)
        rmSync(aside, { force: true })
      } catch {}
      continue
    } finally {
      rmSync(tmp, { force: true })
    }
    // An end asked of an earlier follower is not this one's.
    rmSync(end, { force: true })
    let last = Date.now()
    return {
      key,
      beat(force = false) {
        if (!force && Date.now() - last < BEAT_MS) return
        last = Date.now()
        const tmp = `${file}.${process.pid}.tmp`
        writeFileSync(tmp, JSON.stringify(entry()), { mode: 0o600 })
        renameSync(tmp, file)
      },
      ending: () => exists(end),
      release() {
        if (load(file)?.pid === process.pid) rmSync(file, { force: true })
        rmSync(end, { force: true })
      },
    }
  }
  const held = read(dir, key)
  return held ? { held } : { held: { pid: 0, beat: 0, since: 0, what: "unknown" } }
}

/** Asks the follower of `key` to finish (it syncs what is left, then exits); false when none runs. */
export function end(dir: string, key: string): boolean {
  if (!read(dir, key)) return false
  writeFileSync(join(dir, `${safe(key)}.end`), String(Date.now()), { mode: 0o600 })
  return true
}

function exists(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}
