/**
 * Claude Code transcripts (`~/.claude/projects/<escaped cwd>/<session>.jsonl`, sub-agents in
 * `<session>/subagents/agent-<id>.jsonl`) as share items. One assistant message per API
 * response (`message.id`), one part per content block (blocks.ts); tool results fold into the
 * tool part of the call they answer. docs/AGENTS.md lists what each record type becomes.
 */
import { basename } from "node:path"
import * as Bound from "../bound.ts"
import * as Builder from "../builder.ts"
import type { Rec } from "../builder.ts"
import { anchor, arr, num, raw, rec, str, tokens } from "../common.ts"
import type { Child, Reducer } from "../driver.ts"
import * as Ids from "../ids.ts"
import * as Blocks from "./blocks.ts"
import { AGENT, CONTEXT, HIDDEN, INTERRUPTED } from "./records.ts"

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
  /** API response id -> our message id. */
  const responses = new Map<string, string>()
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

  const parts = Blocks.create({ b, counts, cwd: () => cwd, last: () => last })

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
      if (block.type === "tool_result") parts.result(block, r, ms)
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
    parts.response(r, ms, mid, msg)
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
    links: () => parts.links.entries(),
    owns: parts.owns,
    link: parts.link,
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
