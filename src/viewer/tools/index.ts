/** Tool calls: one renderer per tool family, the generic one for everything else. */
import type { Ctx } from "../context.ts"
import type { Rec } from "../read.ts"
import { bash } from "./bash.ts"
import { edit, patch, write } from "./edit.ts"
import { read, type Tool } from "./frame.ts"
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
  write,
  apply_patch: patch,
  patch,
  read: gather,
  grep: gather,
  glob: gather,
  list: gather,
  webfetch,
  websearch,
  codesearch: websearch,
  todowrite: todo,
  todoread: todo,
  task,
  question,
}

export function tool(part: Rec, ctx: Ctx): string {
  const t = read(part)
  const render = Object.hasOwn(RENDERERS, t.name) ? RENDERERS[t.name] : generic
  return render(t, ctx)
}

export { GATHER, read }
export type { Tool }
export { group as gatherGroup } from "./gather.ts"
