/**
 * Gemini CLI chat recordings (`~/.gemini/tmp/<project>/chats/session-*.jsonl`, sub-agents in
 * `chats/<session id>/<agent id>.jsonl`) as share items. The file is an event log of one JSON
 * document: a header, message records upserted by `id` (a later record replaces the message),
 * `{"$set": …}` patches and `{"$rewindTo": id}` cuts. The reader replays it the way Gemini CLI
 * loads it and converts each message whenever it changes; tool calls become parts in tools.ts.
 * docs/AGENTS.md has the mapping.
 */
import { basename, dirname, join } from "node:path"
import * as Bound from "../bound.ts"
import * as Builder from "../builder.ts"
import type { Rec } from "../builder.ts"
import { anchor, arr, num, raw, rec, str, tokens } from "../common.ts"
import type { Child, Reducer } from "../driver.ts"
import * as Git from "../git.ts"
import * as Ids from "../ids.ts"
import * as Small from "../small.ts"
import { AGENT, STATUS } from "./tools.ts"
import * as Tools from "./tools.ts"

/** User turns that are context the CLI adds, not the user's words. */
export const CONTEXT = /^\s*(<session_context>|<hook_context>)/

/** The project root of a chats file: `.project_root`, `projects.json`, or the header's directories. */
export function root(path: string, header: Rec = {}): string {
  const chats = basename(dirname(path)) === "chats" ? dirname(path) : dirname(dirname(path))
  const project = dirname(chats)
  const marked = Small.text(join(project, ".project_root"), 4096)?.trim()
  if (marked) return marked
  const gemini = dirname(dirname(project))
  const projects = rec(Small.json(join(gemini, "projects.json"))?.projects)
  const name = basename(project)
  const found = Object.entries(projects).find(([, short]) => short === name)?.[0]
  if (found) return found
  return str(arr(header.directories)[0])
}

export function open(path: string, child?: Child): Reducer {
  const counts = { hidden: 0, raw: 0 }
  const links = new Map<string, string>()
  /** Gemini message id -> its record, in first-seen order. */
  const records = new Map<string, Rec>()
  /** Gemini message id -> our message id and the part ids it holds now. */
  const ours = new Map<string, { mid: string; parts: Set<string>; parent?: string; prompt: boolean }>()
  /** Tool call id -> the Gemini message holding it. */
  const calls = new Map<string, string>()
  const header: Rec = {}
  let b: Builder.Builder | undefined
  let cwd = ""
  let branch: string | undefined
  let summary = ""
  let prompt = ""
  let lastMs = 0

  const ensure = (): Builder.Builder => {
    if (b) return b
    const fallback = basename(path, ".jsonl").replace(/^session-/, "")
    b = Builder.create(Ids.safe(str(header.sessionId) || fallback), !!child)
    cwd = root(path, header)
    branch = cwd ? Git.branch(cwd) : undefined
    b.session({
      source: { agent: AGENT, ...(branch ? { branch } : {}) },
      ...(cwd ? { directory: cwd } : {}),
      ...(child?.parentID ? { parentID: child.parentID } : {}),
      ...(child?.agent ? { agent: child.agent } : {}),
    })
    return b
  }

  const title = () => {
    const t = (!child && summary) || child?.title || prompt
    if (t) ensure().session({ title: Bound.text(t.trim().split("\n")[0], 200) })
  }

  /** Our id of the latest user prompt among the messages so far (what a new reply answers). */
  const latest = (): string | undefined => {
    let found: string | undefined
    for (const o of ours.values()) if (o.prompt) found = o.mid
    return found
  }
  let current: string | undefined

  /** Removes messages; the prompt a new reply answers is looked up once, after. */
  const remove = (gids: string[]) => {
    for (const gid of gids) {
      const o = ours.get(gid)
      if (o) ensure().drop(o.mid)
      ours.delete(gid)
      records.delete(gid)
    }
    current = latest()
  }

  const upsert = (r: Rec) => {
    const gid = str(r.id)
    records.set(gid, r)
    convert(gid, r)
  }

  const convert = (gid: string, r: Rec) => {
    const bb = ensure()
    const ms = Ids.ms(r.timestamp) ?? lastMs
    // A message keeps the prompt it answered when it was first seen: only a rewind or a reset
    // changes what came before it, and both remove it too.
    const o = ours.get(gid) ?? {
      mid: Ids.sortable("msg", ms, 0, gid),
      parts: new Set<string>(),
      parent: current,
      prompt: false,
    }
    ours.set(gid, o)
    const mid = o.mid
    const created = num(rec(bb.message(mid)?.time).created) ?? ms
    const parts: Rec[] = []
    const part = (seq: number, key: string, data: Rec) =>
      parts.push({ id: Ids.sortable("prt", created, seq, `${gid}:${key}`), sessionID: bb.id, messageID: mid, ...data })
    let message: Rec | undefined
    switch (r.type) {
      case "user": {
        const shown = r.displayContent !== undefined ? r.displayContent : r.content
        const texts = contentTexts(shown)
        const files = arr(shown)
          .map(rec)
          .filter((p) => rec(p.inlineData).mimeType || rec(p.fileData).mimeType)
        if (texts.join("").trim() === "" && files.length === 0) break
        if (CONTEXT.test(texts.join("\n"))) {
          counts.hidden += 1
          break
        }
        message = {
          id: mid,
          sessionID: bb.id,
          role: "user",
          time: { created },
          ...(child?.agent ? { agent: child.agent } : {}),
        }
        texts.forEach((t, i) => {
          part(i + 1, `text:${i}`, { type: "text", text: Bound.text(t), time: { start: created, end: created } })
        })
        files.forEach((f, i) => {
          part(texts.length + i + 1, `file:${i}`, {
            type: "file",
            mime: str(rec(f.inlineData).mimeType) || str(rec(f.fileData).mimeType),
            filename: "attachment",
            url: "",
          })
        })
        o.prompt = true
        current = mid
        if (!prompt) {
          prompt = texts.join("\n")
          title()
        }
        break
      }
      case "gemini": {
        const model = str(r.model)
        const t = rec(r.tokens)
        const usage = Object.keys(t).length
          ? tokens(
              num(t.input) !== undefined ? num(t.input)! - (num(t.cached) ?? 0) : 0,
              t.output,
              t.thoughts,
              t.cached,
              0,
              t.total,
            )
          : undefined
        const toolCalls = arr(r.toolCalls).map(rec)
        const ends = [ms, ...toolCalls.map((c) => Ids.ms(c.timestamp) ?? 0)]
        const running = toolCalls.some((c) => !Object.hasOwn(STATUS, str(c.status)))
        message = {
          id: mid,
          sessionID: bb.id,
          role: "assistant",
          ...(o.parent ? { parentID: o.parent } : {}),
          modelID: model,
          providerID: "google",
          ...(child?.agent ? { mode: child.agent, agent: child.agent } : {}),
          path: { cwd, root: cwd },
          cost: 0,
          tokens: usage ?? tokens(0, 0, 0, 0, 0),
          time: { created, ...(running ? {} : { completed: Math.max(...ends) }) },
          ...(toolCalls.length ? { finish: "tool-calls" } : { finish: "stop" }),
        }
        if (model) bb.model("google", model)
        arr(r.thoughts)
          .map(rec)
          .forEach((th, i) => {
            const text = [str(th.subject) && `**${str(th.subject)}**`, str(th.description)].filter(Boolean).join(" ")
            const at = Ids.ms(th.timestamp) ?? created
            if (text.trim())
              part(i + 1, `thought:${i}`, { type: "reasoning", text: Bound.text(text), time: { start: at, end: at } })
          })
        const text = contentTexts(r.content).join("\n")
        if (text.trim())
          part(1000, "text", { type: "text", text: Bound.text(text), time: { start: created, end: created } })
        toolCalls.forEach((c, i) => {
          part(1001 + i, `tool:${str(c.id) || i}`, Tools.part(c, created, { b: bb, cwd, links, calls }))
        })
        if (usage)
          part(Ids.LAST, "step", {
            type: "step-finish",
            reason: toolCalls.length ? "tool-calls" : "stop",
            cost: 0,
            tokens: usage,
          })
        break
      }
      case "error":
        message = {
          id: mid,
          sessionID: bb.id,
          role: "assistant",
          ...(o.parent ? { parentID: o.parent } : {}),
          time: { created, completed: created },
          error: { name: "UnknownError", data: { message: Bound.text(contentTexts(r.content).join("\n"), 4000) } },
        }
        break
      case "info":
      case "warning":
        message = { id: mid, sessionID: bb.id, role: "system", time: { created, completed: created } }
        part(1, "text", {
          type: "text",
          text: Bound.text(`${r.type === "warning" ? "⚠ " : ""}${contentTexts(r.content).join("\n")}`),
          time: { start: created, end: created },
        })
        break
      default:
        // A message type this reader does not know: kept whole as a raw part.
        counts.raw += 1
        message = { id: mid, sessionID: bb.id, role: "system", time: { created, completed: created } }
        part(1, "raw", {
          type: "raw",
          agent: AGENT,
          recordType: Bound.text(str(r.type) || "(untyped)", 128),
          record: Bound.value(r, 16 * 1024),
        })
    }
    if (!message) {
      if (bb.message(mid)) bb.drop(mid)
      o.parts.clear()
      if (o.prompt) {
        o.prompt = false
        current = latest()
      }
      return
    }
    bb.put(message as Rec & { id: string })
    const now = new Set(parts.map((p) => str(p.id)))
    for (const pid of o.parts) if (!now.has(pid)) bb.dropPart(mid, pid)
    for (const p of parts) bb.putPart(p as Rec & { id: string; messageID: string })
    o.parts = now
  }

  return {
    counts,
    builder: () => b,
    links: () => links.entries(),
    owns: (callID) => calls.has(callID),
    link(callID, sid) {
      if (links.get(callID) === sid) return
      links.set(callID, sid)
      for (const [gid, r] of records)
        if (
          arr(r.toolCalls)
            .map(rec)
            .some((c) => str(c.id) === callID)
        )
          convert(gid, r)
    },
    feed(r) {
      const ms = Ids.ms(r.timestamp) ?? lastMs
      lastMs = Math.max(lastMs, ms)
      if (typeof r.$rewindTo === "string") {
        // Everything from that message on is gone; an unknown id clears the conversation.
        const ids = [...records.keys()]
        const at = ids.indexOf(r.$rewindTo)
        remove(at < 0 ? ids : ids.slice(at))
        return
      }
      if (typeof r.id === "string") return upsert(r)
      if (typeof r.$set === "object" && r.$set !== null) {
        const set = rec(r.$set)
        if (Array.isArray(set.messages)) {
          remove([...records.keys()])
          for (const m of set.messages.map(rec)) if (typeof m.id === "string") upsert(m)
        }
        if (typeof set.summary === "string") {
          summary = set.summary
          title()
        }
        const updated = Ids.ms(set.lastUpdated)
        if (updated !== undefined) ensure().session({ time: { ...rec(ensure().info.time), updated } })
        const rest = Object.keys(set).filter((k) => !["messages", "summary", "lastUpdated"].includes(k))
        // Other fields (memoryScratchpad, directories, …) are the CLI's own state.
        if (rest.length) counts.hidden += 1
        return
      }
      if (typeof r.sessionId === "string" && typeof r.projectHash === "string") {
        Object.assign(header, r)
        const bb = ensure()
        const created = Ids.ms(r.startTime)
        const updated = Ids.ms(r.lastUpdated)
        bb.session({
          time: { ...(created !== undefined ? { created } : {}), ...(updated !== undefined ? { updated } : {}) },
        })
        if (typeof r.summary === "string") {
          summary = r.summary
          title()
        }
        for (const m of arr(r.messages).map(rec)) if (typeof m.id === "string") upsert(m)
        return
      }
      counts.raw += 1
      const bb = ensure()
      raw(
        bb,
        anchor(bb, [...ours.values()].at(-1)?.mid, ms, `line:${ms}`),
        ms,
        1,
        JSON.stringify(Bound.value(r, 64)).slice(0, 512),
        AGENT,
        r,
      )
    },
  }
}

/** Gemini content (a string, a part, or parts) as its text pieces. */
function contentTexts(v: unknown): string[] {
  if (typeof v === "string") return v ? [v] : []
  const list = Array.isArray(v) ? v : v && typeof v === "object" ? [v] : []
  return list
    .map(rec)
    .filter((p) => typeof p.text === "string" && p.thought !== true)
    .map((p) => str(p.text))
}
