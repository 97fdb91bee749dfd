/** Tool calls: one renderer per tool family, the generic one for everything else. OpenCode's
 * tools are picked by name; other agents' tools by their class (kind.ts). */
import * as Agent from "../agent.ts"
import type { Ctx } from "../context.ts"
import { str, type Rec } from "../read.ts"
import { bash } from "./bash.ts"
import { edit, patch, write } from "./edit.ts"
import { read as readTool, type Tool } from "./frame.ts"
import { gather, GATHER } from "./gather.ts"
import { generic } from "./generic.ts"
import { question } from "./question.ts"
import { task } from "./task.ts"
import { todo } from "./todo.ts"
import { webfetch, websearch } from "./web.ts"

const RENDERERS: Record<string, (t: Tool, ctx: Ctx) => string> = {
  bash,
  edit,
  multiedit: edit,
  notebook: edit,
  write,
  apply_patch: patch,
  patch,
  read: gather,
  grep: gather,
  glob: gather,
  list: gather,
  toolsearch: gather,
  webfetch,
  websearch,
  codesearch: websearch,
  todowrite: todo,
  todoread: todo,
  plan: todo,
  task,
  question,
}

/** The tool call in `part`, read for the agent of its session. */
export function read(part: Rec, ctx: Ctx): Tool {
  return readTool(part, Agent.of(ctx.transcript, str(part.sessionID)), ctx)
}

export function tool(part: Rec, ctx: Ctx): string {
  const t = read(part, ctx)
  const render = Object.hasOwn(RENDERERS, t.kind) ? RENDERERS[t.kind] : generic
  return render(t, ctx)
}

/** Whether `part` gathers context (read, search, list): consecutive ones are grouped. */
export function gathers(part: Rec, ctx: Ctx): boolean {
  return part.type === "tool" && GATHER.has(read(part, ctx).kind)
}

export { GATHER }
export type { Tool }
export { group as gatherGroup } from "./gather.ts"
