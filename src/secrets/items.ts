/** scan and redact over share items: every string of every item, found in one pass. */
import { keyItem, type SyncItem } from "../schema/index.ts"
import * as Detect from "./detect.ts"
import { marker, preview, SecretsRemain, type Finding, type TextFinding } from "./finding.ts"
import type { Memo } from "./memo.ts"
import { formatPath, join, locate, positions, toPath, type Path, type Segment, type Sources } from "./text.ts"

/** A share item as either side holds it: a SyncItem, or a stored item with its key. */
export type Item = { data: unknown; key?: string; type?: string; sessionID?: string }
export type Options = {
  /** The share's root session: keys session_diff and model items that carry no sessionID. */
  root?: string
  /**
   * The share the items belong to. A scanner thread's memo (memo.ts) remembers and skips strings
   * within it only, and a string is scanned once for all its copies only among its items.
   */
  scope?: string
}

type Located = { segment: Segment; start: number; end: number; rule: string }

const FIELD_RULE = "secret-field"

/**
 * Hits of one scan, grouped by segment, merged, relative to each string. With a memo, strings it
 * knows scanned clean in their share are not scanned, and the strings of a share this scan found
 * nothing in join it.
 */
async function find(datas: unknown[], sources: Sources = {}): Promise<Map<Segment, Located[]>> {
  const { text, segments, copies } = join(datas, sources)
  const raw = await Detect.all(text)
  const bySegment = new Map<Segment, Detect.Hit[]>()
  const add = (segment: Segment, hit: Detect.Hit) => {
    const list = bySegment.get(segment)
    if (list) list.push(hit)
    else bySegment.set(segment, [hit])
  }
  for (const hit of raw) {
    // A hit that reaches past its string is split over every string it covers: fail closed.
    for (let i = locate(segments, hit.start); i < segments.length; i++) {
      const s = segments[i]
      if (!s || s.start >= hit.end) break
      const start = Math.max(hit.start, s.start) - s.start
      const end = Math.min(hit.end, s.start + s.value.length) - s.start
      if (end <= start) continue
      // A hit in a decoded string redacts the original span it came from.
      if (s.alias) add(s.alias.of, { start: s.alias.map(start), end: s.alias.map(end), rule: hit.rule })
      else add(s, { start, end, rule: hit.rule })
    }
  }
  for (const [copy, of] of copies) for (const hit of bySegment.get(of) ?? []) add(copy, { ...hit })
  for (const s of segments) if (s.field) add(s, { start: 0, end: s.value.length, rule: FIELD_RULE })
  // A string is clean when neither it nor its decoded form had a hit (those count on the string).
  const { memo, scopes } = sources
  if (memo && scopes)
    for (const s of segments) {
      const scope = scopes[s.item]
      if (scope !== undefined && !s.alias && !s.field && !bySegment.has(s)) memo.remember(scope, s.value)
    }
  const out = new Map<Segment, Located[]>()
  for (const [segment, hits] of bySegment)
    out.set(
      segment,
      Detect.merge(hits).map((h) => ({ segment, ...h })),
    )
  return out
}

/** Item keys, computed once per item however many findings it has. */
function keys(items: readonly Item[], options: Options): (index: number) => string {
  const known = new Map<number, string>()
  return (index) => {
    let key = known.get(index)
    if (key === undefined) known.set(index, (key = keyOf(items[index] as Item, index, options)))
    return key
  }
}

function keyOf(item: Item, index: number, options: Options): string {
  if (item.key) return item.key
  if (!item.type) return `#${index}`
  const keyed = keyItem(item as SyncItem, item.sessionID ?? options.root ?? "")
  return keyed.ok ? keyed.item.key : `#${index}`
}

/** Findings of one string's hits (sorted, so positions cost one pass over the string). */
function toFindings(key: string, segment: Segment, hits: Located[]): Finding[] {
  const at = positions(segment.value)
  const path = formatPath(toPath(segment.node), segment.isKey)
  return hits.map((h) => ({
    key,
    path,
    ...at(h.start),
    rule: h.rule,
    preview: preview(segment.value.slice(h.start, h.end)),
  }))
}

/**
 * One finding per distinct secret per item: an item often holds the same text twice (a shell
 * part's `state.output` and `metadata.output`), and one secret is one secret however many
 * copies of it are uploaded. The first place it occurs is the finding; the other fields that
 * hold it are listed in `also`. `hits` counts every copy, for redaction (which replaces all).
 * Each finding comes with the index of its item.
 */
function distinct(
  found: Map<Segment, Located[]>,
  key: (index: number) => string,
): { findings: { item: number; finding: Finding }[]; counts: Map<number, number> } {
  const findings: { item: number; finding: Finding }[] = []
  const counts = new Map<number, number>()
  const seen = new Map<string, Finding>()
  for (const [segment, hits] of found) {
    const listed = toFindings(key(segment.item), segment, hits)
    for (const [i, h] of hits.entries()) {
      const f = listed[i] as Finding
      // The secret's text identifies it; it never leaves this function.
      const id = `${segment.item}\u0000${h.rule === FIELD_RULE ? segment.value : segment.value.slice(h.start, h.end)}`
      const first = seen.get(id)
      if (first) {
        if (f.path !== first.path && !first.also?.includes(f.path)) (first.also ??= []).push(f.path)
        continue
      }
      seen.set(id, f)
      findings.push({ item: segment.item, finding: f })
      counts.set(segment.item, (counts.get(segment.item) ?? 0) + 1)
    }
  }
  return { findings, counts }
}

/** Items of one caller, with its options: several groups are scanned in one pass. */
export type Group<T extends Item = Item> = { items: readonly T[]; options?: Options }

/**
 * The groups' items laid end to end: one scan covers them all (a scan has a fixed cost per
 * call), and each item's index tells its group back.
 */
function flatten(groups: readonly Group[]) {
  const datas: unknown[] = []
  const scopes: (string | undefined)[] = []
  const groupOf: number[] = []
  const firsts: number[] = []
  const keyers: ((index: number) => string)[] = []
  for (const [g, group] of groups.entries()) {
    firsts.push(datas.length)
    keyers.push(keys(group.items, group.options ?? {}))
    for (const item of group.items) {
      datas.push(item.data)
      scopes.push(group.options?.scope)
      groupOf.push(g)
    }
  }
  const key = (index: number) => {
    const g = groupOf[index] as number
    return (keyers[g] as (i: number) => string)(index - (firsts[g] as number))
  }
  return { datas, scopes, groupOf, firsts, key }
}

/** Findings in items, in item order, one per distinct secret per item; never the secrets themselves. */
export async function scan(items: readonly Item[], options: Options = {}): Promise<Finding[]> {
  return (await scanMany([{ items, options }]))[0] as Finding[]
}

/**
 * scan() of several groups in one pass: the findings of each, in the groups' order. A scanner
 * thread passes its memo (memo.ts): strings it scanned clean before are not scanned again.
 */
export async function scanMany(groups: readonly Group[], memo?: Memo): Promise<Finding[][]> {
  const flat = flatten(groups)
  const out: Finding[][] = groups.map(() => [])
  for (const f of distinct(await find(flat.datas, { scopes: flat.scopes, memo }), flat.key).findings)
    (out[flat.groupOf[f.item] as number] as Finding[]).push(f.finding)
  return out
}

export type Redacted<T extends Item> = {
  items: T[]
  findings: Finding[]
  /** Distinct secrets redacted in each item, by index (every copy of each is replaced). */
  counts: number[]
}

/**
 * Items with every secret replaced by `[redacted:<rule>]`, and what was replaced. The changed
 * items are scanned again; a string still flagged is replaced whole, and if that does not
 * come out clean either, SecretsRemain is thrown: nothing may be published then.
 */
export async function redact<T extends Item>(items: readonly T[], options: Options = {}): Promise<Redacted<T>> {
  const [r] = await redactMany([{ items, options }])
  if (r instanceof SecretsRemain) throw r
  return r as Redacted<T>
}

/**
 * redact() of several groups in one pass: each group's result, or its SecretsRemain. A group
 * whose redaction does not come out clean fails alone; the others are answered.
 */
export async function redactMany<T extends Item>(
  groups: readonly Group<T>[],
  memo?: Memo,
): Promise<(Redacted<T> | SecretsRemain)[]> {
  const flat = flatten(groups)
  const datas = flat.datas
  const found = await find(datas, { scopes: flat.scopes, memo })
  const counts = datas.map(() => 0)
  const edits = new Map<number, Edit[]>()
  const unique = distinct(found, flat.key)
  for (const [index, n] of unique.counts) counts[index] = n
  for (const [segment, hits] of found) pushEdit(edits, segment, splice(segment.value, hits))
  const out = [...datas]
  for (const [index, list] of edits) out[index] = apply(datas[index], list)
  // Fail closed: the redacted items must scan clean; what is still flagged is replaced whole,
  // and what is flagged after that fails its group.
  const remain = new Map<number, string[]>()
  let changed = [...edits.keys()]
  for (let round = 0; round < 2 && changed.length > 0; round++) {
    const again = await find(
      changed.map((i) => out[i]),
      { scopes: changed.map((i) => flat.scopes[i]), memo },
    )
    const wholesale = new Map<number, Edit[]>()
    for (const [segment, hits] of again) {
      const index = changed[segment.item] ?? -1
      if (round === 1) remain.set(index, [...(remain.get(index) ?? []), ...hits.map((h) => h.rule)])
      else pushEdit(wholesale, { ...segment, item: index }, marker(hits[0]?.rule ?? "unknown"))
    }
    for (const [index, list] of wholesale) out[index] = apply(out[index], list)
    changed = [...wholesale.keys()]
  }
  return groups.map((group, g) => {
    const first = flat.firsts[g] as number
    const findings = unique.findings.filter((f) => flat.groupOf[f.item] === g).map((f) => f.finding)
    const rules = group.items.flatMap((_, i) => remain.get(first + i) ?? [])
    if (rules.length > 0) return new SecretsRemain(rules, findings)
    return {
      items: group.items.map((it, i) => (edits.has(first + i) ? { ...it, data: out[first + i] } : it)),
      findings,
      counts: counts.slice(first, first + group.items.length),
    }
  })
}

/** Findings in one plain string (a file, a command line, a message). */
export async function scanText(text: string): Promise<TextFinding[]> {
  const found = await find([text])
  const at = positions(text)
  return [...found.values()].flat().map((h) => ({
    ...at(h.start),
    rule: h.rule,
    preview: preview(text.slice(h.start, h.end)),
    start: h.start,
    end: h.end,
  }))
}

/** One plain string redacted, with the same fail-closed rescan as redact(). */
export async function redactText(text: string): Promise<{ text: string; findings: TextFinding[] }> {
  const findings = await scanText(text)
  const r = await redact([{ data: text }])
  return { text: r.items[0]?.data as string, findings }
}

type Edit = { path: Path; isKey: boolean; value: string }

function pushEdit(edits: Map<number, Edit[]>, segment: Segment, value: string) {
  const list = edits.get(segment.item) ?? []
  list.push({ path: toPath(segment.node), isKey: segment.isKey, value })
  edits.set(segment.item, list)
}

function splice(value: string, hits: Located[]): string {
  let out = ""
  let at = 0
  for (const h of hits) {
    out += value.slice(at, h.start) + marker(h.rule)
    at = h.end
  }
  return out + value.slice(at)
}

/** A copy of `data` with the edits applied: values first, then renamed keys, deepest first. */
function apply(data: unknown, edits: Edit[]): unknown {
  const values = edits.filter((e) => !e.isKey)
  const root = values.find((e) => e.path.length === 0)
  if (root) return root.value
  const copy: unknown = structuredClone(data)
  for (const e of values) set(copy, e.path, e.value)
  const keys = edits.filter((e) => e.isKey).sort((a, b) => b.path.length - a.path.length)
  let result = copy
  for (const e of keys) result = rename(result, e.path, e.value)
  return result
}

function set(root: unknown, path: Path, value: unknown) {
  let cur = root as Record<string | number, unknown>
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string | number, unknown>
  const last = path.at(-1)
  if (last !== undefined) cur[last] = value
}

function rename(root: unknown, path: Path, name: string): unknown {
  const parentPath = path.slice(0, -1)
  const old = path.at(-1) as string
  const parent = parentPath.reduce<unknown>((cur, p) => (cur as Record<string | number, unknown>)[p], root) as Record<
    string,
    unknown
  >
  let fresh = name
  for (let n = 2; fresh in parent && fresh !== old; n++) fresh = `${name}#${n}`
  const renamed = Object.fromEntries(Object.entries(parent).map(([k, v]) => [k === old ? fresh : k, v]))
  if (parentPath.length === 0) return renamed
  set(root, parentPath, renamed)
  return root
}
