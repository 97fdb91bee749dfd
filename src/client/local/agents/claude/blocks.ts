/**
 * Claude content blocks as OpenCode parts: an API response's thinking, text and tool_use blocks
 * in its assistant message, and the tool_result blocks that answer them, folded into the tool
 * part of their call (with what tools.ts reads from the structured result).
 */
import * as Bound from "../bound.ts"
import type { Builder, Rec } from "../builder.ts"
import { anchor, arr, classOf, num, raw, rec, str } from "../common.ts"
import type { Counts } from "../driver.ts"
import * as Ids from "../ids.ts"
import { AGENT } from "./records.ts"
import * as Tools from "./tools.ts"

/** What the blocks of one transcript need from its reader. */
export type Transcript = {
  b: Builder
  counts: Counts
  /** The working directory now: file paths are shown relative to it. */
  cwd(): string
  /** The latest message, where a block no rule here knows is kept. */
  last(): string | undefined
}

/** Turns one transcript's content blocks into parts, remembering where each call's part lives
 * and the sub-agent each started. */
export function create({ b, counts, cwd, last }: Transcript) {
  const id = b.id
  const tasks: Tools.Tasks = new Map()
  /** tool_use id -> where its part lives. */
  const calls = new Map<string, { mid: string; pid: string }>()
  /** Call id -> the child session it started. */
  const links = new Map<string, string>()

  /** Folds tool_result `block` of record `r` into the part of the call it answers. */
  const result = (block: Rec, r: Rec, ms: number) => {
    const callID = str(block.tool_use_id)
    const where = calls.get(callID)
    const p = where && b.part(where.mid, where.pid)
    if (!p) {
      counts.raw += 1
      raw(b, anchor(b, last(), ms, str(r.uuid)), ms, 1, `${str(r.uuid)}:${callID}`, AGENT, block)
      return
    }
    const text = resultText(block.content)
    const isError = block.is_error === true
    const state = rec(p.state)
    const input = rec(state.input)
    const o = Tools.outcome(b, tasks, cwd(), str(p.tool), input, r.toolUseResult, text, isError)
    const metadata = { ...rec(state.metadata), ...o.metadata }
    const sid = str(metadata.sessionId)
    if (sid) links.set(callID, Ids.safe(sid))
    else if (links.has(callID)) metadata.sessionId = links.get(callID)
    const time = { start: num(rec(state.time).start) ?? ms, end: ms }
    p.state = isError
      ? {
          status: "error",
          input,
          error: Bound.text(text || "error"),
          metadata,
          time,
          ...(o.title ? { title: o.title } : {}),
        }
      : { status: "completed", input, output: Bound.text(o.output), metadata, time, title: o.title ?? "" }
    b.touchPart(where.mid, where.pid)
  }

  /** The content blocks of assistant record `r` as parts of message `mid` (`msg`). */
  const response = (r: Rec, ms: number, mid: string, msg: Rec) => {
    const m = rec(r.message)
    for (const [i, block0] of arr(m.content).entries()) {
      const block = rec(block0)
      const seq = (num(r.apiBlockIndex) ?? 0) + i
      const pid = Ids.sortable("prt", num(rec(msg.time).created) ?? ms, seq + 1, `${str(r.uuid)}:${i}`)
      const base = { id: pid, sessionID: id, messageID: mid }
      switch (block.type) {
        case "thinking": {
          const text = str(block.thinking)
          // The signature is opaque and never shared; an empty (omitted) thinking has nothing to show.
          if (text.trim())
            b.putPart({
              ...base,
              type: "reasoning",
              text: Bound.text(text),
              time: { start: ms - (num(r.thinkingDurationMs) ?? 0), end: ms },
            })
          break
        }
        case "redacted_thinking":
          counts.hidden += 1
          break
        case "text":
          if (msg.error === undefined)
            b.putPart({ ...base, type: "text", text: Bound.text(str(block.text)), time: { start: ms, end: ms } })
          break
        case "tool_use":
        case "server_tool_use": {
          const name = str(block.name) || "tool"
          const callID = str(block.id)
          calls.set(callID, { mid, pid })
          const linked = links.get(callID)
          b.putPart({
            ...base,
            type: "tool",
            tool: name,
            callID,
            state: {
              status: "running",
              input: Bound.value(rec(block.input)),
              metadata: { agentshare: classOf(AGENT, name), ...(linked ? { sessionId: linked } : {}) },
              time: { start: ms },
            },
          })
          break
        }
        case "web_search_tool_result":
        case "web_fetch_tool_result":
          result(
            {
              tool_use_id: block.tool_use_id,
              content: JSON.stringify(Bound.value(block.content ?? null)),
              is_error: false,
            },
            r,
            ms,
          )
          break
        default:
          counts.raw += 1
          raw(b, mid, ms, seq + 1, `${str(r.uuid)}:${i}`, AGENT, block)
      }
    }
  }

  const link = (callID: string, sid: string) => {
    links.set(callID, sid)
    const where = calls.get(callID)
    const p = where && b.part(where.mid, where.pid)
    if (!p) return
    const state = rec(p.state)
    if (str(rec(state.metadata).sessionId) === sid) return
    p.state = { ...state, metadata: { ...rec(state.metadata), sessionId: sid } }
    b.touchPart(where.mid, where.pid)
  }

  return { links, link, owns: (callID: string) => calls.has(callID), result, response }
}

/** A tool_result's content as text: strings as they are, images as a note. */
function resultText(content: unknown): string {
  if (typeof content === "string") return content
  return arr(content)
    .map(rec)
    .map((c) =>
      c.type === "text"
        ? str(c.text)
        : c.type === "image"
          ? "[image]"
          : c.type === "tool_reference"
            ? str(c.tool_name)
            : "",
    )
    .filter(Boolean)
    .join("\n")
}
