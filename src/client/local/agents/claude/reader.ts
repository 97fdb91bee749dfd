/**
 * Claude Code transcripts (`~/.claude/projects/<escaped cwd>/<session>.jsonl`, sub-agents in
 * `<session>/subagents/agent-<id>.jsonl`) as share items. One assistant message per API
 * response (`message.id`), one part per content block; tool results fold into the tool part
 * of the call they answer. docs/AGENTS.md lists what each record type becomes.
 */
import { basename } from "node:path"
import * as Bound from "../bound.ts"
import * as Builder from "../builder.ts"
import type { Rec } from "../builder.ts"
import { anchor, arr, classOf, num, raw, rec, str, tokens } from "../common.ts"
import type { Child, Reducer } from "../driver.ts"
import * as Ids from "../ids.ts"
import * as Tools from "./tools.ts"

const AGENT = "claude-code"

/** Records that are not conversation: the vendor's prompts, tool schemas and API request shapes,
 * and UI or bookkeeping state. They are never shared. */
const HIDDEN = new Set([
  "api-request",
  "api-request-shape",
  "api-request-blob",
  "tools-used",
  "atis-latch",
  "queue-operation",
  "last-prompt",
  "file-history-snapshot",
  "progress",
  "tag",
  "pr-link",
  "agent-name",
  "agent-color",
  "agent-setting",
  "mode",
  "worktree-state",
  "content-replacement",
  "attribution-snapshot",
])

/** Attachments that are context the harness injects (environment, system reminders, the
 * system prompt snapshot, tool and skill listings), not conversation. */
const CONTEXT = new Set([
  "environment",
  "model",
  "deferred_tools_delta",
  "deferred_tools_record",
  "agent_listing_delta",
  "skill_listing",
  "auto_mode",
  "session_context",
  "date",
  "remote_session_change",
  "prompt_snapshot",
  "critical_system_reminder",
  "plan_mode",
  "plan_mode_exit",
  "todo_reminder",
  "task_reminder",
  "nested_memory",
  "output_style",
  "token_usage",
  "budget_usd",
  "mcp_instructions_delta",
])

const INTERRUPTED = /^\[Request interrupted by user( for tool use)?\]$/

export function open(path: string, child?: Child): Reducer {
  const name = basename(path, ".jsonl")
  const id = Ids.safe(child ? `agent-${name.replace(/^agent-/, "")}` : name)
  const b = Builder.create(id, !!child)
  b.session({
    source: { agent: AGENT },
    ...(child?.parentID ? { parentID: child.parentID } : {}),
    ...(child?.agent ? { agent: child.agent } : {}),
  })
  const counts = { hidden: 0, raw: 0 }
  const tasks: Tools.Tasks = new Map()
  /** API response id -> our message id. */
  const responses = new Map<string, string>()
  /** tool_use id -> where its part lives. */
  const calls = new Map<string, { mid: string; pid: string }>()
  const links = new Map<string, string>()
  const titles = { custom: "", ai: "", summary: "", prompt: child?.title ?? "" }
  /** Our message id -> time of its latest block. */
  const ended = new Map<string, number>()
  let cwd = ""
  let version = ""
  let branch = ""
  let prompt: string | undefined
  let open: string | undefined
  let last: string | undefined
  let lastMs = 0
  let created: number | undefined

  const title = () => {
    const t = titles.custom || titles.ai || titles.summary || titles.prompt
    if (t) b.session({ title: Bound.text(t.split("\n")[0].trim(), 200) })
  }

  /** Ends the open assistant message: it is complete once anything follows it. */
  const close = () => {
    if (!open) return
    const m = b.message(open)
    if (m && rec(m.time).completed === undefined) {
      m.time = { ...rec(m.time), completed: ended.get(open) ?? rec(m.time).created }
      step(open)
      b.touch(open)
    }
    open = undefined
  }

  const step = (mid: string) => {
    const m = b.message(mid)
    if (!m) return
    b.putPart({
      id: Ids.sortable("prt", num(rec(m.time).created) ?? 0, Ids.LAST, `step:${mid}`),
      sessionID: id,
      messageID: mid,
      type: "step-finish",
      reason: str(m.finish) || "stop",
      cost: 0,
      tokens: m.tokens,
    })
  }

  const user = (r: Rec, ms: number) => {
    const content = rec(r.message).content
    const blocks = typeof content === "string" ? [{ type: "text", text: content }] : arr(content).map(rec)
    const texts: Rec[] = []
    for (const [i, block] of blocks.entries()) {
      if (block.type === "tool_result") result(block, r, ms)
      else if (block.type === "text" || block.type === "image") texts.push(block)
      else {
        counts.raw += 1
        raw(b, anchor(b, last, ms, str(r.uuid)), ms, i + 1, `${str(r.uuid)}:${i}`, AGENT, block)
      }
    }
    if (texts.length === 0) return
    const only = texts.length === 1 && texts[0].type === "text" ? str(texts[0].text).trim() : ""
    if (INTERRUPTED.test(only)) {
      const target = open ?? [...b.messages()].reverse().find((m) => m.role === "assistant")?.id
      close()
      const m = typeof target === "string" ? b.message(target) : undefined
      if (m) {
        m.error = { name: "MessageAbortedError", data: { message: only } }
        b.touch(str(m.id))
      }
      return
    }
    close()
    const mid = Ids.sortable("msg", ms, 0, str(r.uuid))
    const meta = r.isMeta === true || r.isCompactSummary === true
    b.put({
      id: mid,
      sessionID: id,
      role: "user",
      time: { created: ms },
      ...(child?.agent ? { agent: child.agent } : {}),
    })
    if (r.isCompactSummary === true)
      b.putPart({
        id: Ids.sortable("prt", ms, 0, `${str(r.uuid)}:compaction`),
        sessionID: id,
        messageID: mid,
        type: "compaction",
        auto: true,
      })
    for (const [i, block] of texts.entries()) {
      const pid = Ids.sortable("prt", ms, i + 1, `${str(r.uuid)}:${i}`)
      if (block.type === "image") {
        const source = rec(block.source)
        b.putPart({
          id: pid,
          sessionID: id,
          messageID: mid,
          type: "file",
          mime: str(source.media_type) || "image",
          filename: "image",
          url: "",
        })
        continue
      }
      b.putPart({
        id: pid,
        sessionID: id,
        messageID: mid,
        type: "text",
        text: Bound.text(str(block.text)),
        ...(meta ? { synthetic: true } : {}),
        time: { start: ms, end: ms },
      })
    }
    if (!meta) {
      prompt = mid
      if (!titles.prompt) titles.prompt = str(texts.find((t) => t.type === "text")?.text)
      title()
    }
    last = mid
  }

  const result = (block: Rec, r: Rec, ms: number) => {
    const callID = str(block.tool_use_id)
    const where = calls.get(callID)
    const p = where && b.part(where.mid, where.pid)
    if (!p) {
      counts.raw += 1
      raw(b, anchor(b, last, ms, str(r.uuid)), ms, 1, `${str(r.uuid)}:${callID}`, AGENT, block)
      return
    }
    const text = resultText(block.content)
    const isError = block.is_error === true
    const state = rec(p.state)
    const input = rec(state.input)
    const o = Tools.outcome(b, tasks, cwd, str(p.tool), input, r.toolUseResult, text, isError)
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

  const assistant = (r: Rec, ms: number) => {
    const m = rec(r.message)
    const response = str(m.id) || str(r.requestId) || str(r.uuid)
    let mid = responses.get(response)
    if (!mid || !b.message(mid)) {
      close()
      mid = Ids.sortable("msg", ms, 0, `response:${response}`)
      responses.set(response, mid)
      const model = str(m.model)
      b.put({
        id: mid,
        sessionID: id,
        role: "assistant",
        ...(prompt ? { parentID: prompt } : {}),
        modelID: model,
        providerID: "anthropic",
        ...(child?.agent ? { mode: child.agent, agent: child.agent } : {}),
        path: { cwd, root: cwd },
        cost: 0,
        tokens: tokens(0, 0, 0, 0, 0),
        time: { created: ms },
      })
      if (model && model !== "<synthetic>") b.model("anthropic", model)
      open = mid
    }
    const msg = b.message(mid)!
    const usage = rec(m.usage)
    if (Object.keys(usage).length)
      msg.tokens = tokens(
        usage.input_tokens,
        usage.output_tokens,
        rec(usage.output_tokens_details).thinking_tokens,
        usage.cache_read_input_tokens,
        usage.cache_creation_input_tokens,
      )
    ended.set(mid, ms)
    if (r.isApiErrorMessage === true || str(r.error)) {
      const text = arr(m.content)
        .map(rec)
        .map((c) => str(c.text))
        .join("\n")
      msg.error = { name: "APIError", data: { message: Bound.text(text || str(r.error), 4000), isRetryable: false } }
    }
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
    const stop = str(m.stop_reason)
    if (stop) {
      msg.finish = stop
      msg.time = { ...rec(msg.time), completed: ms }
      step(mid)
    }
    b.touch(mid)
    last = mid
  }

  const attachment = (r: Rec, ms: number) => {
    const a = rec(r.attachment)
    const type = str(a.type)
    if (CONTEXT.has(type) || r.renderedRole === "system" || type.startsWith("hook_")) {
      counts.hidden += 1
      return
    }
    counts.raw += 1
    raw(b, anchor(b, last, ms, str(r.uuid)), ms, 1, str(r.uuid) || `attachment:${ms}`, AGENT, {
      type: `attachment/${type}`,
      attachment: a,
    })
  }

  const system = (r: Rec, ms: number) => {
    const sub = str(r.subtype)
    if (sub === "compact_boundary") {
      close()
      const mid = Ids.sortable("msg", ms, 0, str(r.uuid))
      b.put({ id: mid, sessionID: id, role: "user", time: { created: ms } })
      const trigger = str(rec(r.compactMetadata).trigger)
      b.putPart({
        id: Ids.sortable("prt", ms, 1, str(r.uuid)),
        sessionID: id,
        messageID: mid,
        type: "compaction",
        auto: trigger !== "manual",
      })
      prompt = mid
      last = mid
      return
    }
    if (sub === "api_error") {
      const err = rec(r.error)
      const mid = anchor(b, open ?? last, ms, str(r.uuid))
      b.putPart({
        id: Ids.sortable("prt", ms, 1, str(r.uuid)),
        sessionID: id,
        messageID: mid,
        type: "retry",
        attempt: num(r.retryAttempt) ?? 1,
        error: {
          name: "APIError",
          data: {
            message: Bound.text(str(err.message) || str(rec(err.error).message) || str(r.content), 4000),
            ...(num(err.status) !== undefined ? { statusCode: num(err.status) } : {}),
          },
        },
        time: { created: ms },
      })
      return
    }
    if (["stop_hook_summary", "turn_duration", "informational", "local_command", "away_summary"].includes(sub)) {
      counts.hidden += 1
      return
    }
    counts.raw += 1
    raw(b, anchor(b, last, ms, str(r.uuid)), ms, 1, str(r.uuid) || `system:${ms}`, AGENT, r)
  }

  return {
    counts,
    builder: () => b,
    links: () => links.entries(),
    owns: (callID) => calls.has(callID),
    link(callID, sid) {
      links.set(callID, sid)
      const where = calls.get(callID)
      const p = where && b.part(where.mid, where.pid)
      if (!p) return
      const state = rec(p.state)
      if (str(rec(state.metadata).sessionId) === sid) return
      p.state = { ...state, metadata: { ...rec(state.metadata), sessionId: sid } }
      b.touchPart(where.mid, where.pid)
    },
    feed(r) {
      const ms = Ids.ms(r.timestamp) ?? lastMs
      lastMs = Math.max(lastMs, ms)
      if (str(r.cwd)) cwd = str(r.cwd)
      if (str(r.version)) version = Bound.text(str(r.version), 64)
      if (str(r.gitBranch)) branch = Bound.text(str(r.gitBranch), 256)
      if (ms && created === undefined) created = ms
      b.session({
        ...(cwd ? { directory: cwd } : {}),
        source: { agent: AGENT, ...(version ? { version } : {}), ...(branch ? { branch } : {}) },
        ...(created !== undefined ? { time: { created, updated: lastMs } } : {}),
      })
      switch (r.type) {
        case "user":
          return user(r, ms)
        case "assistant":
          return assistant(r, ms)
        case "attachment":
          return attachment(r, ms)
        case "system":
          return system(r, ms)
        case "summary":
          titles.summary = str(r.summary)
          return title()
        case "custom-title":
          titles.custom = str(r.customTitle) || str(r.title)
          return title()
        case "ai-title":
          titles.ai = str(r.aiTitle) || str(r.title)
          return title()
        case "cost-state":
          if (num(r.totalCostUSD) !== undefined) b.session({ cost: num(r.totalCostUSD) })
          return
        default:
          if (HIDDEN.has(str(r.type))) {
            counts.hidden += 1
            return
          }
          counts.raw += 1
          raw(b, anchor(b, last, ms, str(r.uuid) || String(ms)), ms, 1, str(r.uuid) || `${str(r.type)}:${ms}`, AGENT, r)
      }
    },
  }
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
