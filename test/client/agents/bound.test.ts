/** Hostile session files: a reader skips lines that are too long, cuts strings, arrays and
 * nesting to what the server accepts, and the server takes every item it makes. */
import assert from "node:assert/strict"
import { appendFileSync } from "node:fs"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import * as Agents from "../../../src/client/local/agents/index.ts"
import { MAX_LINE } from "../../../src/client/local/agents/bound.ts"
import { DEFAULT_ITEM_LIMIT } from "../../../src/schema/index.ts"
import { publish } from "../../support/agents/share.ts"
import * as T from "./support.ts"

const SID = "22222222-2222-4333-8444-555555555555"
const at = (s: number) => new Date(Date.parse("2026-11-30T10:00:00.000Z") + s * 1000).toISOString()
const env = (uuid: string, s: number) => ({
  sessionId: SID,
  uuid,
  timestamp: at(s),
  cwd: "/work/proj",
  version: "2.1.328",
})
const call = (s: number, id: string, input: unknown) => ({
  ...env(`a${id}`, s),
  type: "assistant",
  message: {
    id: `msg_${id}`,
    model: "claude-opus-5-5",
    content: [{ type: "tool_use", id, name: "Bash", input }],
    stop_reason: "tool_use",
    usage: {},
  },
})

describe("readers on hostile files", () => {
  const { dir, dispose } = T.tmp()
  after(dispose)
  const path = join(dir, "projects", "p", `${SID}.jsonl`)
  let deep = "0"
  for (let i = 0; i < 100_000; i++) deep = `[${deep}]`
  T.write(
    path,
    T.jsonl([
      { ...env("u1", 1), type: "user", message: { role: "user", content: "go" } },
      call(2, "t1", { command: "yes | head -c 6000000" }),
      {
        ...env("r1", 3),
        type: "user",
        message: {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "t1", content: "y\n".repeat(3_000_000) }],
        },
        toolUseResult: { stdout: "y\n".repeat(3_000_000), stderr: "" },
      },
      `{"type":"assistant","uuid":"a2","timestamp":"${at(4)}","message":{"id":"msg_t2","content":[{"type":"tool_use","id":"t2","name":"Bash","input":{"command":"deep","nested":${deep}}}],"stop_reason":"tool_use"}}`,
      call(5, "t3", { command: "wide", list: Array.from({ length: 50_000 }, (_, i) => i) }),
    ]),
  )
  // One record longer than a reader holds, then one it must still read.
  appendFileSync(path, `{"type":"user","pad":"${"x".repeat(MAX_LINE + 10)}"}\n`)
  appendFileSync(
    path,
    `${JSON.stringify({ ...env("u2", 6), type: "user", message: { role: "user", content: "after the long line" } })}\n`,
  )
  const read = Agents.read("claude-code", path)

  it("skips a line longer than the limit and reads on after it", () => {
    assert.equal(read.stats.oversized, 1)
    assert.ok(T.parts(read.items).some((p) => p.text === "after the long line"))
  })

  it("cuts a huge output so its item fits the server's item limit", () => {
    const part = read.items.find((i) => i.type === "part" && (i.data as T.Rec).callID === "t1")!
    const size = JSON.stringify(part.data).length
    assert.ok(size <= DEFAULT_ITEM_LIMIT, `${size} <= ${DEFAULT_ITEM_LIMIT}`)
    assert.match((part.data as T.Rec).state.output, /more characters not shared$/)
  })

  it("cuts deep nesting and long arrays", () => {
    const deepPart = T.parts(read.items).find((p) => p.callID === "t2")!
    assert.match(JSON.stringify(deepPart.state.input.nested), /nested too deep to share/)
    const wide = T.parts(read.items).find((p) => p.callID === "t3")!
    assert.equal(wide.state.input.list.length, 10_001)
  })

  it("makes items the server accepts, every one of them", async () => {
    const page = await publish(read.items, SID)
    assert.equal(page.json.length, read.items.length)
  })
})
