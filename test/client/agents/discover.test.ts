/** Local sessions of every agent, listed newest first, and the latest one of a directory
 * whichever agent wrote it (Gemini's root from .project_root, projects.json or its hash). */
import assert from "node:assert/strict"
import { createHash } from "node:crypto"
import { utimesSync } from "node:fs"
import { join } from "node:path"
import { after, describe, it } from "node:test"
import * as Agents from "../../../src/client/local/agents/index.ts"
import * as T from "./support.ts"

const T0 = Date.parse("2026-11-30T10:00:00.000Z") / 1000
const touch = (path: string, s: number) => utimesSync(path, T0 + s, T0 + s)

describe("local session discovery", () => {
  const { dir: home, dispose } = T.tmp()
  after(dispose)
  const files: Record<string, string> = {
    claude: join(home, ".claude", "projects", "-work-a", "aaaaaaaa-0000-4000-8000-000000000001.jsonl"),
    codex: join(
      home,
      ".codex",
      "sessions",
      "2026",
      "11",
      "30",
      "rollout-2026-11-30T10-00-00-01a230ad-0000-7000-8000-000000000002.jsonl",
    ),
    codexChild: join(
      home,
      ".codex",
      "sessions",
      "2026",
      "11",
      "30",
      "rollout-2026-11-30T10-00-05-01a230ad-0000-7000-8000-000000000003.jsonl",
    ),
    gemini: join(home, ".gemini", "tmp", "a", "chats", "session-2026-11-30T10-00-bbbbbbbb.jsonl"),
    geminiHashed: join(home, ".gemini", "tmp", "old", "chats", "session-2026-11-29T10-00-cccccccc.jsonl"),
  }
  T.write(
    files.claude,
    T.jsonl([
      {
        type: "user",
        sessionId: "x",
        cwd: "/work/a",
        timestamp: "2026-11-30T10:00:00Z",
        message: { role: "user", content: "Claude prompt\nsecond line" },
      },
      { type: "custom-title", customTitle: "Named by the user" },
    ]),
  )
  T.write(
    files.codex,
    T.jsonl([
      { type: "session_meta", payload: { id: "01a230ad-0000-7000-8000-000000000002", cwd: "/work/a" } },
      {
        type: "response_item",
        payload: {
          type: "message",
          role: "user",
          content: [{ type: "input_text", text: "<environment_context>x</environment_context>" }],
        },
      },
      {
        type: "response_item",
        payload: { type: "message", role: "user", content: [{ type: "input_text", text: "Codex prompt" }] },
      },
    ]),
  )
  T.write(
    files.codexChild,
    T.jsonl([
      {
        type: "session_meta",
        payload: {
          id: "01a230ad-0000-7000-8000-000000000003",
          cwd: "/work/a",
          parent_thread_id: "01a230ad-0000-7000-8000-000000000002",
        },
      },
    ]),
  )
  T.write(join(home, ".gemini", "projects.json"), JSON.stringify({ projects: { "/work/a": "a" } }))
  T.write(
    files.gemini,
    T.jsonl([
      {
        sessionId: "bbbbbbbb-0000-4000-8000-000000000004",
        projectHash: createHash("sha256").update("/work/a").digest("hex"),
        kind: "main",
      },
      { id: "u", type: "user", content: [{ text: "Gemini prompt" }] },
    ]),
  )
  // No .project_root and not in projects.json: only the header's hash names the root.
  T.write(
    files.geminiHashed,
    T.jsonl([
      {
        sessionId: "cccccccc-0000-4000-8000-000000000005",
        projectHash: createHash("sha256").update("/work/b").digest("hex"),
        kind: "main",
      },
      { id: "u", type: "user", content: [{ text: "Older Gemini prompt" }] },
    ]),
  )
  touch(files.claude, 30)
  touch(files.codex, 20)
  touch(files.codexChild, 25)
  touch(files.gemini, 10)
  touch(files.geminiHashed, 5)
  const homes = { home }

  it("lists the sessions of every agent, newest first, with directory and title", () => {
    const list = Agents.list(homes)
    assert.deepEqual(
      list.map((l) => [l.agent, l.directory, l.title]),
      [
        ["claude-code", "/work/a", "Named by the user"],
        ["codex", "/work/a", "Codex prompt"],
        ["gemini-cli", "/work/a", "Gemini prompt"],
        ["gemini-cli", undefined, "Older Gemini prompt"],
      ],
    )
    assert.deepEqual(
      list.map((l) => l.id),
      [
        "aaaaaaaa-0000-4000-8000-000000000001",
        "01a230ad-0000-7000-8000-000000000002",
        "bbbbbbbb-0000-4000-8000-000000000004",
        "cccccccc-0000-4000-8000-000000000005",
      ],
    )
    assert.equal(list[0].updated, (T0 + 30) * 1000)
  })

  it("picks the latest session of a directory, whichever agent wrote it", () => {
    assert.equal(Agents.latest(homes, "/work/a")?.agent, "claude-code")
    touch(files.gemini, 40)
    assert.equal(Agents.latest(homes, "/work/a")?.agent, "gemini-cli")
    assert.equal(Agents.latest(homes, "/work/a", ["codex"])?.agent, "codex")
    assert.equal(
      Agents.latest(homes, "/work/b")?.id,
      "cccccccc-0000-4000-8000-000000000005",
      "matched by Gemini's projectHash",
    )
    assert.equal(Agents.latest(homes, "/work/none"), undefined)
  })

  it("tells the agent from a session file's path", () => {
    assert.equal(Agents.agentOf(files.claude), "claude-code")
    assert.equal(Agents.agentOf(files.codex), "codex")
    assert.equal(Agents.agentOf(files.gemini), "gemini-cli")
    assert.equal(Agents.agentOf("/tmp/notes.jsonl"), undefined)
  })

  it("honours the agents' own home settings", () => {
    assert.deepEqual(
      Agents.list({ home: "/nonexistent", claude: join(home, ".claude") }).map((l) => l.agent),
      ["claude-code"],
    )
  })
})
