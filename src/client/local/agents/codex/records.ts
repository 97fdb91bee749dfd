/** What the Codex reader knows about record contents: the agent's name, which records are
 * harness context or repeat others, and how arguments, outputs and durations are written. */
import * as Bound from "../bound.ts"
import type { Rec } from "../builder.ts"
import { arr, rec, str } from "../common.ts"

/** The agent's name in share items and tool classes. */
export const AGENT = "codex"

/** Harness context sent in the user role (environment, AGENTS.md, permissions, skills). */
export const CONTEXT =
  /^\s*(<environment_context>|<user_instructions>|<permissions instructions>|<skills_instructions>|<INSTRUCTIONS>|# AGENTS\.md instructions|<multi_agent_mode>)/

/** Whether a user-role message is the user's (its provenance says so; in files without
 * provenance, when it is not harness context). */
export function isPrompt(message: Rec): boolean {
  const provenance = arr(rec(message.internal_chat_message_metadata_passthrough).content_item_metadata).map((x) =>
    str(rec(rec(x).provenance).type),
  )
  if (provenance.length) return provenance.includes("user")
  return !CONTEXT.test(
    arr(message.content)
      .map(rec)
      .map((c) => str(c.text))
      .join("\n"),
  )
}

/** Events that repeat what response items already hold, or are UI state. */
export const QUIET_EVENTS = new Set([
  "token_count",
  "task_started",
  "thread_settings_applied",
  "agent_message",
  "agent_reasoning",
  "agent_reasoning_raw_content",
  "agent_reasoning_section_break",
  "user_message",
  "exec_command_begin",
  "exec_command_output_delta",
  "terminal_interaction",
  "mcp_tool_call_begin",
  "mcp_tool_call_end",
  "web_search_begin",
  "web_search_end",
  "patch_apply_begin",
  "item_started",
  "plan_update",
  "session_configured",
  "mcp_startup_update",
  "mcp_startup_complete",
  "background_event",
  "turn_diff",
  "view_image_tool_call",
  "entered_review_mode",
  "exited_review_mode",
  "thread_goal_updated",
  "thread_queue_changed",
  "environment_connected",
  "environment_disconnected",
  "image_generation_begin",
  "image_generation_end",
  "context_compacted",
  "get_history_entry_response",
  "list_custom_prompts_response",
  "shutdown_complete",
  "thread_name_updated",
  "warning",
  "item_updated",
  "raw_response_item",
])

/** item_completed items that repeat response items. */
export const QUIET_ITEMS = new Set([
  "UserMessage",
  "AgentMessage",
  "Reasoning",
  "Plan",
  "TodoList",
  "ContextCompaction",
  "McpToolCall",
  "WebSearch",
  "ImageGeneration",
  "ImageView",
])

export const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0)

/** A function call's `arguments`: a JSON string, kept as an object. */
export function parseArgs(v: unknown): Rec {
  if (typeof v !== "string") return rec(v)
  try {
    const parsed: unknown = JSON.parse(v)
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Rec)
      : { arguments: parsed }
  } catch {
    return { arguments: v }
  }
}

/** A tool output: a string, or content items whose text is joined. */
export function outputText(v: unknown): string {
  if (typeof v === "string") return v
  if (Array.isArray(v))
    return v
      .map(rec)
      .map((c) => (typeof c.text === "string" ? c.text : c.type === "input_image" ? "[image]" : ""))
      .filter(Boolean)
      .join("\n")
  const r = rec(v)
  if (typeof r.content === "string") return r.content
  return v === undefined ? "" : JSON.stringify(Bound.value(v))
}

/** `{secs, nanos}` as ms. */
export function duration(v: unknown): number | undefined {
  const d = rec(v)
  if (typeof d.secs !== "number") return undefined
  return Math.round(d.secs * 1000 + n(d.nanos) / 1e6)
}
