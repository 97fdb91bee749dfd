/**
 * Claude Code's structured tool results (`toolUseResult`) as OpenCode metadata: shell output
 * and exit code, unified diffs from `structuredPatch`, todo lists (TodoWrite, and the
 * TaskCreate/TaskUpdate list as it stands after each call), sub-agent links.
 */
import type { Builder, Rec } from "../builder.ts"
import { arr, num, rec, relative, str } from "../common.ts"
import * as Patch from "../patch.ts"

export type Outcome = { metadata: Rec; output: string; title?: string }

/** The task list of TaskCreate/TaskUpdate/TaskList, by task id, in creation order. */
export type Tasks = Map<string, { content: string; status: string }>

const todos = (tasks: Tasks) =>
  [...tasks.values()].map((t) => ({ content: t.content, status: t.status, priority: "medium" }))

export function outcome(
  b: Builder,
  tasks: Tasks,
  cwd: string,
  name: string,
  input: Rec,
  result: unknown,
  text: string,
  isError: boolean,
): Outcome {
  const r = rec(result)
  const abs = str(r.filePath) || str(input.file_path) || str(input.notebook_path)
  const file = relative(abs, cwd)
  switch (name) {
    case "Bash":
    case "BashOutput":
    case "KillShell":
    case "KillBash": {
      const out = [str(r.stdout), str(r.stderr)].filter(Boolean).join("\n")
      const code = /^(?:Error: )?Exit code (\d+)/m.exec(text)
      const exit = code
        ? Number(code[1])
        : isError
          ? undefined
          : r.interrupted === true
            ? undefined
            : (num(r.exitCode) ?? 0)
      return {
        metadata: {
          output: out || text,
          ...(exit === undefined ? {} : { exit }),
          description: str(input.description),
          ...(r.interrupted === true ? { interrupted: true } : {}),
        },
        output: text,
        title: str(input.description) || undefined,
      }
    }
    case "Edit":
    case "MultiEdit":
    case "Write": {
      const created = r.type === "create" || (name === "Write" && r.originalFile === null)
      const patch =
        Patch.hunks(file, r.structuredPatch) || (created ? Patch.added(file, str(r.content) || str(input.content)) : "")
      if (!isError) b.diff(file, patch, created ? "added" : "modified")
      const c = Patch.counts(patch)
      return {
        metadata: {
          filepath: file,
          ...(patch ? { diff: patch, filediff: { file, patch, ...c } } : {}),
          ...(name === "Write" ? { exists: !created } : {}),
        },
        output: text,
        title: file || undefined,
      }
    }
    case "NotebookEdit":
      return {
        metadata: { filepath: file, cell: str(r.cell_id) || str(input.cell_id), language: str(r.language) },
        output: text,
        title: file || undefined,
      }
    case "Read": {
      const f = rec(r.file)
      return {
        metadata: {
          filepath: relative(str(f.filePath), cwd) || file,
          ...(num(f.numLines) !== undefined ? { lines: num(f.numLines) } : {}),
        },
        output: text,
        title: file || undefined,
      }
    }
    case "Grep":
      return {
        metadata: { matches: num(r.numLines) ?? num(r.numMatches) ?? num(r.numFiles) ?? 0 },
        output:
          text ||
          arr(r.filenames)
            .filter((x) => typeof x === "string")
            .join("\n"),
      }
    case "Glob":
      return {
        metadata: {
          count: num(r.numFiles) ?? arr(r.filenames).length,
          ...(r.truncated === true ? { truncated: true } : {}),
        },
        output:
          text ||
          arr(r.filenames)
            .filter((x) => typeof x === "string")
            .join("\n"),
      }
    case "ToolSearch":
      return {
        metadata: { matches: arr(r.matches).length },
        output:
          text ||
          arr(r.matches)
            .filter((x) => typeof x === "string")
            .join("\n"),
      }
    case "TodoWrite": {
      const list = arr(r.newTodos).length ? arr(r.newTodos) : arr(input.todos)
      return {
        metadata: {
          todos: list.map(rec).map((t) => ({
            content: str(t.content),
            status: str(t.status) || "pending",
            priority: str(t.priority) || "medium",
          })),
        },
        output: text,
      }
    }
    case "TaskCreate": {
      const task = rec(r.task)
      const id = str(task.id)
      if (id && !isError) tasks.set(id, { content: str(task.subject) || str(input.subject), status: "pending" })
      return { metadata: { todos: todos(tasks) }, output: text }
    }
    case "TaskUpdate": {
      const id = str(input.taskId)
      const t = tasks.get(id)
      if (t && !isError) {
        if (input.status === "deleted") tasks.delete(id)
        else tasks.set(id, { content: str(input.subject) || t.content, status: str(input.status) || t.status })
      }
      return { metadata: { todos: todos(tasks) }, output: text }
    }
    case "TaskList": {
      const list = arr(r.tasks).map(rec)
      if (list.length && !isError) {
        tasks.clear()
        for (const t of list) tasks.set(str(t.id), { content: str(t.subject), status: str(t.status) || "pending" })
      }
      return { metadata: { todos: todos(tasks) }, output: text }
    }
    case "TaskGet":
      return { metadata: { todos: todos(tasks) }, output: text }
    case "Task":
    case "Agent": {
      const agentId = str(r.agentId)
      // The sub-agent's own final text, without the hand-back framing the parent model is sent.
      const answer = arr(r.content)
        .map(rec)
        .filter((c) => c.type === "text")
        .map((c) => str(c.text))
        .join("\n")
      return {
        metadata: {
          ...(agentId ? { sessionId: `agent-${agentId}` } : {}),
          ...(str(r.status) ? { status: str(r.status) } : {}),
          ...(num(r.totalTokens) !== undefined ? { totalTokens: num(r.totalTokens) } : {}),
        },
        output: answer || text,
        title: str(input.description) || undefined,
      }
    }
    case "WebFetch":
      return {
        metadata: { url: str(r.url) || str(input.url), ...(num(r.code) !== undefined ? { code: num(r.code) } : {}) },
        output: str(r.result) || text,
        title: str(input.url) || undefined,
      }
    case "WebSearch":
      return {
        metadata: { query: str(r.query) || str(input.query) },
        output: text,
        title: str(input.query) || undefined,
      }
    case "ExitPlanMode":
      return { metadata: { plan: str(input.plan) || str(r.plan) }, output: text }
    default:
      return { metadata: {}, output: text }
  }
}
