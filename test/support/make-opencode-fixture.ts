/**
 * Regenerates test/fixtures/opencode/ with the real OpenCode client and the fake model: a session
 * whose agent writes, runs, edits and delegates to a subagent, never shared.
 *
 *   node_modules/.bin/node test/support/make-opencode-fixture.ts [OUT_DIR]
 *
 * Writes `session.export.json` (the parent), `subagent.export.json` (the child session),
 * `opencode.db` (OpenCode's database, compacted; only when under 1 MB) and `manifest.json`.
 */
import { statSync, writeFileSync, rmSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { fileURLToPath } from "node:url"
import * as FakeLlm from "./fake-llm.ts"
import * as Opencode from "./opencode.ts"

const MAX_DB_BYTES = 1024 * 1024
export const PROMPT = `Please create file:notes.txt, run echo hi, edit the file, then delegate ${FakeLlm.SUBAGENT}`

export type Manifest = { version: string; sessionID: string; childSessionID: string; prompt: string; database: boolean }

export async function make(out: string): Promise<Manifest> {
  const client = await Opencode.client()
  if (!client.ok) throw new Error(client.reason)
  const llm = await FakeLlm.start()
  // Nothing is shared, so the share server is never contacted; port 9 (discard) is never open here.
  const box = await Opencode.sandbox({ bin: client.bin, shareUrl: "http://127.0.0.1:9", llmUrl: llm.url })
  try {
    const run = await Opencode.run(box, PROMPT, { share: false })
    if (run.code !== 0 || !run.sessionID)
      throw new Error(`opencode run exited ${run.code}:\n${run.stderr.slice(-2000)}`)
    const parent = await Opencode.exportSession(box, run.sessionID)
    const task = parent.messages.flatMap((m) => m.parts).find((p) => p.type === "tool" && p.tool === "task") as
      | { state?: { metadata?: { sessionId?: string } } }
      | undefined
    const childSessionID = task?.state?.metadata?.sessionId
    if (!childSessionID) throw new Error("the run made no task part with a child session")
    const child = await Opencode.exportSession(box, childSessionID)
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, "session.export.json"), `${JSON.stringify(parent, null, 2)}\n`)
    writeFileSync(join(out, "subagent.export.json"), `${JSON.stringify(child, null, 2)}\n`)
    // VACUUM INTO folds the WAL in and drops free pages: one small self-contained file.
    const dbOut = join(out, "opencode.db")
    rmSync(dbOut, { force: true })
    const db = new DatabaseSync(Opencode.databasePath(box))
    try {
      db.prepare("VACUUM INTO ?").run(dbOut)
    } finally {
      db.close()
    }
    const database = statSync(dbOut).size < MAX_DB_BYTES
    if (!database) rmSync(dbOut)
    const manifest: Manifest = {
      version: Opencode.VERSION,
      sessionID: run.sessionID,
      childSessionID,
      prompt: PROMPT,
      database,
    }
    writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`)
    return manifest
  } finally {
    await llm.close()
    await box.dispose()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? fileURLToPath(new URL("../fixtures/opencode/", import.meta.url))
  console.log(JSON.stringify(await make(out), null, 2))
}
