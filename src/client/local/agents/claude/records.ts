/** What the Claude reader knows about records: the agent's name, which records and attachments
 * are not conversation, and how an interruption is written. */

/** The agent's name in share items and tool classes. */
export const AGENT = "claude-code"

/** Records that are not conversation: the vendor's prompts, tool schemas and API request shapes,
 * and UI or bookkeeping state. They are never shared. */
export const HIDDEN = new Set([
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
export const CONTEXT = new Set([
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

/** A user turn that only says the user interrupted the response. */
export const INTERRUPTED = /^\[Request interrupted by user( for tool use)?\]$/
