/**
 * Codex CLI rollouts (`$CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<thread id>.jsonl`) as
 * share items. A model response (its output items up to its `token_usage_record`) is one
 * assistant message; tool outputs and the UI's `item_completed` events (command exit codes,
 * file changes, sub-agent starts) fold into the call's part (tools.ts). docs/AGENTS.md has the
 * mapping.
 */
import { basename } from "node:path"
import * as Bound from "../bound.ts"
import * as Builder from "../builder.ts"
import type { Rec } from "../builder.ts"
import { anchor, arr, num, raw, rec, str, tokens } from "../common.ts"
import type { Child, Reducer } from "../driver.ts"
import * as Ids from "../ids.ts"
import { AGENT, isPrompt, n, QUIET_EVENTS, QUIET_ITEMS } from "./records.ts"
import * as Tools from "./tools.ts"

const THREAD = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i

/** The thread id in a rollout's file name. */
export function threadOf(path: string): string | undefined {
  return THREAD.exec(basename(path))?.[1]
}

export function open(path: string, child?: Child): Reducer {
  const id = Ids.safe(threadOf(path) ?? basename(path, ".jsonl"))
  const b = Builder.create(id, !!child)
  b.session({ source: { agent: AGENT }, ...(child?.parentID ? { parentID: child.parentID } : {}) })
  const counts = { hidden: 0, raw: 0 }
  /** Parts made per message so far: their position inside it. */
  const made = new Map<string, number>()
  const src: Rec = { agent: AGENT }
  let cwd = ""
  let model = ""
  let provider = "openai"
  let prompt: string | undefined
  let open: string | undefined
  let last: string | undefined
  let lastMs = 0
  let created: number | undefined
  let titled = false

  const seq = (mid: string) => {
    const n = (made.get(mid) ?? 0) + 1
    made.set(mid, n)
    return n
  }
  const pid = (mid: string, key: string) =>
    Ids.sortable("prt", num(rec(b.message(mid)?.time).created) ?? 0, seq(mid), key)

  const assistant = (ms: number, key: string): string => {
    if (open && b.message(open)) return open
    const mid = Ids.sortable("msg", ms, 0, key)
    b.put({
      id: mid,
      sessionID: id,
      role: "assistant",
      ...(prompt ? { parentID: prompt } : {}),
      modelID: model,
      providerID: provider,
      path: { cwd, root: cwd },
      cost: 0,
      tokens: tokens(0, 0, 0, 0, 0),
      time: { created: ms },
    })
    if (model) b.model(provider, model)
    open = mid
    last = mid
    return mid
  }

  /** Ends the open response: `usage` from its token_usage_record. */
  const close = (ms: number, usage?: Rec) => {
    if (!open) return
    const m = b.message(open)
    if (m) {
      if (usage)
        m.tokens = tokens(
          n(usage.input_tokens) - n(usage.cached_input_tokens),
          n(usage.output_tokens) - n(usage.reasoning_output_tokens),
          usage.reasoning_output_tokens,
          usage.cached_input_tokens,
          usage.cache_write_input_tokens,
          usage.total_tokens,
        )
      m.time = { ...rec(m.time), completed: ms }
      m.finish = [...b.parts(open)].some((p) => p.type === "tool") ? "tool-calls" : "stop"
      b.putPart({
        id: Ids.sortable("prt", num(rec(m.time).created) ?? 0, Ids.LAST, `step:${open}`),
        sessionID: id,
        messageID: open,
        type: "step-finish",
        reason: m.finish,
        cost: 0,
        tokens: m.tokens,
      })
      b.touch(open)
    }
    open = undefined
  }

  const user = (texts: string[], ms: number, key: string, images = 0) => {
    close(ms)
    const mid = Ids.sortable("msg", ms, 0, key)
    b.put({
      id: mid,
      sessionID: id,
      role: "user",
      time: { created: ms },
      ...(model ? { model: { providerID: provider, modelID: model } } : {}),
    })
    for (const [i, text] of texts.entries())
      b.putPart({
        id: Ids.sortable("prt", ms, i + 1, `${key}:${i}`),
        sessionID: id,
        messageID: mid,
        type: "text",
        text: Bound.text(text),
        time: { start: ms, end: ms },
      })
    for (let i = 0; i < images; i++)
      b.putPart({
        id: Ids.sortable("prt", ms, texts.length + i + 1, `${key}:image:${i}`),
        sessionID: id,
        messageID: mid,
        type: "file",
        mime: "image",
        filename: "image",
        url: "",
      })
    prompt = mid
    last = mid
    if (!titled && texts.join("").trim()) {
      titled = true
      b.session({ title: Bound.text(texts.join("\n").trim().split("\n")[0], 200) })
    }
  }

  /** Keeps a record of a type this reader does not know as a raw part under the latest message. */
  const stray = (ms: number, key: string, record: unknown, at = key) => {
    counts.raw += 1
    raw(b, anchor(b, last, ms, at), ms, seq(anchor(b, last, ms, at)), key, AGENT, record)
  }

  const tools = Tools.create({ b, cwd: () => cwd, assistant, pid, stray })

  const responseItem = (p: Rec, ms: number, key: string) => {
    if (tools.item(p, ms, key)) return
    switch (p.type) {
      case "message": {
        const role = str(p.role)
        const content = arr(p.content).map(rec)
        const texts = content.filter((c) => typeof c.text === "string").map((c) => str(c.text))
        if (role === "developer" || role === "system") {
          counts.hidden += 1
          return
        }
        if (role === "user") {
          if (!isPrompt(p)) {
            counts.hidden += 1
            return
          }
          return user(texts, ms, key, content.filter((c) => c.type === "input_image").length)
        }
        const mid = assistant(ms, key)
        b.putPart({
          id: pid(mid, key),
          sessionID: id,
          messageID: mid,
          type: "text",
          text: Bound.text(texts.join("\n")),
          time: { start: ms, end: ms },
        })
        return
      }
      case "reasoning": {
        // The readable summary (and raw reasoning text where the model gives it); encrypted_content is never kept.
        const text = [
          ...arr(p.summary)
            .map(rec)
            .map((s) => str(s.text)),
          ...arr(p.content)
            .map(rec)
            .map((c) => str(c.text)),
        ]
          .filter((t) => t.trim())
          .join("\n\n")
        if (!text) return
        const mid = assistant(ms, key)
        b.putPart({
          id: pid(mid, key),
          sessionID: id,
          messageID: mid,
          type: "reasoning",
          text: Bound.text(text),
          time: { start: ms, end: ms },
        })
        return
      }
      case "agent_message": {
        // Mail between agents: a sub-agent's task, or its answer to the parent. The parts a
        // model alone reads (`encrypted_content`) are not shared.
        const texts = arr(p.content)
          .map(rec)
          .filter((c) => typeof c.text === "string")
          .map((c) => str(c.text))
        return user(texts, ms, key)
      }
      case "compaction":
      case "context_compaction":
        return compaction(ms, key)
      case "ghost_snapshot":
        counts.hidden += 1
        return
      default:
        stray(ms, key, p)
    }
  }

  const compaction = (ms: number, key: string) => {
    close(ms)
    const mid = Ids.sortable("msg", ms, 0, `compaction:${key}`)
    b.put({ id: mid, sessionID: id, role: "user", time: { created: ms } })
    b.putPart({
      id: Ids.sortable("prt", ms, 1, `compaction:${key}`),
      sessionID: id,
      messageID: mid,
      type: "compaction",
      auto: true,
    })
    prompt = mid
    last = mid
  }

  const fail = (ms: number, key: string, error: Rec) => {
    const target = open ?? [...b.messages()].reverse().find((m) => m.role === "assistant")?.id
    const mid = typeof target === "string" ? target : assistant(ms, key)
    const m = b.message(mid)
    if (!m) return
    m.error = error
    b.touch(mid)
    if (open === mid) close(ms)
  }

  const event = (p: Rec, ms: number, key: string) => {
    if (tools.event(p, ms)) return
    const type = str(p.type)
    switch (type) {
      case "item_completed": {
        const item = rec(p.item)
        const itemType = str(item.type)
        if (QUIET_ITEMS.has(itemType)) {
          counts.hidden += 1
          return
        }
        stray(ms, key, { type: `item_completed/${itemType}`, item })
        return
      }
      case "turn_aborted":
        return fail(ms, key, { name: "MessageAbortedError", data: { message: str(p.reason) || "aborted" } })
      case "error":
        return fail(ms, key, { name: "UnknownError", data: { message: Bound.text(str(p.message), 4000) } })
      case "stream_error": {
        const mid = anchor(b, open ?? last, ms, key)
        b.putPart({
          id: pid(mid, key),
          sessionID: id,
          messageID: mid,
          type: "retry",
          attempt: 1,
          error: { name: "APIError", data: { message: Bound.text(str(p.message), 4000) } },
          time: { created: ms },
        })
        return
      }
      case "task_complete":
        return close(ms)
      default:
        if (QUIET_EVENTS.has(type)) {
          counts.hidden += 1
          return
        }
        stray(ms, key, { type: `event_msg/${type}`, payload: p })
    }
  }

  return {
    counts,
    builder: () => b,
    links: () => tools.links.entries(),
    owns: tools.owns,
    link: tools.link,
    feed(r) {
      const ms = Ids.ms(r.timestamp) ?? lastMs
      lastMs = Math.max(lastMs, ms)
      if (ms && created === undefined) created = ms
      const p = rec(r.payload)
      const key = `${num(r.ordinal) ?? ""}:${str(p.id) || str(p.call_id)}:${str(r.timestamp)}:${str(p.type)}`
      switch (r.type) {
        case "session_meta": {
          cwd = str(p.cwd) || cwd
          if (str(p.cli_version)) src.version = Bound.text(str(p.cli_version), 64)
          const git = rec(p.git)
          if (str(git.branch)) src.branch = Bound.text(str(git.branch), 256)
          if (str(git.commit_hash)) src.commit = Bound.text(str(git.commit_hash), 64)
          provider = str(p.model_provider) || provider
          // base_instructions (the vendor's system prompt) is never kept.
          if (p.base_instructions !== undefined) counts.hidden += 1
          const parent = str(p.parent_thread_id) || str(rec(rec(rec(p.source).subagent).thread_spawn).parent_thread_id)
          const nick = str(p.agent_nickname) || str(p.agent_path)
          if (nick && child) titled = true
          b.session({
            ...(parent && child ? { parentID: Ids.safe(parent) } : {}),
            ...(nick && child
              ? { agent: Bound.text(nick, 128), title: Bound.text(`${str(p.agent_path) || nick}`, 200) }
              : {}),
          })
          break
        }
        case "turn_context":
          model = str(p.model) || model
          cwd = str(p.cwd) || cwd
          break
        case "response_item":
          responseItem(p, ms, key)
          break
        case "event_msg":
          event(p, ms, key)
          break
        case "token_usage_record":
          close(ms, rec(p.usage))
          break
        case "compacted":
          compaction(ms, key)
          break
        case "world_state":
        case "inter_agent_communication_metadata":
        case "realtime_item":
        case "resume_metadata":
          counts.hidden += 1
          break
        default:
          stray(ms, key, r)
      }
      b.session({
        ...(cwd ? { directory: cwd } : {}),
        source: { ...src },
        ...(created !== undefined ? { time: { created, updated: lastMs } } : {}),
      })
    },
  }
}
