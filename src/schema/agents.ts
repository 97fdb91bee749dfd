/**
 * Which agent produced a session, and how its tools map onto the viewer's renderers. Shared by
 * the local readers (which write these facts into share items) and the viewer (which reads
 * them back from hostile data), so the two can never disagree. See docs/AGENTS.md.
 */
import { z } from "zod"

/** Agents agentshare reads sessions of. Other strings are accepted and shown as they are. */
export const AGENTS = ["opencode", "claude-code", "codex", "gemini-cli"] as const
export type AgentName = (typeof AGENTS)[number]

/** How each agent is named on a page. */
export const AGENT_LABELS: Record<AgentName, string> = {
  opencode: "OpenCode",
  "claude-code": "Claude Code",
  codex: "Codex CLI",
  "gemini-cli": "Gemini CLI",
}

/** `session.source`: the agent that wrote the session, its version and the git branch. */
export const Source = z.looseObject({
  agent: z.string().min(1).max(64),
  version: z.string().max(64).optional(),
  branch: z.string().max(256).optional(),
  /** The git commit the session started from, where the agent records it (Codex). */
  commit: z.string().max(64).optional(),
})
export type Source = z.infer<typeof Source>

/**
 * A tool's family picks its renderer: shell (a terminal block), read, edit (a diff), write
 * (new content), search (grep, glob, list, tool search), todo (a checklist or a plan), web
 * (fetch or search), task (a sub-agent card with the child session inline), other (the
 * generic card with every argument).
 */
export const ToolFamily = z.enum(["shell", "read", "edit", "write", "search", "todo", "web", "task", "other"])
export type ToolFamily = z.infer<typeof ToolFamily>

/** The variant inside a family, where the renderer draws it differently. */
export const ToolKind = z.enum([
  "grep",
  "glob",
  "list",
  "tools",
  "many",
  "fetch",
  "search",
  "patch",
  "notebook",
  "plan",
])
export type ToolKind = z.infer<typeof ToolKind>

/** `part.state.metadata.agentshare` on a tool part a reader wrote. */
export const ToolClass = z.looseObject({ family: ToolFamily, kind: ToolKind.optional() })
export type ToolClass = z.infer<typeof ToolClass>

const c = (family: ToolFamily, kind?: ToolKind): ToolClass => (kind ? { family, kind } : { family })

/** Every tool of each agent by its own name. Names not listed are "other" (MCP, plugins). */
export const TOOLS: Record<Exclude<AgentName, "opencode">, Record<string, ToolClass>> = {
  "claude-code": {
    Bash: c("shell"),
    BashOutput: c("shell"),
    KillShell: c("shell"),
    KillBash: c("shell"),
    Read: c("read"),
    NotebookRead: c("read"),
    Edit: c("edit"),
    MultiEdit: c("edit"),
    NotebookEdit: c("edit", "notebook"),
    Write: c("write"),
    Grep: c("search", "grep"),
    Glob: c("search", "glob"),
    LS: c("search", "list"),
    ToolSearch: c("search", "tools"),
    Task: c("task"),
    Agent: c("task"),
    TodoWrite: c("todo"),
    TodoRead: c("todo"),
    TaskCreate: c("todo"),
    TaskUpdate: c("todo"),
    TaskList: c("todo"),
    TaskGet: c("todo"),
    ExitPlanMode: c("todo", "plan"),
    WebFetch: c("web", "fetch"),
    WebSearch: c("web", "search"),
    web_search: c("web", "search"),
    web_fetch: c("web", "fetch"),
  },
  codex: {
    exec_command: c("shell"),
    write_stdin: c("shell"),
    shell: c("shell"),
    shell_command: c("shell"),
    local_shell: c("shell"),
    apply_patch: c("edit", "patch"),
    update_plan: c("todo"),
    spawn_agent: c("task"),
    wait_agent: c("task"),
    wait: c("task"),
    send_message: c("task"),
    followup_task: c("task"),
    interrupt_agent: c("task"),
    close_agent: c("task"),
    list_agents: c("task"),
    web_search: c("web", "search"),
    view_image: c("read"),
    read_file: c("read"),
    list_dir: c("search", "list"),
    grep_files: c("search", "grep"),
    tool_search: c("search", "tools"),
  },
  "gemini-cli": {
    run_shell_command: c("shell"),
    read_file: c("read"),
    read_many_files: c("read", "many"),
    write_file: c("write"),
    replace: c("edit"),
    edit: c("edit"),
    glob: c("search", "glob"),
    search_file_content: c("search", "grep"),
    grep_search: c("search", "grep"),
    list_directory: c("search", "list"),
    write_todos: c("todo"),
    enter_plan_mode: c("todo", "plan"),
    exit_plan_mode: c("todo", "plan"),
    web_fetch: c("web", "fetch"),
    google_web_search: c("web", "search"),
    invoke_agent: c("task"),
    codebase_investigator: c("task"),
    generalist: c("task"),
    cli_help: c("task"),
  },
}

/** The class of `agent`'s tool `name`, or undefined when agentshare does not know the tool. */
export function toolClass(agent: string, name: string): ToolClass | undefined {
  const table = Object.hasOwn(TOOLS, agent) ? TOOLS[agent as keyof typeof TOOLS] : undefined
  return table && Object.hasOwn(table, name) ? table[name] : undefined
}
