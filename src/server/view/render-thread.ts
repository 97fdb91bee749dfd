/**
 * The render thread: it holds the parsed transcripts of recently viewed shares and renders
 * every share page, fragment, Markdown and embed (render-ops.ts), so neither reading and
 * parsing a long share nor rendering it runs on the thread that answers requests and ingests
 * syncs. It reads through a store of its own (Store.reader: a read-only SQLite connection, or
 * a small PostgreSQL pool).
 *
 * A transcript is kept per share version. A view after a sync reads only the items that sync
 * changed (`since: seq`) and applies them (viewer/update.ts). Removals are not visible to
 * `since`; a changed item count or byte total after a merge means one happened, and the share
 * is read again in full, as it is when the increment cannot be applied.
 */
import { parentPort, workerData } from "node:worker_threads"
import * as Store from "../../store/index.ts"
import type { ItemRow, ShareRecord } from "../../store/index.ts"
import * as Update from "../../viewer/update.ts"
import * as Ops from "./render-ops.ts"

/**
 * The cache is bounded by the stored bytes of its shares (parsed, they take a few times more),
 * so that hundreds of small shares watched live all stay in it: a share pushed out is read again
 * in full at its next sync, which costs its whole size instead of one sync's items.
 */
const MAX_BYTES = 48 * 1024 * 1024
const MAX_SHARES = 4096

export type Ask = {
  kind: "ask"
  id: number
  op: Ops.Op
  source: ShareRecord
  input: unknown
  /** The main thread's count of evictions when the request began: a load that overlapped one does not keep what it read. */
  generation: number
  /** The version of this share's turn list the main thread holds (-1: none): it is sent only when it differs. */
  known: number
}
export type Evict = { kind: "evict"; shareID: string }
/** Which shares the thread holds (tests and diagnostics): answered `{ id, held }`. */
export type Held = { kind: "held"; id: number }
export type Answer =
  | {
      id: number
      ok: true
      output: unknown
      /** This version of the transcript (numbered in this thread) and its seq. */
      version: number
      seq: number
      /** The root turns' ids and seqs, for `turns` when `known` is another version. */
      turns?: { ids: string[]; seqs: number[] }
      /** Whether the thread keeps this version; shares it pushed out of its cache. */
      kept: boolean
      dropped: string[]
    }
  | { id: number; ok: false; error: { name: string; message: string } }

type Entry = { rootID: string; seq: number; bytes: number; version: number; parsed: Update.Parsed<ItemRow> }

const port = parentPort
if (!port) throw new Error("render-thread.ts runs in a worker thread")
const data = workerData as { databaseUrl: string; evictions: number; versions: number }
const store = Store.reader(data.databaseUrl)
// A store that cannot open fails each request that needs it, not the thread.
store.catch(() => undefined)
const entries = new Map<string, Entry>()
const busy = new Map<string, Promise<unknown>>()
let evictions = data.evictions
let versions = data.versions

async function read(source: ShareRecord, hit: Entry | undefined): Promise<Entry> {
  const shares = (await store).shares
  if (hit && hit.seq < source.seq && hit.rootID === source.sessionID) {
    const rows = await shares.items(source, { since: hit.seq })
    let bytes = hit.bytes
    let count = hit.parsed.items.size
    for (const row of rows) {
      const old = hit.parsed.items.get(row.key)
      if (old) bytes -= old.size
      else count += 1
      bytes += row.size
    }
    const parsed = count === source.itemCount && bytes === source.bytes ? Update.apply(hit.parsed, rows) : undefined
    if (parsed) return { ...hit, seq: source.seq, bytes, parsed, version: ++versions }
  }
  const rows = await shares.items(source)
  return {
    rootID: source.sessionID,
    seq: source.seq,
    bytes: rows.reduce((s, r) => s + r.size, 0),
    parsed: Update.parse(rows, source.sessionID),
    version: ++versions,
  }
}

/** The share's transcript at `source`'s version or later; one read at a time per share. */
async function fresh(
  source: ShareRecord,
  generation: number,
): Promise<{ entry: Entry; kept: boolean; dropped: string[] }> {
  const key = source.id
  for (let wait = busy.get(key); wait; wait = busy.get(key)) await wait.catch(() => undefined)
  const hit = entries.get(key)
  if (hit && hit.seq >= source.seq && hit.rootID === source.sessionID) {
    // Refresh its place in the LRU order.
    entries.delete(key)
    entries.set(key, hit)
    return { entry: hit, kept: true, dropped: [] }
  }
  const running = read(source, hit)
  busy.set(key, running)
  try {
    const entry = await running
    // `apply` took over the last version's items: that version cannot be kept on its own.
    entries.delete(key)
    if (evictions !== generation) return { entry, kept: false, dropped: [key] }
    entries.set(key, entry)
    return { entry, kept: true, dropped: bound() }
  } catch (error) {
    entries.delete(key)
    throw error
  } finally {
    busy.delete(key)
  }
}

function bound(): string[] {
  const dropped: string[] = []
  let total = 0
  for (const e of entries.values()) total += e.bytes
  for (const [key, e] of entries) {
    if (entries.size <= 1 || (total <= MAX_BYTES && entries.size <= MAX_SHARES)) break
    entries.delete(key)
    dropped.push(key)
    total -= e.bytes
  }
  return dropped
}

async function answer(ask: Ask): Promise<Answer> {
  const { entry, kept, dropped } = await fresh(ask.source, ask.generation)
  const t = entry.parsed.transcript
  const output = Ops.run(t, ask.op, ask.input as never)
  const turns =
    ask.op === "turns" && ask.known !== entry.version
      ? { ids: t.root.turns.map((x) => x.id), seqs: t.root.turns.map((x) => x.seq) }
      : undefined
  return { id: ask.id, ok: true, output, version: entry.version, seq: t.seq, turns, kept, dropped }
}

port.on("message", (m: Ask | Evict | Held | "close") => {
  if (m === "close") {
    void store
      .then((s) => s.close())
      .catch(() => undefined)
      .then(() => port.postMessage("closed"))
    return
  }
  if (m.kind === "evict") {
    // Forgets everything parsed of the share: no removed text stays in memory.
    evictions += 1
    entries.delete(m.shareID)
    return
  }
  if (m.kind === "held") {
    port.postMessage({ id: m.id, held: [...entries.keys(), ...busy.keys()] })
    return
  }
  answer(m).then(
    (a) => port.postMessage(a),
    (e: unknown) => {
      const err = e as Error
      port.postMessage({
        id: m.id,
        ok: false,
        error: { name: err.name ?? "Error", message: err.message ?? String(e) },
      } satisfies Answer)
    },
  )
})
