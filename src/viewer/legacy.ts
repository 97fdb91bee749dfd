/**
 * Legacy v1 messages (before OpenCode 0.5): `{id, role, parts, metadata}` with tool calls as
 * `tool-invocation` parts. Converted to the current shape so one set of renderers serves both.
 */
import { arr, get, isRec, rec, str, type Rec } from "./read.ts"

export function legacy(data: Rec): { id: string; role: string; info: Rec; parts: Rec[] } {
  const meta = rec(data.metadata)
  const assistant = rec(meta.assistant)
  const id = str(data.id)
  const info: Rec = {
    ...data,
    role: str(data.role),
    time: meta.time,
    error: meta.error,
    cost: assistant.cost,
    tokens: assistant.tokens,
    modelID: assistant.modelID,
    providerID: assistant.providerID,
    path: assistant.path,
    v1: true,
  }
  const tools = rec(meta.tool)
  const parts = arr(data.parts)
    .filter(isRec)
    .map((p, i): Rec => {
      const base = { id: `${id}-${String(i).padStart(4, "0")}`, messageID: id }
      if (p.type !== "tool-invocation") return { ...p, ...base }
      const call = rec(p.toolInvocation)
      const callID = str(call.toolCallId)
      const extra = rec(tools[callID])
      const state = str(call.state)
      return {
        ...base,
        type: "tool",
        tool: str(call.toolName) || "tool",
        callID,
        state: {
          status: state === "result" ? (extra.error ? "error" : "completed") : state === "call" ? "running" : "pending",
          input: call.args,
          output: typeof call.result === "string" ? call.result : undefined,
          error: typeof extra.message === "string" && extra.error ? extra.message : undefined,
          title: str(extra.title),
          metadata: extra,
          time: get(extra, "time"),
        },
      }
    })
  return { id, role: str(data.role), info, parts }
}
