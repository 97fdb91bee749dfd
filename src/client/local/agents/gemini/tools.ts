/**
 * A Gemini CLI tool call (an entry of a gemini message's `toolCalls`) as an OpenCode tool part:
 * its status, shell output and exit code, file diff, todo list and the sub-agent it started.
 */
import * as Bound from "../bound.ts"
import type { Builder, Rec } from "../builder.ts"
import { arr, classOf, rec, relative, str } from "../common.ts"
import * as Ids from "../ids.ts"

/** The agent's name in share items and tool classes. */
export const AGENT = "gemini-cli"

/** A call's Gemini status as the part's; a call with any other status is still running. */
export const STATUS: Record<string, string> = { success: "completed", error: "error", cancelled: "error" }

/** What a call's part needs from the session it is in. */
export type Session = {
  b: Builder
  /** The project root: file paths are shown relative to it. */
  cwd: string
  /** Call id -> the child session it started. */
  links: Map<string, string>
  /** The calls this session made. */
  calls: Map<string, string>
}

/** Call `c`, started at `start`, as a tool part (without its ids). */
export function part(c: Rec, start: number, { b, cwd, links, calls }: Session): Rec {
  const name = str(c.name) || "tool"
  const callID = str(c.id)
  const input = rec(c.args)
  const display = c.resultDisplay
  const response = responseText(c.result)
  const status = STATUS[str(c.status)] ?? "running"
  const meta: Rec = { agentshare: classOf(AGENT, name) }
  const family = rec(meta.agentshare).family
  if (family === "shell") {
    const exit = /Exit Code: (-?\d+)/.exec(response)
    meta.output = Bound.text(typeof display === "string" ? display : response)
    if (exit) meta.exit = Number(exit[1])
    else if (status === "completed") meta.exit = 0
  }
  const d = rec(display)
  if (str(d.fileDiff)) {
    const file = relative(str(d.filePath) || str(input.file_path), cwd)
    const patch = str(d.fileDiff)
    meta.diff = Bound.text(patch)
    meta.filepath = file
    meta.exists = d.isNewFile !== true
    if (status === "completed") b.diff(file, patch, d.isNewFile === true ? "added" : "modified")
  }
  if (name === "write_todos")
    meta.todos = (arr(d.todos).length ? arr(d.todos) : arr(input.todos)).map(rec).map((t) => ({
      content: str(t.description) || str(t.content),
      status: str(t.status) || "pending",
      priority: "medium",
    }))
  const agent = str(c.agentId)
  if (agent) links.set(callID, Ids.safe(agent))
  if (links.has(callID)) meta.sessionId = links.get(callID)
  calls.set(callID, "")
  const end = Ids.ms(c.timestamp)
  const output = typeof display === "string" && family !== "shell" ? display : response
  const title = str(c.description) || str(c.displayName)
  const time = { start, ...(status !== "running" && end !== undefined ? { end } : {}) }
  if (status === "error")
    return {
      type: "tool",
      tool: name,
      callID,
      state: {
        status,
        input: Bound.value(input),
        error: Bound.text(response || output || str(c.status)),
        metadata: { ...meta, ...(c.status === "cancelled" ? { interrupted: true } : {}) },
        time,
        title,
      },
    }
  return {
    type: "tool",
    tool: name,
    callID,
    state: {
      status,
      input: Bound.value(input),
      ...(status === "completed" ? { output: Bound.text(output) } : {}),
      metadata: meta,
      time,
      title,
    },
  }
}

/** A tool call's functionResponse parts as text. */
function responseText(v: unknown): string {
  const list = Array.isArray(v) ? v : v && typeof v === "object" ? [v] : []
  return list
    .map(rec)
    .map((p) => {
      if (typeof p.text === "string") return p.text
      const r = rec(rec(p.functionResponse).response)
      if (typeof r.output === "string") return r.output
      if (typeof r.error === "string") return r.error
      return Object.keys(r).length ? JSON.stringify(Bound.value(r)) : ""
    })
    .filter(Boolean)
    .join("\n")
}
