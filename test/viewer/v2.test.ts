/**
 * OpenCode V2 share items, as OpenCode's last share reader read them (share-document.ts): a
 * session with `location` and a `messages` batch `{sessionID, messages}`. Keyed once per
 * session, ranked so an older batch never replaces a newer one, and drawn with the same turns
 * and renderers as a V1 session, without the sharer's directory.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { keyItem, type SyncItem } from "../../src/schema/index.ts"
import { share, testApp, type TestApp } from "../support/app.ts"

const SID = "ses_0v2share000000000000000"
const DIR = "/home/alice/private/work/app"
const T = 1_800_000_000_000

const session = (updated: number) => ({
  id: SID,
  projectID: "prj_1",
  title: "Fix the greeting",
  cost: 0.02,
  tokens: { input: 10, output: 5, reasoning: 0, cache: { read: 0, write: 0 } },
  location: { directory: DIR },
  time: { created: T, updated },
})

const user = {
  id: "msg_0001",
  type: "user",
  text: "Make hello.txt say hello world",
  metadata: { agent: "build", model: { id: "gpt-9", providerID: "acme" } },
  time: { created: T + 1 },
}
const assistant = (done: boolean) => ({
  id: "msg_0002",
  type: "assistant",
  agent: "build",
  model: { id: "gpt-9", providerID: "acme" },
  content: [
    { type: "reasoning", text: "The file needs one more word.", time: { created: T + 2, completed: T + 3 } },
    {
      type: "tool",
      id: "call_1",
      name: "bash",
      state: {
        status: "completed",
        input: { command: "cat hello.txt", description: "Read it" },
        content: [{ type: "text", text: "hello" }],
        metadata: { output: "hello", exit: 0 },
      },
      time: { created: T + 4, completed: T + 5 },
    },
    {
      type: "tool",
      id: "call_2",
      name: "edit",
      state: {
        status: "completed",
        input: { filePath: `${DIR}/hello.txt`, oldString: "hello", newString: "hello world" },
        content: [{ type: "text", text: "Edit applied." }],
        metadata: { diff: "--- hello.txt\n+++ hello.txt\n@@ -1 +1 @@\n-hello\n+hello world\n" },
      },
      time: { created: T + 6, completed: T + 7 },
    },
    ...(done ? [{ type: "text", text: "Done: hello.txt now says hello world." }] : []),
  ],
  tokens: { input: 10, output: 5, reasoning: 0, cache: { read: 0, write: 0 } },
  cost: 0.02,
  time: done ? { created: T + 2, completed: T + 9 } : { created: T + 2 },
})
const extra = [
  {
    id: "msg_0003",
    type: "shell",
    shellID: "sh_1",
    command: "ls",
    status: "exited",
    exit: 0,
    output: "hello.txt",
    time: { created: T + 10, completed: T + 11 },
  },
  {
    id: "msg_0004",
    type: "location-switched",
    location: { directory: "/home/alice/elsewhere" },
    time: { created: T + 12 },
  },
  { id: "msg_0005", type: "idle", outcome: "succeeded", time: { created: T + 13 } },
  { id: "msg_0006", type: "something-newer", payload: 1, time: { created: T + 14 } },
]

const batch = (messages: unknown[]): SyncItem => ({ type: "messages", data: { sessionID: SID, messages } })

describe("OpenCode V2 share items", () => {
  let t: TestApp
  let s: { id: string; secret: string }
  const sync = async (data: SyncItem[]) => {
    const r = await t.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data })
    assert.equal(r.status, 200, await r.clone().text())
    return (await r.json()) as { accepted: number; stale: number; dropped: unknown[] }
  }
  const page = async () => (await t.app.request(`/share/${s.id}`)).text()

  before(async () => {
    t = await testApp()
    s = await share(t, SID)
  })
  after(() => t.close())

  it("keys one messages batch per session and ranks a grown batch above an older one", () => {
    const a = keyItem(batch([user]), "ses_other")
    const b = keyItem(batch([user, assistant(false)]), "ses_other")
    const c = keyItem(batch([user, assistant(true)]), "ses_other")
    assert.ok(a.ok && b.ok && c.ok)
    assert.equal(a.item.key, `messages/${SID}`)
    assert.equal(a.item.sessionID, SID)
    assert.ok(a.item.rank < b.item.rank && b.item.rank < c.item.rank, [a.item.rank, b.item.rank, c.item.rank].join(" "))
    const bad = keyItem({ type: "messages", data: { messages: [] } }, SID)
    assert.equal(bad.ok, false)
  })

  it("shows a running V2 session as working, then its last answer once the batch completes", async () => {
    await sync([{ type: "session", data: session(T + 5) }, batch([user, assistant(false)])])
    const running = await page()
    assert.match(running, /Make hello\.txt say hello world/)
    assert.match(running, /working…/)
    const done = await sync([{ type: "session", data: session(T + 20) }, batch([user, assistant(true), ...extra])])
    assert.equal(done.accepted, 2)
    const stale = await sync([batch([user, assistant(false)])])
    assert.equal(stale.stale, 1, "an older batch does not replace a newer one")
    const html = await page()
    assert.match(html, /Done: hello\.txt now says hello world\./)
    assert.doesNotMatch(html, /working…/)
  })

  it("draws thinking, each tool with its own renderer, the edit's diff and the shell command", async () => {
    const html = await page()
    assert.match(html, /The file needs one more word\./)
    assert.match(html, /<details class="tool bash [^"]*" id="p-msg_0002-0001"/)
    assert.match(html, /<details class="tool edit [^"]*" id="p-msg_0002-0002"/)
    assert.match(html, /class="da"[^>]*>\+hello world</)
    assert.match(html, /<details class="tool bash [^"]*" id="p-msg_0003-0000"/)
    assert.match(html, /gpt-9/)
    assert.match(html, /Switched to another directory/)
    assert.match(html, /something-newer/, "a message type this viewer does not know is shown raw, not dropped")
  })

  it("never shows the sharer's directory", async () => {
    const html = await page()
    assert.ok(!html.includes("/home/alice"), "no absolute path on the page")
    const md = await (await t.app.request(`/share/${s.id}.md`)).text()
    assert.match(md, /Done: hello\.txt now says hello world\./)
    assert.ok(!md.includes("/home/alice"))
  })

  it("serves the batch to OpenCode's reader through /data", async () => {
    const data = (await (await t.app.request(`/api/share/${s.id}/data`)).json()) as SyncItem[]
    assert.deepEqual(data.map((i) => i.type).sort(), ["messages", "session"])
  })
})
