/**
 * A scripted OpenAI-compatible model for driving the real OpenCode client: `GET /v1/models` and
 * streaming `POST /v1/chat/completions`, on 127.0.0.1 inside the test process.
 *
 * The reply is chosen by the step, the number of assistant turns after the last user message
 * (how far the agent loop has got), and by the first rule whose marker the last user message
 * contains. Requests without `tools` are title or summary generation and get the title.
 * Placeholders: `{{cwd}}` is the working directory from the system prompt, `{{file}}` the NAME of
 * a `file:NAME` token in the user message (default `hello.txt`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export type ToolCall = { name: string; arguments: Record<string, unknown> }
export type Step = {
  reasoning?: string
  text?: string
  toolCalls?: ToolCall[]
  /** Think this long before answering, as a real model does. */
  delayMs?: number
}
export type Rule = { match: string; steps: Step[] }
export type Script = { rules: Rule[]; default: Step[] }

/** Put in a prompt to make the agent delegate to a subagent through the `task` tool. */
export const SUBAGENT = "[[task]]"
/** Put in a prompt for a single plain text answer. */
export const PLAIN = "[[plain]]"
/** What the subagent's prompt carries, so its own turns follow the subagent script. */
const CHILD = "[[subagent]]"

export const TITLE = "Fake session title"

const write: Step = {
  reasoning: "The user wants a file. I will write it, run a command and track todos.",
  text: "I'll create the file and run a quick command.",
  toolCalls: [
    { name: "write", arguments: { filePath: "{{cwd}}/{{file}}", content: "hello\nworld\n" } },
    { name: "bash", arguments: { command: "echo hi", description: "Print hi" } },
    {
      name: "todowrite",
      arguments: {
        todos: [
          { content: "Create {{file}}", status: "completed", priority: "high" },
          { content: "Edit {{file}}", status: "in_progress", priority: "medium" },
        ],
      },
    },
  ],
}
const edit: Step = {
  reasoning: "Now edit the file so a diff is produced.",
  toolCalls: [{ name: "edit", arguments: { filePath: "{{cwd}}/{{file}}", oldString: "world", newString: "opencode" } }],
}
const task: Step = {
  toolCalls: [
    {
      name: "task",
      arguments: { description: "Run echo in subagent", prompt: `${CHILD} please run echo`, subagent_type: "general" },
    },
  ],
}
// `opencode run --share` exits without flushing changes of its last second (PROTOCOL.md §3.6);
// a final turn that takes a while lets the tool steps before it reach the share.
const done: Step = { text: "Done. I created **{{file}}**, ran `echo hi`, and edited the file.", delayMs: 3000 }

/** write + bash + todowrite, then edit, then a final text; with SUBAGENT, a task step before it. */
export const DEFAULT_SCRIPT: Script = {
  rules: [
    {
      match: CHILD,
      steps: [
        {
          toolCalls: [
            { name: "bash", arguments: { command: "echo from-subagent", description: "Echo from subagent" } },
          ],
        },
        { text: "Subagent finished: it ran echo." },
      ],
    },
    { match: PLAIN, steps: [{ text: "Plain answer, no tools." }] },
    { match: SUBAGENT, steps: [write, edit, task, done] },
  ],
  default: [write, edit, done],
}

export type Request = { tools: string[]; step: number; rule: string | null; reply: Step }

export type FakeLlm = {
  /** Base URL for the provider's `baseURL`, ending in `/v1`. */
  url: string
  /** Every chat request answered, in order. */
  requests: Request[]
  close(): Promise<void>
}

type Message = { role?: string; content?: unknown }
type ChatBody = { model?: string; stream?: boolean; tools?: { function?: { name?: string } }[]; messages?: Message[] }

function textOf(content: unknown): string {
  if (typeof content === "string") return content
  if (!Array.isArray(content)) return ""
  return content.map((c) => (typeof c === "string" ? c : typeof c?.text === "string" ? c.text : "")).join("\n")
}

function pick(script: Script, body: ChatBody, title: string): Request {
  const tools = (body.tools ?? []).map((t) => t.function?.name ?? "")
  if (tools.length === 0) return { tools, step: 0, rule: null, reply: { text: title } }
  const messages = body.messages ?? []
  const lastUser = messages.findLastIndex((m) => m.role === "user")
  const userText = lastUser >= 0 ? textOf(messages[lastUser].content) : ""
  const step = messages.slice(lastUser + 1).filter((m) => m.role === "assistant").length
  const rule = script.rules.find((r) => userText.includes(r.match))
  const steps = rule?.steps ?? script.default
  const system = messages
    .filter((m) => m.role === "system")
    .map((m) => textOf(m.content))
    .join("\n")
  const cwd = /Working directory: (.+)/.exec(system)?.[1]?.trim() ?? "."
  const file = /file:([\w.\-/]+)/.exec(userText)?.[1] ?? "hello.txt"
  // Substituting inside the JSON text keeps tool arguments of any shape; cwd is JSON-escaped.
  const json = JSON.stringify(steps[Math.min(step, steps.length - 1)])
    .replaceAll("{{cwd}}", JSON.stringify(cwd).slice(1, -1))
    .replaceAll("{{file}}", file)
  return { tools, step, rule: rule?.match ?? null, reply: JSON.parse(json) as Step }
}

function chunks(text: string): string[] {
  return text.match(/[\s\S]{1,24}/g) ?? []
}

function answer(res: ServerResponse, body: ChatBody, reply: Step, n: number) {
  const id = `chatcmpl-fake-${n}`
  const model = body.model ?? "fake-model"
  const created = Math.floor(Date.now() / 1000)
  const calls = (reply.toolCalls ?? []).map((c, index) => ({
    index,
    id: `call_${n}_${index}`,
    name: c.name,
    arguments: JSON.stringify(c.arguments),
  }))
  const finish = calls.length > 0 ? "tool_calls" : "stop"
  const usage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 }
  if (!body.stream) {
    const message = {
      role: "assistant",
      content: reply.text ?? null,
      ...(reply.reasoning ? { reasoning_content: reply.reasoning } : {}),
      ...(calls.length > 0
        ? {
            tool_calls: calls.map((c) => ({
              id: c.id,
              type: "function",
              function: { name: c.name, arguments: c.arguments },
            })),
          }
        : {}),
    }
    res.writeHead(200, { "content-type": "application/json" })
    res.end(
      JSON.stringify({
        id,
        object: "chat.completion",
        created,
        model,
        usage,
        choices: [{ index: 0, finish_reason: finish, message }],
      }),
    )
    return
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" })
  const send = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`)
  const delta = (d: unknown, finishReason: string | null = null) =>
    send({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta: d, finish_reason: finishReason }],
    })
  delta({ role: "assistant", content: "" })
  // The client turns reasoning_content deltas into reasoning parts and content into text parts.
  for (const c of chunks(reply.reasoning ?? "")) delta({ reasoning_content: c })
  for (const c of chunks(reply.text ?? "")) delta({ content: c })
  for (const c of calls) {
    delta({ tool_calls: [{ index: c.index, id: c.id, type: "function", function: { name: c.name, arguments: "" } }] })
    delta({ tool_calls: [{ index: c.index, function: { arguments: c.arguments } }] })
  }
  delta({}, finish)
  send({ id, object: "chat.completion.chunk", created, model, choices: [], usage })
  res.end("data: [DONE]\n\n")
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    req.on("data", (d: Buffer) => parts.push(d))
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")))
    req.on("error", reject)
  })
}

export async function start(options: { script?: Script; title?: string } = {}): Promise<FakeLlm> {
  const script = options.script ?? DEFAULT_SCRIPT
  const title = options.title ?? TITLE
  const requests: Request[] = []
  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req)
      const path = new URL(req.url ?? "/", "http://x").pathname
      if (req.method === "GET" && path.endsWith("/models")) {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(
          JSON.stringify({
            object: "list",
            data: [{ id: "fake-model", object: "model", created: 0, owned_by: "fake" }],
          }),
        )
        return
      }
      if (req.method === "POST" && path.endsWith("/chat/completions")) {
        const chat = JSON.parse(body || "{}") as ChatBody
        const picked = pick(script, chat, title)
        requests.push(picked)
        const n = requests.length
        if (picked.reply.delayMs) await new Promise((resolve) => setTimeout(resolve, picked.reply.delayMs))
        // The client may have given up (or we closed) while the model "thought".
        if (!res.destroyed) answer(res, chat, picked.reply, n)
        return
      }
      res.writeHead(404, { "content-type": "application/json" })
      res.end(JSON.stringify({ error: { message: "not found" } }))
    } catch (error) {
      res.writeHead(500, { "content-type": "application/json" })
      res.end(JSON.stringify({ error: { message: String(error) } }))
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
