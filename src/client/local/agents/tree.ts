/**
 * A session file and its sub-agent files, read whole (`read`) or followed while the agent
 * appends to them (`follower`). Both run the same reducers over the same records in the same
 * order, so what a follower has sent after its last poll equals what a full read returns.
 */
import { statSync } from "node:fs"
import type { SyncItem } from "../../../schema/index.ts"
import { keyItem } from "../../../schema/index.ts"
import type { Builder } from "./builder.ts"
import type { Child, Driver, Reducer } from "./driver.ts"
import * as Lines from "./lines.ts"

/** Sub-agents nest at most this deep, and a session tree holds at most this many files. */
const MAX_DEPTH = 4
const MAX_FILES = 500

export type Stats = {
  /** Complete lines read. */
  lines: number
  /** Lines that are not JSON objects, skipped. */
  malformed: number
  /** Lines longer than the line limit, skipped. */
  oversized: number
  /** Bytes after the last complete line of each file (a record being written, or truncated). */
  pending: number
  /** Records that are not conversation and are never shared. */
  hidden: number
  /** Records of unknown types, kept as raw parts. */
  raw: number
}

/** A session read from its file, as listed to a user. */
export type Info = {
  id: string
  path: string
  parentID?: string
  title?: string
  directory?: string
  created?: number
  updated?: number
  messages: number
}

type Node = {
  path: string
  child?: Child
  depth: number
  reducer: Reducer
  lines: Lines.Reader
  malformed: number
  ino?: number
}

export type Follower = {
  /** Reads what was appended since the last poll; returns the items that changed. */
  poll(): SyncItem[]
  /** Every item as it stands after the last poll. */
  items(): SyncItem[]
  /** Root session first, then sub-agent sessions. */
  sessions(): Info[]
  stats(): Stats
}

export function follower(driver: Driver, path: string, options: { subagents?: boolean } = {}): Follower {
  const subagents = options.subagents ?? true
  const nodes = new Map<string, Node>()
  const linked = new Set<string>()
  const open = (p: string, depth: number, child?: Child): Node => ({
    path: p,
    child,
    depth,
    reducer: driver.open(p, child),
    lines: Lines.reader(p),
    malformed: 0,
  })
  nodes.set(path, open(path, 0))

  const readNode = (n: Node): SyncItem[] => {
    let size: number
    let ino: number
    try {
      ;({ size, ino } = statSync(n.path))
    } catch {
      return []
    }
    // Another file now (renamed over it) or smaller than what was read: the agent rewrote it.
    // Read it again from the start and remove what is no longer there.
    let before: Set<string> | undefined
    const rewritten = (n.ino !== undefined && ino !== n.ino) || size < n.lines.offset
    n.ino = ino
    if (rewritten) {
      // Links go to the new reducer again.
      linked.clear()
      before = keys(n.reducer.builder()?.items() ?? [], n.reducer.builder()?.id ?? "")
      n.reducer = driver.open(n.path, n.child)
      n.lines = Lines.reader(n.path)
      n.malformed = 0
    }
    try {
      n.lines.read((text) => {
        let record: unknown
        try {
          record = JSON.parse(text)
        } catch {
          n.malformed += 1
          return
        }
        if (typeof record !== "object" || record === null || Array.isArray(record)) {
          n.malformed += 1
          return
        }
        n.reducer.feed(record as Record<string, unknown>)
      })
    } catch {
      // Unreadable now (removed, permissions): try again at the next poll.
    }
    const b = n.reducer.builder()
    if (!before) return b?.drain() ?? []
    const now = b?.items() ?? []
    b?.drain()
    const after = keys(now, b?.id ?? "")
    return [
      ...now,
      ...[...before].filter((k) => !after.has(k)).map((key): SyncItem => ({ type: "remove", data: { key } })),
    ]
  }

  const discover = () => {
    for (const n of [...nodes.values()]) {
      if (n.depth >= MAX_DEPTH) continue
      for (const c of driver.children(n.path, n.reducer)) {
        if (nodes.has(c.path) || nodes.size >= MAX_FILES) continue
        nodes.set(c.path, open(c.path, n.depth + 1, { ...c, parentID: c.parentID ?? n.reducer.builder()?.id }))
      }
    }
  }

  /** Shares every call -> child link with the session that made the call. */
  const link = () => {
    const all: [string, string][] = []
    for (const n of nodes.values()) {
      all.push(...n.reducer.links())
      const sid = n.reducer.builder()?.id
      if (n.child?.callID && sid) all.push([n.child.callID, sid])
    }
    for (const [call, sid] of all) {
      if (linked.has(`${call}\u0000${sid}`)) continue
      const owner = [...nodes.values()].find((n) => n.reducer.owns(call))
      if (!owner) continue
      linked.add(`${call}\u0000${sid}`)
      owner.reducer.link(call, sid)
      const child = [...nodes.values()].find((n) => n.reducer.builder()?.id === sid)
      const parent = owner.reducer.builder()?.id
      if (child && parent && child !== owner) child.reducer.builder()?.session({ parentID: parent })
    }
  }

  const items = () => [...nodes.values()].flatMap((n) => n.reducer.builder()?.items() ?? [])

  return {
    poll() {
      const out: SyncItem[] = []
      // New files can appear while others are read: read until no new sub-agent file shows up.
      for (let round = 0; round < MAX_DEPTH + 1; round++) {
        for (const n of nodes.values()) out.push(...readNode(n))
        const count = nodes.size
        if (subagents) discover()
        if (nodes.size === count) break
      }
      link()
      for (const n of nodes.values()) out.push(...(n.reducer.builder()?.drain() ?? []))
      return out
    },
    items,
    sessions: () =>
      [...nodes.values()].flatMap((n) => {
        const b = n.reducer.builder()
        return b ? [info(b, n.path)] : []
      }),
    stats() {
      const s: Stats = { lines: 0, malformed: 0, oversized: 0, pending: 0, hidden: 0, raw: 0 }
      for (const n of nodes.values()) {
        s.lines += n.lines.counts.lines
        s.oversized += n.lines.counts.oversized
        s.pending += n.lines.pending
        s.malformed += n.malformed
        s.hidden += n.reducer.counts.hidden
        s.raw += n.reducer.counts.raw
      }
      return s
    },
  }
}

/** The whole session tree at once. */
export function read(driver: Driver, path: string, options: { subagents?: boolean } = {}) {
  const f = follower(driver, path, options)
  f.poll()
  return { items: f.items(), sessions: f.sessions(), stats: f.stats() }
}

function info(b: Builder, path: string): Info {
  const i = b.info
  const time = (i.time ?? {}) as { created?: number; updated?: number }
  return {
    id: b.id,
    path,
    parentID: typeof i.parentID === "string" ? i.parentID : undefined,
    title: typeof i.title === "string" ? i.title : undefined,
    directory: typeof i.directory === "string" ? i.directory : undefined,
    created: time.created,
    updated: time.updated,
    messages: b.messages().length,
  }
}

function keys(items: SyncItem[], root: string): Set<string> {
  const out = new Set<string>()
  for (const item of items) {
    const k = keyItem(item, root)
    if (k.ok) out.add(k.item.key)
  }
  return out
}
