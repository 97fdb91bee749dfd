/**
 * OpenCode V2 sessions, as the last OpenCode share reader understood them before sharing was
 * switched off (anomalyco/opencode `packages/enterprise/src/core/share-document.ts`): a session
 * with `location` and one `messages` item `{sessionID, messages}` holding the whole message
 * list. Each V2 message becomes a message with parts of the V1 shape, so one set of renderers
 * (turns, tools, usage, Markdown) serves both; docs/PROTOCOL.md lists the mapping.
 */
import { arr, get, isRec, opt, rec, str, type Rec } from "./read.ts"

export type Converted = { id: string; role: string; info: Rec; parts: Rec[] }

/** A V2 session's info with the fields the viewer reads from a V1 one (`directory`). */
export function session(info: Rec): Rec {
  const directory = str(get(info, "location", "directory"))
  return directory && !str(info.directory) ? { ...info, directory } : info
}

/** Whether a session's messages come from its `messages` item rather than message/part items. */
export function isV2(info: Rec, hasV1Messages: boolean): boolean {
  return isRec(info.location) || !hasV1Messages
}

/** The V2 messages of a `messages` item as V1-shaped messages, in list order. */
export function messages(data: unknown, sessionID: string): Converted[] {
  return arr(rec(data).messages)
    .filter(isRec)
    .flatMap((m) => convert(m, sessionID))
}

const partID = (id: string, i: number) => `${id}-${String(i).padStart(4, "0")}`

function convert(m: Rec, sessionID: string): Converted[] {
  const id = str(m.id)
  if (!id) return []
  const created = opt(get(m, "time", "created"))
  const base = { id, sessionID, time: { created } }
  const part = (i: number, p: Rec): Rec => ({ id: partID(id, i), sessionID, messageID: id, ...p })
  const note = (text: string): Converted[] => [
    {
      id,
      role: "system",
      info: { ...base, role: "system", time: { created, completed: created } },
      parts: [part(0, { type: "text", text, synthetic: false })],
    },
  ]
  switch (str(m.type)) {
    case "user": {
      const model = rec(get(m, "metadata", "model"))
      const parts: Rec[] = []
      if (str(m.text)) parts.push(part(parts.length, { type: "text", text: str(m.text) }))
      for (const f of arr(m.files).filter(isRec))
        parts.push(part(parts.length, { type: "file", mime: str(f.mime), filename: str(f.name) || "attachment" }))
      for (const a of arr(m.agents).filter(isRec)) parts.push(part(parts.length, { type: "agent", name: str(a.name) }))
      const info: Rec = { ...base, role: "user", agent: str(get(m, "metadata", "agent")) || undefined }
      if (str(model.id)) info.model = { providerID: str(model.providerID), modelID: str(model.id) }
      return [{ id, role: "user", info, parts }]
    }
    case "assistant":
      return [assistant(m, id, sessionID, created, part)]
    case "shell": {
      const status = str(m.status)
      const completed = opt(get(m, "time", "completed"))
      const output = typeof m.output === "string" ? m.output : str(get(m, "output", "text"))
      const state = {
        status: completed !== undefined || status === "completed" || status === "exited" ? "completed" : "running",
        input: { command: str(m.command) },
        output,
        metadata: { output, ...(opt(m.exit) === undefined ? {} : { exit: opt(m.exit) }) },
        time: { start: created, end: completed },
      }
      return [
        {
          id,
          role: "assistant",
          info: { ...base, role: "assistant", time: { created, completed: completed ?? created } },
          parts: [part(0, { type: "tool", tool: "bash", callID: str(m.shellID) || id, state })],
        },
      ]
    }
    case "compaction": {
      const parts = [part(0, { type: "compaction", auto: m.reason === "auto" })]
      const out: Converted[] = [{ id, role: "user", info: { ...base, role: "user" }, parts }]
      // The summary answers the compaction, as V1's summary message did.
      if (str(m.summary))
        out.push({
          id: `${id}-summary`,
          role: "assistant",
          info: {
            id: `${id}-summary`,
            sessionID,
            role: "assistant",
            summary: true,
            time: { created, completed: created },
          },
          parts: [
            {
              id: partID(`${id}-summary`, 0),
              sessionID,
              messageID: `${id}-summary`,
              type: "text",
              text: str(m.summary),
            },
          ],
        })
      return out
    }
    case "synthetic":
    case "system":
      return str(m.description) ? note(str(m.description)) : []
    case "skill":
      return note(`Skill: ${str(m.name) || str(m.skill)}`)
    case "agent-switched":
      return note(`Switched to agent ${str(m.agent)}`)
    case "model-switched":
      return note(`Switched to model ${str(get(m, "model", "id"))}`)
    // Its absolute directory is the sharer's: never shown.
    case "location-switched":
      return note("Switched to another directory")
    case "idle":
      return []
    default:
      return [
        {
          id,
          role: "system",
          info: { ...base, role: "system" },
          parts: [part(0, { type: `v2-${str(m.type) || "message"}`, record: m })],
        },
      ]
  }
}

function assistant(
  m: Rec,
  id: string,
  sessionID: string,
  created: number | undefined,
  part: (i: number, p: Rec) => Rec,
): Converted {
  const model = rec(m.model)
  const completed = opt(get(m, "time", "completed"))
  const error = isRec(m.error)
    ? {
        name: str(m.error.type) === "aborted" ? "MessageAbortedError" : "UnknownError",
        data: { message: str(m.error.message) },
      }
    : undefined
  const info: Rec = {
    id,
    sessionID,
    role: "assistant",
    agent: str(m.agent) || undefined,
    modelID: str(model.id) || undefined,
    providerID: str(model.providerID) || undefined,
    cost: opt(m.cost),
    tokens: isRec(m.tokens) ? m.tokens : undefined,
    finish: str(m.finish) || undefined,
    error,
    time: { created, completed },
  }
  const parts = arr(m.content)
    .filter(isRec)
    .map((c, i): Rec => {
      const type = str(c.type)
      if (type === "text") return part(i, { type: "text", text: str(c.text), time: { start: created, end: completed } })
      if (type === "reasoning")
        return part(i, {
          type: "reasoning",
          text: str(c.text),
          time: { start: opt(get(c, "time", "created")) ?? created, end: opt(get(c, "time", "completed")) },
        })
      if (type === "tool")
        return part(i, { type: "tool", tool: str(c.name) || "tool", callID: str(c.id), state: toolState(c) })
      return part(i, { type: `v2-${type || "content"}`, record: c })
    })
  return { id, role: "assistant", info, parts }
}

/** V2 tool states (streaming, running, completed, error) as V1 ones; content texts are the output. */
function toolState(c: Rec): Rec {
  const s = rec(c.state)
  const status = str(s.status)
  const content = arr(s.content).filter(isRec)
  const output = content
    .filter((x) => x.type === "text")
    .map((x) => str(x.text))
    .join("\n")
  const time = { start: opt(get(c, "time", "created")), end: opt(get(c, "time", "completed")) }
  const metadata = isRec(s.metadata) ? s.metadata : {}
  if (status === "streaming") return { status: "pending", input: {}, raw: str(s.input), metadata, time }
  if (status === "running") return { status: "running", input: rec(s.input), metadata, time }
  if (status === "error")
    return {
      status: "error",
      input: rec(s.input),
      error: str(get(s, "error", "message")) || "error",
      output: output || undefined,
      metadata,
      time,
    }
  return {
    status: status === "completed" ? "completed" : status || "pending",
    input: rec(s.input),
    output,
    metadata,
    time,
  }
}
