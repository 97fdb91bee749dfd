/** The page header: the title; the agent, models with their provider, project, created and
 * updated; one summary line (turns, files changed, agent work time, cost, tokens) and the
 * rest of the figures on demand. */
import * as Agent from "./agent.ts"
import * as Changes from "./changes.ts"
import { escape } from "./escape.ts"
import * as Format from "./format.ts"
import * as Paths from "./paths.ts"
import * as Redacted from "./redacted.ts"
import type { Transcript } from "./model.ts"
import { get, num, opt, rec, str } from "./read.ts"

export function title(t: Transcript): string {
  return str(t.root.info.title) || "Shared session"
}

/** Whether the share is still being written: its last assistant message never completed. */
export type Liveness = { updatedAt: number; now: number; idleAfterMs: number }

/** Milliseconds until a share that is working reads as ended; undefined when it is not working
 * or already quiet. */
export function idleIn(t: Transcript, l: Liveness | undefined): number | undefined {
  if (!l || !running(t)) return undefined
  const left = l.idleAfterMs - (l.now - l.updatedAt)
  return left > 0 ? left : undefined
}

export const isIdle = (t: Transcript, l: Liveness | undefined) => !!l && running(t) && idleIn(t, l) === undefined

export function running(t: Transcript): boolean {
  const last = t.root.turns.at(-1)
  return (
    !!last &&
    last.replies.some(
      (m) => m.role === "assistant" && opt(get(m.info, "time", "completed")) === undefined && !m.info.error,
    )
  )
}

const PROVIDERS: Record<string, string> = {
  anthropic: "Anthropic",
  openai: "OpenAI",
  google: "Google",
  "google-vertex": "Google Vertex",
  azure: "Azure",
  "amazon-bedrock": "Amazon Bedrock",
  openrouter: "OpenRouter",
  mistral: "Mistral",
  xai: "xAI",
  groq: "Groq",
  deepseek: "DeepSeek",
  opencode: "OpenCode Zen",
  "github-copilot": "GitHub Copilot",
  ollama: "Ollama",
}

/** The models that wrote the session, each with its provider: "Claude X · Anthropic". */
export function models(t: Transcript): { name: string; provider: string }[] {
  const names = new Map<string, string>()
  for (const s of t.sessions.values())
    for (const m of s.models) if (str(m.id)) names.set(`${str(m.providerID)}/${str(m.id)}`, str(m.name) || str(m.id))
  const out = new Map<string, { name: string; provider: string }>()
  for (const s of t.sessions.values())
    for (const m of s.messages) {
      const id = str(m.info.modelID) || str(get(m.info, "model", "modelID"))
      if (!id) continue
      const p = str(m.info.providerID) || str(get(m.info, "model", "providerID"))
      const name = names.get(`${p}/${id}`) ?? id
      out.set(`${p}/${name}`, { name, provider: Object.hasOwn(PROVIDERS, p) ? PROVIDERS[p] : p })
      if (out.size >= 8) break
    }
  return [...out.values()]
}

/** "Claude Code 2.1.328", or "OpenCode 1.18.33" for OpenCode's own sessions. */
export function agent(t: Transcript): string {
  const info = t.root.info
  return Agent.label(info) || (str(info.version) ? `OpenCode ${str(info.version).replace(/^v/, "")}` : "")
}

export function project(t: Transcript): string {
  const root = Paths.of(t).root
  return root.length > 1 ? Format.splitPath(root.replace(/\\/g, "/")).name : ""
}

export type HeaderInput = { base: string; redactions?: number; liveness?: Liveness; view?: "conversation" | "changes" }

export function header(t: Transcript, input: HeaderInput): string {
  const info = t.root.info
  const created = opt(get(info, "time", "created")) ?? t.totals.started
  const updated = opt(get(info, "time", "updated")) ?? t.totals.ended
  const x = t.totals
  const branch = str(rec(info.source).branch)
  const ms = models(t)
  const facts = [
    agent(t) && `<span class="fact agent-name" title="The agent that wrote this session">${escape(agent(t))}</span>`,
    ms.length &&
      `<span class="fact models">${ms.map((m) => `<span class="model">${escape(m.name)}${m.provider ? ` <span class="muted">${escape(m.provider)}</span>` : ""}</span>`).join(", ")}</span>`,
    project(t) && `<span class="fact project" title="Project">${escape(project(t))}</span>`,
    branch && `<span class="fact branch" title="git branch">⎇ ${escape(branch)}</span>`,
    created !== undefined && `<span class="fact">created ${Format.time(created)}</span>`,
    updated !== undefined && updated !== created && `<span class="fact">updated ${Format.time(updated)}</span>`,
  ]
    .filter(Boolean)
    .join("")
  const files = Changes.count(t)
  const turns = t.root.turns.length
  const tokens = x.input + x.output + x.reasoning
  const cost = Math.max(x.cost, num(info.cost))
  const left = idleIn(t, input.liveness)
  const state =
    left !== undefined
      ? '<span class="state s-running">working…</span>'
      : isIdle(t, input.liveness) && input.liveness
        ? `<span class="state s-stopped">stopped updating at ${Format.time(input.liveness.updatedAt, "time")}</span>`
        : ""
  const summary = [
    Format.plural(turns, "turn"),
    files
      ? `<a href="${escape(input.base)}?view=changes">${Format.plural(files, "file")} changed</a>`
      : "no files changed",
    x.busy > 0 && `${Format.duration(x.busy)} of agent work`,
    cost > 0 && Format.cost(cost),
    tokens > 0 && `${Format.tokens(tokens)} tokens`,
  ]
    .filter(Boolean)
    .join(" · ")
  const stat = (label: string, value: string, hint = "") =>
    `<div class="stat"${hint ? ` title="${escape(hint)}"` : ""}><dt>${label}</dt><dd>${value}</dd></div>`
  const took = x.started !== undefined && x.ended !== undefined ? x.ended - x.started : 0
  const stats = [
    stat("Cost", Format.cost(cost)),
    stat("Input", Format.tokens(x.input), `${x.input} input tokens`),
    stat("Output", Format.tokens(x.output), `${x.output} output tokens`),
    stat("Reasoning", Format.tokens(x.reasoning), `${x.reasoning} reasoning tokens`),
    stat("Cache", `${Format.tokens(x.cacheRead)} / ${Format.tokens(x.cacheWrite)}`, "cache read / write tokens"),
    stat("Agent work", Format.duration(x.busy), "time the agent spent answering, without the time it waited"),
    stat("Wall time", Format.duration(took), "from the first message to the last"),
    stat("Messages", String(x.messages)),
    t.sessions.size > 1 ? stat("Subagent sessions", String(t.sessions.size - 1)) : "",
  ].join("")
  const data = `data-seq="${t.seq}" data-total="${turns}"${left !== undefined ? ` data-idle-in="${Math.ceil(left)}"` : ""}`
  return `<section class="top" id="top" aria-label="Session" ${data}><h1>${escape(title(t))}</h1><p class="facts">${facts}</p><p class="summary">${summary}${state ? ` ${state}` : ""}</p><details class="stats"><summary>Details</summary><dl>${stats}</dl></details>${Redacted.notice(input.redactions ?? 0)}</section>`
}
