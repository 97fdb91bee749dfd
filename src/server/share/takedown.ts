/**
 * Owner takedown: replace what slipped through ingest redaction, everywhere the share stores
 * it, and tell open viewers. A taken-down item is stored with the highest rank there is, so a
 * client that syncs the old value again is ignored as stale: the secret cannot come back.
 */
import { FINAL_RANK, isRecord, keyItem, type TakedownRequest, type TakedownResponse } from "../../schema/index.ts"
import * as Secrets from "../../secrets/index.ts"
import type { IngestItem, ItemRow, ShareRecord } from "../../store/index.ts"
import type { Deps } from "../context.ts"
import { badRequest, notFound, scanTimeout } from "../errors.ts"
import * as Share from "./index.ts"

export const OWNER_MARKER = Secrets.marker("owner")
/** What stays readable in `{key}` mode so the viewer can still place and label the item. */
const KEEP = new Set([
  "id",
  "sessionID",
  "messageID",
  "parentID",
  "type",
  "tool",
  "callID",
  "role",
  "state.status",
  "providerID",
  "modelID",
])

type Path = (string | number)[]

/** Takes content of `share` down: only its own items, never those of a twin it shows. */
export async function apply(deps: Deps, share: ShareRecord, body: TakedownRequest): Promise<TakedownResponse> {
  const all = await deps.store.shares.items(share)
  const targets = body.key === undefined ? all : all.filter((i) => i.key === body.key)
  if (targets.length === 0) throw notFound("item")
  let replaced = 0
  const changed: ItemRow[] = []
  for (const item of targets) {
    const counter = { n: 0 }
    let data: unknown
    if (body.literal !== undefined) data = replaceLiteral(item.data, body.literal, counter)
    else if (body.path !== undefined) data = replaceAt(item.data, parsePath(body.path), counter)
    else
      data = map(item.data, [], (value, path) => {
        if (KEEP.has(path.filter((p) => typeof p === "string").join("."))) return value
        counter.n++
        return OWNER_MARKER
      })
    if (counter.n === 0) continue
    replaced += counter.n
    changed.push({ ...item, data })
  }
  if (changed.length === 0) throw notFound(body.literal !== undefined ? "that text" : "a string at that path")
  // The rules run again too: what they learned since ingest applies to what the owner touched.
  const redacted = await deps.scanner
    .redact(changed.map((i) => ({ key: i.key, data: i.data })))
    .catch((error: unknown) => {
      if (error instanceof Secrets.ScanTimeout)
        throw scanTimeout("this takedown", error.budgetMs, "take down one item at a time (key)")
      // What the owner left would still publish a secret: take down the whole item instead.
      if (error instanceof Secrets.SecretsRemain)
        throw badRequest(
          "secret_detected",
          `secrets matching ${error.rules.join(", ")} would remain after this takedown; take down the whole item (key)`,
        )
      throw error
    })
  const rows: IngestItem[] = redacted.items.map((r, index) => {
    const item = changed[index] as ItemRow
    const keyed = keyItem({ type: item.type, data: r.data, sessionID: item.sessionID }, share.sessionID)
    if (!keyed.ok || keyed.item.key !== item.key)
      throw badRequest("invalid_item", "the takedown would change the item's ids; redact a narrower path")
    const { data: _data, ...row } = keyed.item
    const json = JSON.stringify(r.data)
    return { ...row, rank: FINAL_RANK, json, redactions: json.split("[redacted:").length - 1 }
  })
  // ITEM_LIMIT and SHARE_LIMIT hold for a takedown too: markers longer than what they replace
  // must not let repeated takedowns grow a share past its limits.
  const outcome = await Share.rewrite(deps, share, rows)
  // The secret's old value is overwritten in the file; the write-ahead log must not keep it.
  await deps.store.scrub()
  deps.log.info({ shareID: share.id, items: rows.length, replaced }, "owner takedown")
  return { ok: true, seq: outcome.seq, items: rows.length, replaced }
}

/** `state.metadata.files[2].content` → ["state", "metadata", "files", 2, "content"]. */
export function parsePath(path: string): Path {
  const out: Path = []
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string))
  return out
}

function map(value: unknown, path: Path, fn: (s: string, path: Path) => string): unknown {
  if (typeof value === "string") return fn(value, path)
  if (Array.isArray(value)) return value.map((v, i) => map(v, [...path, i], fn))
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, map(v, [...path, k], fn)]))
  return value
}

function replaceLiteral(value: unknown, literal: string, counter: { n: number }): unknown {
  const swap = (s: string) => {
    if (!s.includes(literal)) return s
    const parts = s.split(literal)
    counter.n += parts.length - 1
    return parts.join(OWNER_MARKER)
  }
  if (typeof value === "string") return swap(value)
  if (Array.isArray(value)) return value.map((v) => replaceLiteral(v, literal, counter))
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [swap(k), replaceLiteral(v, literal, counter)]))
  return value
}

function replaceAt(value: unknown, path: Path, counter: { n: number }): unknown {
  if (path.length === 0) {
    if (typeof value !== "string") return value
    counter.n += 1
    return OWNER_MARKER
  }
  const [head, ...rest] = path
  if (Array.isArray(value) && typeof head === "number" && head < value.length)
    return value.map((v, i) => (i === head ? replaceAt(v, rest, counter) : v))
  if (isRecord(value) && typeof head === "string" && head in value)
    return { ...value, [head]: replaceAt(value[head], rest, counter) }
  return value
}
