/**
 * The share as a Markdown transcript, for agents and tools (`/share/:id.md` and
 * `Accept: text/markdown`). Plain text in, plain text out: fences are widened so no value can
 * close them early.
 */
import * as Agent from "./agent.ts"
import * as Changes from "./changes.ts"
import * as Paths from "./paths.ts"
import * as Diff from "./diff.ts"
import * as Format from "./format.ts"
import type { Msg, Transcript, Turn } from "./model.ts"
import { arr, get, isRec, num, opt, rec, str, text, type Rec } from "./read.ts"
import { command } from "./tools/bash.ts"
import { pick } from "./tools/frame.ts"
import { kind } from "./tools/kind.ts"

const MAX_OUTPUT = 20_000

/** A fenced block whose fence is longer than any backtick run inside it. */
export function fence(value: string, lang = ""): string {
  const longest = Math.max(2, ...[...value.matchAll(/`+/g)].map((m) => m[0].length))
  const f = "`".repeat(longest + 1)
  return `${f}${lang}\n${value.replace(/\n$/, "")}\n${f}`
}

function clip(value: string): string {
  const c = Format.clip(value, MAX_OUTPUT)
  return c.cut ? `${c.text}\n… ${c.cut} more characters` : c.text
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, " ").trim()
}

/** `agent`: the agent of the tool's session, "" for OpenCode (whose tools go by name). */
function tool(p: Rec, agent: string): string {
  const state = rec(p.state)
  const name = str(p.tool) || "tool"
  const k = kind(p, agent)
  const other = agent !== "" && agent !== "opencode"
  const input = rec(state.input)
  const meta = rec(state.metadata)
  const status = str(state.status) || "pending"
  const head = `**Tool: ${oneLine(name)}**${str(state.title) ? ` — ${oneLine(str(state.title))}` : ""}${status !== "completed" ? ` _(${oneLine(status)})_` : ""}`
  const out: string[] = [head]
  const diff =
    str(meta.diff) ||
    arr(meta.files)
      .filter(isRec)
      .map((f) => str(f.diff) || str(f.patch))
      .join("")
  if (k === "bash")
    out.push(
      fence(
        `$ ${other ? command(input) : str(input.command)}\n${clip(other ? str(meta.output) || str(state.output) : str(state.output) || str(meta.output))}`,
        "console",
      ),
    )
  else if ((k === "edit" || (other && k === "apply_patch")) && diff) out.push(fence(clip(diff), "diff"))
  else if (k === "write")
    out.push(
      `\`${oneLine(other ? pick(input, "filePath", "file_path", "absolute_path", "path") : str(input.filePath))}\``,
      fence(clip(str(input.content))),
    )
  else if (k === "todowrite" || k === "todoread") {
    const list = Array.isArray(meta.todos) ? meta.todos : arr(input.todos).length ? input.todos : input.plan
    for (const t of arr(list).filter(isRec))
      out.push(
        `- [${t.status === "completed" ? "x" : " "}] ${oneLine(str(t.content) || str(t.description) || str(t.step))} (${oneLine(str(t.status))})`,
      )
  } else if (k === "plan" && (str(input.plan) || str(meta.plan))) out.push(str(input.plan) || str(meta.plan))
  else {
    if (Object.keys(input).length) out.push(fence(clip(text(input)), "json"))
    if (str(state.output)) out.push(fence(clip(str(state.output))))
  }
  if (status === "error") out.push(`> Error: ${oneLine(str(state.error))}`)
  return out.join("\n\n")
}

function part(p: Rec, role: string, agent: string): string {
  switch (str(p.type)) {
    case "text":
      return p.synthetic === true || !str(p.text).trim()
        ? ""
        : role === "user"
          ? str(p.text)
              .split("\n")
              .map((l) => `> ${l}`)
              .join("\n")
          : str(p.text)
    case "reasoning":
      return str(p.text).trim() ? `<details><summary>Thinking</summary>\n\n${str(p.text)}\n\n</details>` : ""
    case "tool":
      return tool(p, agent)
    case "file":
      return `📎 ${oneLine(str(p.filename) || "attachment")} (${oneLine(str(p.mime))})`
    case "retry":
      return `_Retry ${num(p.attempt)}: ${oneLine(str(get(p, "error", "data", "message")))}_`
    case "compaction":
      return "---\n_Compaction_\n---"
    case "subtask":
      return `**Subtask** (${oneLine(str(p.agent))}): ${oneLine(str(p.description))}\n\n${fence(str(p.prompt))}`
    case "step-start":
    case "step-finish":
    case "snapshot":
    case "patch":
    case "agent":
      return ""
    default:
      return fence(clip(text(p)), "json")
  }
}

function message(m: Msg, t: Transcript): string {
  const agent = Agent.of(t, str(m.info.sessionID))
  const who =
    m.role === "user"
      ? "User"
      : m.role === "assistant"
        ? `Assistant${str(m.info.modelID) ? ` (${oneLine(str(m.info.modelID))})` : ""}`
        : "Message"
  const parts = m.parts.map((p) => part(p, m.role, agent)).filter(Boolean)
  const err = rec(m.info.error)
  if (str(err.name) === "MessageAbortedError") parts.push("_Interrupted_")
  else if (str(err.name)) parts.push(`> **${oneLine(str(err.name))}**: ${oneLine(str(get(err, "data", "message")))}`)
  return `### ${who}\n\n${parts.join("\n\n")}`
}

function turn(t: Turn, x: Transcript): string {
  const created = opt(get(t.user?.info, "time", "created"))
  const when = created !== undefined ? ` · ${new Date(created).toISOString()}` : ""
  const diffs = arr(get(t.user?.info, "summary", "diffs"))
    .filter(isRec)
    .map((d) => Diff.normalize(d))
  const changes = diffs.length
    ? `\n\n**Files changed:** ${diffs.map((d) => `\`${oneLine(d.file)}\` (+${d.additions} −${d.deletions})`).join(", ")}`
    : ""
  return `## Turn ${t.index + 1}${when}\n\n${[t.user, ...t.replies]
    .filter((m): m is Msg => !!m)
    .map((m) => message(m, x))
    .join("\n\n")}${changes}`
}

export function markdown(t: Transcript, url: string): string {
  const info = t.root.info
  const x = t.totals
  const head = [
    `# ${oneLine(str(info.title) || "Shared session")}`,
    "",
    `- Source: ${url}`,
    Agent.label(info)
      ? `- Agent: ${oneLine(Agent.label(info))}${str(rec(info.source).branch) ? ` (branch ${oneLine(str(rec(info.source).branch))})` : ""}`
      : "",
    str(info.version) ? `- OpenCode: v${oneLine(str(info.version))}` : "",
    t.models.length ? `- Models: ${t.models.map(oneLine).join(", ")}` : "",
    `- Messages: ${x.messages}, turns: ${t.root.turns.length}`,
    `- Cost: ${Format.cost(Agent.label(info) ? Math.max(x.cost, num(info.cost)) : x.cost)}; tokens: ${x.input} input, ${x.output} output, ${x.reasoning} reasoning, ${x.cacheRead} cache read, ${x.cacheWrite} cache write`,
    x.busy > 0 ? `- Agent work: ${Format.duration(x.busy)}` : "",
    x.started !== undefined && x.ended !== undefined ? `- Wall time: ${Format.duration(x.ended - x.started)}` : "",
  ]
    .filter((l, i) => i < 2 || l)
    .join("\n")
  // The files this session's own calls changed (not the worktree's session_diff).
  const files = Changes.files(t).map(Changes.compose)
  const panel = files.length
    ? `\n\n## Files changed\n\n${files.map((d) => `- \`${oneLine(d.path)}\` (+${d.additions} −${d.deletions})${d.status === "modified" ? "" : ` ${d.status}`}`).join("\n")}`
    : ""
  // Private by default: the sharer's directory and home never leave in the Markdown either.
  return Paths.scrub(`${head}${panel}\n\n${t.root.turns.map((x) => turn(x, t)).join("\n\n")}\n`, Paths.of(t))
}
