/**
 * The tool calls of one Codex rollout as OpenCode tool parts: the response items that make a
 * call (function, custom, shell, web and tool-search calls), and the records that finish it
 * later (its output item, `exec_command_end`, `patch_apply_end`, and the UI's `item_completed`
 * command, file-change and sub-agent events), folded into the call's part.
 */
import * as Bound from "../bound.ts"
import type { Builder, Rec } from "../builder.ts"
import { arr, classOf, num, rec, relative, str } from "../common.ts"
import * as Ids from "../ids.ts"
import * as Patch from "../patch.ts"
import { AGENT, duration, outputText, parseArgs } from "./records.ts"

/** What a rollout's calls need from the reader around them. */
export type Rollout = {
  b: Builder
  /** The working directory now: file paths are shown relative to it. */
  cwd(): string
  /** The open assistant message, opened at `ms` when there is none. */
  assistant(ms: number, key: string): string
  /** The id of the next part of message `mid`. */
  pid(mid: string, key: string): string
  /** Keeps a record no call here claims as a raw part (anchored by `at`, `key` by default). */
  stray(ms: number, key: string, record: unknown, at?: string): void
}

/** The calls of one rollout: where each call's part lives, and the sub-agent each started. */
export function create(rollout: Rollout) {
  const { b, assistant, pid, stray } = rollout
  const id = b.id
  const calls = new Map<string, { mid: string; pid: string }>()
  /** Call id -> the child session it started. */
  const links = new Map<string, string>()

  /** Merges into a call's state: later facts never erase earlier ones. */
  const update = (
    callID: string,
    patch: { status?: string; output?: string; error?: string; metadata?: Rec; start?: number; end?: number },
  ) => {
    const where = calls.get(callID)
    const p = where && b.part(where.mid, where.pid)
    if (!p) return false
    const state = rec(p.state)
    const time = {
      ...rec(state.time),
      ...(patch.start !== undefined ? { start: patch.start } : {}),
      ...(patch.end !== undefined ? { end: patch.end } : {}),
    }
    const status = patch.status ?? str(state.status)
    const next: Rec = { ...state, status, metadata: { ...rec(state.metadata), ...patch.metadata }, time }
    if (patch.output !== undefined) next.output = Bound.text(patch.output)
    if (patch.error !== undefined) next.error = Bound.text(patch.error)
    if (status === "completed" && typeof next.output !== "string") next.output = ""
    if (status === "error" && typeof next.error !== "string")
      next.error = typeof next.output === "string" && next.output ? next.output : "failed"
    p.state = next
    b.touchPart(where.mid, where.pid)
    return true
  }

  const call = (name: string, callID: string, input: Rec, ms: number, key: string, extra: Rec = {}) => {
    const mid = assistant(ms, key)
    const p = pid(mid, key)
    calls.set(callID, { mid, pid: p })
    const linked = links.get(callID)
    b.putPart({
      id: p,
      sessionID: id,
      messageID: mid,
      type: "tool",
      tool: name,
      callID,
      state: {
        status: "running",
        input: Bound.value(input),
        metadata: { agentshare: classOf(AGENT, name), ...extra, ...(linked ? { sessionId: linked } : {}) },
        time: { start: ms },
      },
    })
    return p
  }

  const changes = (callID: string, map: Rec, ok: boolean, ms?: number, times?: { start?: number; end?: number }) => {
    const cwd = rollout.cwd()
    const files: Rec[] = []
    for (const [abs, c0] of Object.entries(map)) {
      const c = rec(c0)
      // Two shapes: {type, content | unified_diff, move_path} (item_completed) and {add|update|delete: {...}} (patch_apply_end).
      const type = str(c.type) || (c.add ? "add" : c.delete ? "delete" : "update")
      const body = rec(c.add ?? c.update ?? c.delete ?? c)
      const file = relative(abs, cwd)
      const diff =
        type === "add"
          ? Patch.added(file, str(body.content))
          : type === "delete"
            ? Patch.deleted(file, str(body.content))
            : Patch.withHeader(file, str(body.unified_diff))
      const move = str(body.move_path)
      files.push({
        filePath: file,
        relativePath: file,
        type,
        diff,
        ...Patch.counts(diff),
        ...(move ? { movePath: relative(move, cwd) } : {}),
      })
      if (ok) b.diff(file, diff, type === "add" ? "added" : type === "delete" ? "deleted" : "modified")
    }
    update(callID, {
      metadata: { files, diff: files.map((f) => str(f.diff)).join("") },
      ...(ok ? {} : { status: "error" }),
      ...(ms !== undefined ? { end: ms } : {}),
      ...times,
    })
  }

  const output = (p: Rec, ms: number) => {
    const callID = str(p.call_id)
    const where = calls.get(callID)
    const part = where && b.part(where.mid, where.pid)
    if (!part) return stray(ms, `output:${callID}:${str(p.id)}`, p, callID)
    const text = outputText(p.output)
    const name = str(part.tool)
    const meta: Rec = {}
    const exit = /^Process exited with code (-?\d+)/m.exec(text) ?? /^Exit code: (-?\d+)/m.exec(text)
    if (exit) meta.exit = Number(exit[1])
    const state = rec(part.state)
    if (classOf(AGENT, name).family === "shell" && rec(state.metadata).output === undefined) {
      const at = text.indexOf("\nOutput:\n")
      meta.output = Bound.text(at >= 0 ? text.slice(at + 9) : text)
    }
    const failed = name === "apply_patch" && typeof meta.exit === "number" && meta.exit !== 0
    update(callID, {
      status: failed ? "error" : "completed",
      output: text,
      ...(failed ? { error: text } : {}),
      metadata: meta,
      end: num(rec(state.time).end) ?? ms,
    })
  }

  const link = (callID: string, sid: string) => {
    links.set(callID, sid)
    update(callID, { metadata: { sessionId: sid } })
  }

  /** A response item that makes or answers a call; false for any other item. */
  const item = (p: Rec, ms: number, key: string): boolean => {
    switch (p.type) {
      case "function_call": {
        const name = str(p.name) || "tool"
        const input = parseArgs(p.arguments)
        const extra: Rec = str(p.namespace) ? { namespace: str(p.namespace) } : {}
        if (name === "update_plan")
          extra.todos = arr(input.plan)
            .map(rec)
            .map((s) => ({ content: str(s.step), status: str(s.status) || "pending", priority: "medium" }))
        call(name, str(p.call_id), input, ms, key, extra)
        return true
      }
      case "custom_tool_call": {
        const name = str(p.name) || "tool"
        const text = str(p.input)
        const extra: Rec = {}
        if (name === "apply_patch") {
          const files = Patch.applyPatch(text).map((f) => ({
            filePath: f.file,
            relativePath: f.file,
            type: f.type,
            diff: f.diff,
            ...Patch.counts(f.diff),
            ...(f.movePath ? { movePath: f.movePath } : {}),
          }))
          extra.files = files
          extra.diff = files.map((f) => f.diff).join("")
        }
        call(name, str(p.call_id), { input: text }, ms, key, extra)
        return true
      }
      case "local_shell_call": {
        const callID = str(p.call_id) || str(p.id)
        call("local_shell", callID, rec(p.action), ms, key)
        if (p.status === "completed") update(callID, { status: "completed" })
        return true
      }
      case "web_search_call": {
        const action = rec(p.action)
        const callID = str(p.id) || key
        call("web_search", callID, Object.keys(action).length ? action : { query: str(p.query) }, ms, key, {
          query: str(action.query) || str(p.query),
        })
        update(callID, { status: p.status === "failed" ? "error" : "completed", output: "", end: ms })
        return true
      }
      case "tool_search_call":
        call("tool_search", str(p.call_id) || str(p.id), rec(p.arguments ?? { query: p.query }), ms, key)
        return true
      case "function_call_output":
      case "custom_tool_call_output":
      case "tool_search_output":
        output(p, ms)
        return true
      default:
        return false
    }
  }

  /** An event that finishes a call (or links it to its sub-agent); false for any other event. */
  const event = (p: Rec, ms: number): boolean => {
    switch (str(p.type)) {
      case "item_completed": {
        const item = rec(p.item)
        const itemType = str(item.type)
        const callID = str(item.id)
        const times = { start: num(p.started_at_ms), end: num(p.completed_at_ms) }
        if (itemType === "CommandExecution") {
          update(callID, {
            metadata: {
              output: Bound.text(str(item.aggregated_output)),
              ...(num(item.exit_code) !== undefined ? { exit: num(item.exit_code) } : {}),
              ...(duration(item.duration) !== undefined ? { duration: duration(item.duration) } : {}),
            },
            ...(item.status === "declined" ? { status: "error", error: "declined" } : {}),
            ...times,
          })
          return true
        }
        if (itemType === "FileChange") {
          changes(callID, rec(item.changes), item.status !== "failed" && item.status !== "declined", undefined, times)
          return true
        }
        if (itemType === "SubAgentActivity") {
          const thread = str(item.agent_thread_id)
          if (item.kind === "started" && thread) link(callID, Ids.safe(thread))
          return true
        }
        if (itemType === "CollabAgentToolCall") {
          const receivers = arr(item.receiver_thread_ids).filter((x) => typeof x === "string")
          update(callID, { metadata: { receivers }, ...times })
          return true
        }
        return false
      }
      case "exec_command_end":
        update(str(p.call_id), {
          metadata: {
            output: Bound.text(str(p.aggregated_output) || [str(p.stdout), str(p.stderr)].filter(Boolean).join("\n")),
            ...(num(p.exit_code) !== undefined ? { exit: num(p.exit_code) } : {}),
          },
          end: ms,
        })
        return true
      case "patch_apply_end":
        changes(str(p.call_id), rec(p.changes), p.success !== false, ms)
        return true
      default:
        return false
    }
  }

  return { links, link, owns: (callID: string) => calls.has(callID), item, event }
}
