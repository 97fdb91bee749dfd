/**
 * REDACT_ON_INGEST with the real OpenCode client (opencode-ai@1.18.33, `opencode serve`, its own
 * share sync) and a scripted fake model whose bash call prints a `.env` holding a fake AWS key
 * and a fake OpenAI key. For each mode: where the keys end up (the SQLite file and its WAL, the
 * page, `.json`, `.md`, `/api/share/:id/data`, the live event stream and the fragments a live
 * viewer fetches on each event).
 */
import assert from "node:assert/strict"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import * as FakeLlm from "../support/fake-llm.ts"
import * as Opencode from "../support/opencode.ts"
import { until } from "../support/wait.ts"
import { start } from "../secrets/server.ts"

// Fake keys in real formats; split so no scanner flags this file.
const AWS = "AKIA" + "Q3EGRHJ5KVMXTN4W"
const OPENAI = "sk-proj-" + "Zt8kQ2mV9xLp4RwN7bYc3HdF6jGs1TqU5eAo0iKl" + "T3BlbkFJ" + "Xw2Ry7Pn4Mk9Lb6Vc3Zq8Hs5Jd1Ft0Gu"
const ENV = `AWS_ACCESS_KEY_ID=${AWS}\nOPENAI_API_KEY=${OPENAI}\n`
/** Any 12 characters of a key's body count as a leak, not only the whole key. */
const leaks = (text: string) =>
  [AWS, OPENAI].filter((k) => text.includes(k) || text.includes(k.slice(4, 16)) || text.includes(k.slice(-12)))

const PROMPT = "Show me the .env file [[env]]"
const SCRIPT: FakeLlm.Script = {
  rules: [
    {
      match: "[[env]]",
      steps: [
        { toolCalls: [{ name: "bash", arguments: { command: "cat .env", description: "Show the env file" } }] },
        { text: "That is the env file." },
      ],
    },
    { match: FakeLlm.PLAIN, steps: [{ text: "Plain answer, no tools." }] },
  ],
  default: [{ text: "Nothing to do." }],
}

type Item = { type: string; data: Record<string, any> }

// Outside CI a missing client skips with its reason; under CI every test runs and fails with it.
const { skip, bin } = await Opencode.required()

/** Undone in reverse order after the suite, also when a test failed half way. */
const cleanups: (() => Promise<unknown>)[] = []

/**
 * One session through the real client against a server in `mode`, watched live from its start:
 * the prompt that prints the keys, then (once the server has seen that turn) a plain prompt
 * whose answer marks the end: in `reject` mode the first turn's batches may all be refused.
 */
async function session(mode: "redact" | "reject" | "off", llm: FakeLlm.FakeLlm) {
  const t = await start(mode)
  cleanups.push(() => t.close())
  const box = await Opencode.sandbox({ bin: bin(), shareUrl: t.server.url, llmUrl: llm.url })
  cleanups.push(() => box.dispose())
  writeFileSync(join(box.project, ".env"), ENV)
  const srv = await Opencode.serve(box)
  cleanups.push(() => srv.close())
  const created = await srv.request("POST", "/session", { title: "secrets e2e" })
  assert.equal(created.status, 200, JSON.stringify(created.json))
  const sessionID = (created.json as { id: string }).id
  const shared = await srv.request("POST", `/session/${sessionID}/share`)
  assert.equal(shared.status, 200, JSON.stringify(shared.json))
  const url = (shared.json as { share?: { url?: string } }).share?.url ?? ""
  const id = url.slice(`${t.server.url}/share/`.length)
  assert.match(id, /^s_/)

  // A live viewer: the event stream, and on each sync the fragment the page's script fetches.
  const live = { stream: "", fragments: "" }
  const ac = new AbortController()
  const res = await fetch(`${t.server.url}/share/${id}/events`, {
    headers: { accept: "text/event-stream" },
    signal: ac.signal,
  })
  const reading = (async () => {
    const decoder = new TextDecoder()
    try {
      for await (const chunk of res.body!) {
        const text = decoder.decode(chunk, { stream: true })
        live.stream += text
        for (const m of text.matchAll(/^event: sync\ndata: (.*)$/gm)) {
          const turns = (JSON.parse(m[1]) as { turns: string[] }).turns
          const query = turns.map((x) => `turn=${encodeURIComponent(x)}`).join("&")
          live.fragments += await (await fetch(`${t.server.url}/share/${id}/fragment?${query}`)).text()
        }
      }
    } catch {
      // aborted when the test is done
    }
  })()
  cleanups.push(async () => {
    ac.abort()
    await reading
  })

  const prompt = await srv.request(
    "POST",
    `/session/${sessionID}/message`,
    { parts: [{ type: "text", text: PROMPT }] },
    180_000,
  )
  assert.equal(prompt.status, 200, JSON.stringify(prompt.json).slice(0, 1000))
  const items = async () => (await (await fetch(`${t.server.url}/api/share/${id}/data`)).json()) as Item[]
  const texts = async () =>
    (await items()).filter((i) => i.type === "part" && i.data.type === "text").map((i) => String(i.data.text))
  // The client flushes about a second after each change: wait until the server has dealt with
  // the turn that printed the keys (stored it, or refused it in reject mode).
  await until(
    async () =>
      mode === "reject"
        ? t.logs.join("").includes("sync rejected: secrets found")
          ? true
          : undefined
        : (await texts()).includes("That is the env file.")
          ? true
          : undefined,
    {
      timeoutMs: 60_000,
      what: "the server to receive the turn with the keys",
    },
  )
  const plain = await srv.request(
    "POST",
    `/session/${sessionID}/message`,
    { parts: [{ type: "text", text: `Thanks ${FakeLlm.PLAIN}` }] },
    180_000,
  )
  assert.equal(plain.status, 200, JSON.stringify(plain.json).slice(0, 1000))
  await until(async () => ((await texts()).includes("Plain answer, no tools.") ? true : undefined), {
    timeoutMs: 60_000,
    what: "the plain answer on the share",
  })
  // What the client itself holds: proof the keys were in the session it uploaded.
  const local = JSON.stringify((await srv.request("GET", `/session/${sessionID}/message`)).json)
  return { t, id, items: await items(), local, live, logs: () => srv.output() }
}

type Session = Awaited<ReturnType<typeof session>>
const bash = (items: Item[]) => items.filter((i) => i.type === "part" && i.data.tool === "bash").map((i) => i.data)

describe(`REDACT_ON_INGEST with the real OpenCode ${Opencode.VERSION} client`, { skip }, () => {
  let llm: FakeLlm.FakeLlm
  before(async () => {
    llm = await FakeLlm.start({ script: SCRIPT })
  })
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined)
    await llm?.close()
  })

  const everything = async (s: Session) => {
    const get = async (path: string) => (await fetch(`${s.t.server.url}${path}`)).text()
    return {
      page: await get(`/share/${s.id}`),
      json: await get(`/share/${s.id}.json`),
      md: await get(`/share/${s.id}.md`),
      data: await get(`/api/share/${s.id}/data`),
      database: s.t.database(),
      stream: s.live.stream,
      fragments: s.live.fragments,
    }
  }

  it("redact: the keys never reach the database, the page, .json, .md, /data or a live event", async () => {
    const s = await session("redact", llm)
    assert.deepEqual(leaks(s.local), [AWS, OPENAI], "the client's own session holds both keys")
    const where = await everything(s)
    for (const [name, text] of Object.entries(where)) assert.deepEqual(leaks(text), [], `a key leaked into ${name}`)
    assert.ok(where.stream.includes("event: sync"), "the live stream carried sync events")
    assert.ok(where.fragments.includes("[redacted:openai]"), "a live viewer fetched the redacted output")

    const output = bash(s.items)
      .map((p) => String(p.state?.output ?? ""))
      .join("")
    assert.equal(output, "AWS_ACCESS_KEY_ID=[redacted:aws-access-key]\nOPENAI_API_KEY=[redacted:openai]\n")
    const meta = (await (await fetch(`${s.t.server.url}/api/share/${s.id}`)).json()) as { redactions: number }
    assert.ok(meta.redactions >= 2, `redactions: ${meta.redactions}`)
    assert.ok(where.page.includes(`${meta.redactions} secrets were redacted on upload.`))
    assert.ok(
      where.page.includes(
        '<span class="redacted" title="A secret (aws-access-key) was redacted here">[redacted:aws-access-key]</span>',
      ),
    )
    assert.deepEqual(leaks(s.t.logs.join("")), [])
  })

  it("reject: nothing of a sync holding a key is stored; the stock client drops that batch and goes on", async (ctx) => {
    const s = await session("reject", llm)
    ctx.diagnostic(
      `stored bash part states: ${JSON.stringify(bash(s.items).map((p) => ({ status: p.state?.status, output: p.state?.output ?? null })))}`,
    )
    // The stock client logs the 400 and drops the whole batch (every item in it, not only the
    // one holding the key); it never retries it.
    assert.match(s.logs(), /"failed to sync share".*status=400/)
    assert.deepEqual(leaks(s.local), [AWS, OPENAI], "the client's own session holds both keys")
    const where = await everything(s)
    for (const [name, text] of Object.entries(where)) assert.deepEqual(leaks(text), [], `a key leaked into ${name}`)
    assert.match(s.t.logs.join(""), /sync rejected: secrets found/)
    // The bash part stays at the last state that held no key (no output), or is missing.
    for (const p of bash(s.items))
      assert.ok(!String(p.state?.output ?? "").includes("AWS_ACCESS_KEY_ID"), JSON.stringify(p.state))
    assert.ok(!where.data.includes("[redacted:"), "reject stores no redacted copy either")
    // Later syncs without a key were accepted: the next turn reached the share.
    assert.ok(s.items.some((i) => i.type === "part" && i.data.text === "Plain answer, no tools."))
    const meta = (await (await fetch(`${s.t.server.url}/api/share/${s.id}`)).json()) as { redactions: number }
    assert.equal(meta.redactions, 0)
    assert.ok(!where.page.includes('class="redactions"'))
  })

  it("off: the keys are stored as they arrive (the checks above can fail)", async () => {
    const s = await session("off", llm)
    const where = await everything(s)
    assert.deepEqual(leaks(where.database), [AWS, OPENAI])
    assert.deepEqual(leaks(where.data), [AWS, OPENAI])
    assert.deepEqual(leaks(where.page), [AWS, OPENAI])
    assert.deepEqual(leaks(where.fragments), [AWS, OPENAI])
  })
})
