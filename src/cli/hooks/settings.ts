/**
 * Writing agentshare's hooks into an agent's settings file and taking them out again, leaving
 * the user's own settings as they were. Edits go through jsonc-parser, so comments, order and
 * indentation of everything else stay. Install records, in agentshare's state directory, what
 * it did: the hash of the file it wrote, and for each edit the few characters it replaced. When
 * the file is still exactly what install wrote, uninstall puts those characters back and the
 * file is byte for byte what it was (or is deleted, if install created it). When the user
 * changed it since, uninstall removes only agentshare's entries and the keys install added.
 */
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { applyEdits, type FormattingOptions, modify, parse as parseTree } from "jsonc-parser"
import { z } from "zod"
import * as Client from "../../client/index.ts"
import type { Target } from "./targets.ts"

/** One edit install made, as the way back: at `offset`, `length` characters become `content`. */
const Undo = z.object({ offset: z.number().int(), length: z.number().int(), content: z.string() })

export const Installed = z.object({
  file: z.string(),
  agent: z.string(),
  /** The exact commands install wrote (how its entries are recognised later). */
  commands: z.array(z.string()),
  /** sha256 of the file as install left it. */
  written: z.string(),
  /** Edits that turn what install wrote back into the original, applied in order. */
  undo: z.array(Undo),
  /** Install created the file, and these directories (deepest first). */
  created: z.boolean(),
  dirs: z.array(z.string()).default([]),
  /** Keys install added (JSON paths), with the value it put there for a switch (absent for hook lists). */
  added: z.array(z.object({ path: z.array(z.string()), value: z.unknown().optional() })).default([]),
  /** Switches install turned on, with their earlier value. */
  switched: z.array(z.object({ path: z.array(z.string()), before: z.unknown() })).default([]),
  at: z.number(),
})
export type Installed = z.infer<typeof Installed>

const Manifest = z.object({ version: z.literal(1), installs: z.array(Installed).default([]) })

export class SettingsError extends Error {
  constructor(file: string, detail: string) {
    super(`${file}: ${detail}`)
    this.name = "SettingsError"
  }
}

const sha = (text: string) => createHash("sha256").update(text).digest("hex")

/** The record of what install wrote, kept beside the share secrets. */
export function manifest(stateDir: string) {
  const file = join(stateDir, "hooks.json")
  const load = () => {
    if (!existsSync(file)) return { version: 1 as const, installs: [] }
    const parsed = Manifest.safeParse(JSON.parse(readFileSync(file, "utf8")))
    if (!parsed.success) throw new SettingsError(file, "is not agentshare's hooks record")
    return parsed.data
  }
  const save = (m: z.infer<typeof Manifest>) => {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, `${JSON.stringify(m, null, 2)}\n`, { mode: 0o600 })
    renameSync(tmp, file)
  }
  return {
    find: (path: string) => load().installs.find((i) => i.file === path),
    put(record: Installed) {
      const m = load()
      m.installs = [...m.installs.filter((i) => i.file !== record.file), record]
      save(m)
    },
    drop(path: string) {
      const m = load()
      m.installs = m.installs.filter((i) => i.file !== path)
      save(m)
    },
  }
}

/** The file's own indentation and line ends, so what is added looks like the rest. */
function formatting(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? "  "
  return {
    insertSpaces: !indent.includes("\t"),
    tabSize: indent.includes("\t") ? 1 : indent.length,
    eol: text.includes("\r\n") ? "\r\n" : "\n",
  }
}

function read(file: string): { text: string; value: Record<string, unknown> } | undefined {
  if (!existsSync(file)) return undefined
  const text = readFileSync(file, "utf8")
  if (!text.trim()) return { text, value: {} }
  let value: unknown
  try {
    value = Client.Jsonc.parse(text)
  } catch (error) {
    throw new SettingsError(file, `is not valid JSON (${(error as Error).message}); fix it first`)
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new SettingsError(file, "does not hold a JSON object")
  return { text, value: value as Record<string, unknown> }
}

const at = (v: unknown, path: string[]): unknown =>
  path.reduce<unknown>(
    (cur, k) =>
      typeof cur === "object" && cur !== null && !Array.isArray(cur) ? (cur as Record<string, unknown>)[k] : undefined,
    v,
  )

/** One jsonc edit, applied, with the way back recorded: the changed span found by its common start and end. */
function step(
  text: string,
  path: (string | number)[],
  value: unknown,
  options: { fmt: FormattingOptions; insert?: boolean },
  undo: z.infer<typeof Undo>[],
): string {
  const next = applyEdits(
    text,
    modify(text, path, value, { formattingOptions: options.fmt, isArrayInsertion: options.insert }),
  )
  let start = 0
  while (start < text.length && start < next.length && text[start] === next[start]) start++
  let end = 0
  while (
    end < text.length - start &&
    end < next.length - start &&
    text[text.length - 1 - end] === next[next.length - 1 - end]
  )
    end++
  undo.unshift({ offset: start, length: next.length - start - end, content: text.slice(start, text.length - end) })
  return next
}

/** Writes the hooks of `target` (each event's entry runs `commands[verb]`); answers what it did. */
export function install(target: Target, commands: Record<string, string>): Installed {
  const existing = read(target.file)
  const dirs: string[] = []
  for (let d = dirname(target.file); !existsSync(d); d = dirname(d)) dirs.push(d)
  let text = existing?.text ?? ""
  const value = existing?.value ?? {}
  const fmt = formatting(text)
  const undo: z.infer<typeof Undo>[] = []
  const added: Installed["added"] = []
  const switched: { path: string[]; before: unknown }[] = []
  const blank = existing !== undefined && !existing.text.trim()
  if (!text.trim()) text = "{}"
  const hooks = at(value, ["hooks"])
  if (hooks !== undefined && (typeof hooks !== "object" || hooks === null || Array.isArray(hooks)))
    throw new SettingsError(target.file, '"hooks" is not an object; fix it first')
  if (hooks === undefined) added.push({ path: ["hooks"] })
  for (const e of target.events) {
    const list = at(value, ["hooks", e.event])
    if (list !== undefined && !Array.isArray(list))
      throw new SettingsError(target.file, `"hooks.${e.event}" is not a list; fix it first`)
    const entry = { matcher: "*", hooks: [{ type: "command", command: commands[e.verb], timeout: e.timeout }] }
    if (list === undefined) {
      added.push({ path: ["hooks", e.event] })
      text = step(text, ["hooks", e.event], [entry], { fmt }, undo)
    } else text = step(text, ["hooks", e.event, list.length], entry, { fmt, insert: true }, undo)
  }
  for (const path of target.enable) {
    const before = at(value, path)
    if (before === true) continue
    if (before === undefined) {
      // The shortest path that did not exist is what install added.
      let i = 1
      while (i < path.length && at(value, path.slice(0, i)) !== undefined) i++
      const put = path.slice(i).reduceRight<unknown>((v, k) => ({ [k]: v }), true)
      added.push({ path: path.slice(0, i), value: put })
    } else switched.push({ path, before })
    text = step(text, path, true, { fmt }, undo)
  }
  // A blank file became "{}" first: the last way back is to blank again.
  if (blank) undo.push({ offset: 0, length: 2, content: existing.text })
  if (!existing) {
    // The file did not exist: the way back is deleting it, not an empty object.
    undo.length = 0
    for (const d of [...dirs].reverse()) mkdirSync(d, { mode: 0o755 })
  }
  if (!text.endsWith("\n") && !existing) text += "\n"
  writeFileSync(target.file, text)
  return {
    file: target.file,
    agent: target.agent,
    commands: [...new Set(Object.values(commands))],
    written: sha(text),
    undo,
    created: !existing,
    dirs,
    added,
    switched,
    at: Date.now(),
  }
}

export type Removed = "restored" | "deleted" | "edited" | "missing"

/**
 * Takes out what `record` says install wrote. Byte for byte when the file is unchanged since;
 * otherwise only agentshare's entries and the keys it added (`edited`).
 */
export function uninstall(record: Installed): Removed {
  const current = read(record.file)
  if (!current) return "missing"
  if (sha(current.text) === record.written) {
    if (record.created) {
      rmSync(record.file)
      for (const d of record.dirs) if (existsSync(d) && readdirSync(d).length === 0) rmdirSync(d)
      return "deleted"
    }
    let text = current.text
    for (const u of record.undo) text = text.slice(0, u.offset) + u.content + text.slice(u.offset + u.length)
    writeFileSync(record.file, text)
    return "restored"
  }
  const fmt = formatting(current.text)
  let text = current.text
  const ignore: z.infer<typeof Undo>[] = []
  const hooks = at(current.value, ["hooks"])
  if (typeof hooks === "object" && hooks !== null && !Array.isArray(hooks)) {
    for (const [event, list] of Object.entries(hooks)) {
      if (!Array.isArray(list)) continue
      // From the end, so earlier indexes stay right.
      for (let i = list.length - 1; i >= 0; i--) {
        const inner = at(list[i], ["hooks"])
        if (
          Array.isArray(inner) &&
          inner.length > 0 &&
          inner.every((h) => record.commands.includes(String(at(h, ["command"]))))
        )
          text = step(text, ["hooks", event, i], undefined, { fmt }, ignore)
      }
    }
  }
  for (const a of [...record.added].sort((x, y) => y.path.length - x.path.length)) {
    const v = at(parseTree(text) as unknown, a.path)
    if (v === undefined) continue
    // A hook list or object install added goes once it is empty again; a switch it added goes
    // when it still holds only what install put there.
    const empty =
      typeof v === "object" && v !== null && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0)
    if (a.value === undefined ? empty : JSON.stringify(v) === JSON.stringify(a.value))
      text = step(text, a.path, undefined, { fmt }, ignore)
  }
  for (const s of record.switched) text = step(text, s.path, s.before, { fmt }, ignore)
  writeFileSync(record.file, text)
  return "edited"
}
