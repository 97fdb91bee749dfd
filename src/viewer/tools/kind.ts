/**
 * Which renderer draws a tool call. OpenCode's tools go by their name, exactly as before. A
 * tool of another agent goes by its class: the `metadata.agentshare` a reader wrote, else the
 * agent's tool table (src/schema/agents.ts); names of different agents can collide (Codex and
 * Gemini both have `read_file`), so the session's agent picks the table.
 */
import { ToolClass, toolClass } from "../../schema/index.ts"
import { get, str, type Rec } from "../read.ts"

/** Renderer keys by family and kind; the keys are OpenCode's tool names where one fits. */
const KEYS: Record<string, string> = {
  shell: "bash",
  read: "read",
  "read/many": "read",
  search: "grep",
  "search/grep": "grep",
  "search/glob": "glob",
  "search/list": "list",
  "search/tools": "toolsearch",
  edit: "edit",
  "edit/patch": "apply_patch",
  "edit/notebook": "notebook",
  write: "write",
  todo: "todowrite",
  "todo/plan": "plan",
  web: "webfetch",
  "web/fetch": "webfetch",
  "web/search": "websearch",
  task: "task",
  other: "",
}

/** The renderer key for `part` in a session of `agent` ("" or "opencode": OpenCode's). */
export function kind(part: Rec, agent: string): string {
  const name = str(part.tool)
  if (!agent || agent === "opencode") return name
  const hint = ToolClass.safeParse(get(part, "state", "metadata", "agentshare"))
  const cls = hint.success ? hint.data : toolClass(agent, name)
  if (!cls) return ""
  return KEYS[cls.kind ? `${cls.family}/${cls.kind}` : cls.family] ?? KEYS[cls.family] ?? ""
}
