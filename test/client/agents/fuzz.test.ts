/** Any records in any order: a reader never throws, every item it makes is one the server can
 * key with valid ids, and following the file gives what a full read gives. */
import assert from "node:assert/strict"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import fc from "fast-check"
import * as Agents from "../../../src/client/local/agents/index.ts"
import { ID_PATTERN, keyItem } from "../../../src/schema/index.ts"
import * as T from "./support.ts"

const KEYS = [
  "type",
  "subtype",
  "id",
  "uuid",
  "call_id",
  "tool_use_id",
  "name",
  "role",
  "content",
  "message",
  "payload",
  "item",
  "input",
  "arguments",
  "output",
  "toolCalls",
  "thoughts",
  "tokens",
  "usage",
  "status",
  "result",
  "resultDisplay",
  "toolUseResult",
  "text",
  "timestamp",
  "agentId",
  "changes",
  "$set",
  "$rewindTo",
  "messages",
  "sessionId",
  "projectHash",
  "summary",
  "stop_reason",
  "is_error",
  "exit_code",
  "aggregated_output",
]
const TYPES = [
  "user",
  "assistant",
  "gemini",
  "info",
  "error",
  "attachment",
  "system",
  "response_item",
  "event_msg",
  "session_meta",
  "turn_context",
  "token_usage_record",
  "message",
  "reasoning",
  "function_call",
  "function_call_output",
  "custom_tool_call",
  "custom_tool_call_output",
  "item_completed",
  "CommandExecution",
  "FileChange",
  "SubAgentActivity",
  "tool_use",
  "tool_result",
  "thinking",
  "text",
  "cost-state",
  "custom-title",
  "weird",
]
const value = fc.oneof(
  fc.constantFrom(...TYPES),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("2026-11-30T10:00:00Z", "c1", "g1", "toolu_1"),
)
const json = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: "small" },
    value,
    fc.array(tie("any"), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie("any"), { maxKeys: 6 }),
  ),
})).any
const record = fc.dictionary(fc.constantFrom(...KEYS), json, { minKeys: 1, maxKeys: 7 })

const PATHS: Record<Agents.Agent, (dir: string) => string> = {
  "claude-code": (dir) => join(dir, ".claude", "projects", "p", "33333333-2222-4333-8444-555555555555.jsonl"),
  codex: (dir) =>
    join(
      dir,
      ".codex",
      "sessions",
      "2026",
      "11",
      "30",
      "rollout-2026-11-30T10-00-00-01a230ad-c8f8-7150-a0d2-d0867dfd9cc9.jsonl",
    ),
  "gemini-cli": (dir) => join(dir, ".gemini", "tmp", "p", "chats", "session-2026-11-30T10-00-44444444.jsonl"),
}

describe("readers on arbitrary records", () => {
  const { dir, dispose } = T.tmp()
  after(dispose)
  let n = 0
  for (const agent of Agents.NAMES) {
    it(`${agent}: never throws, makes valid items, and follows what it reads`, () => {
      fc.assert(
        fc.property(fc.array(fc.oneof(record, fc.constant("{broken")), { minLength: 1, maxLength: 12 }), (records) => {
          const path = PATHS[agent](join(dir, String(n++)))
          const text = T.jsonl(records)
          T.write(path, text)
          const read = Agents.read(agent, path)
          const root = read.sessions[0]?.id ?? ""
          for (const item of read.items) {
            assert.ok(keyItem(item, root).ok, JSON.stringify(item).slice(0, 300))
            const d = item.data as T.Rec
            for (const id of [d?.id, d?.messageID, d?.sessionID].filter((x) => typeof x === "string"))
              assert.match(id, ID_PATTERN)
          }
          T.grow(agent, PATHS[agent](join(dir, String(n++))), text, root, 17)
        }),
        { numRuns: 60 },
      )
    })
  }
})
