import assert from "node:assert/strict"
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { after, before, describe, it } from "node:test"
import { Database, Exported, Items, Session } from "../../src/client/index.ts"
import { FIXTURES, manifest, type Manifest } from "../support/cli-run.ts"

const exportDoc = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), "utf8"))

describe("reading a real OpenCode database", () => {
  let dir: string
  let path: string
  let m: Manifest
  before(async () => {
    m = await manifest()
    dir = mkdtempSync(join(tmpdir(), "agentshare-local-"))
    path = join(dir, "opencode.db")
    copyFileSync(join(FIXTURES, "opencode.db"), path)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it("reads a session exactly as `opencode export` prints it", () => {
    const db = Database.open(path)
    assert.deepEqual(db.read(m.sessionID), exportDoc("session.export.json"))
    assert.deepEqual(db.read(m.childSessionID), exportDoc("subagent.export.json"))
    db.close()
  })

  it("finds the subagent sessions and lists only root sessions as roots", () => {
    const db = Database.open(path)
    assert.deepEqual(db.descendants(m.sessionID), [m.childSessionID])
    assert.deepEqual(
      db.sessions({ roots: true }).map((s) => s.id),
      [m.sessionID],
    )
    db.close()
  })

  it("turns a session and its subagent into full-sync items in the real client's order", () => {
    const db = Database.open(path)
    const c = Session.collect(db, m.sessionID, { subagents: true })
    assert.ok(c)
    const firstChild = c.items.findIndex(
      (i) => i.type === "session" && (i.data as { id: string }).id === m.childSessionID,
    )
    const runs = (items: typeof c.items) => items.map((i) => i.type).filter((t, k, all) => t !== all[k - 1])
    assert.deepEqual(runs(c.items.slice(0, firstChild)), ["session", "message", "part", "session_diff", "model"])
    assert.deepEqual(runs(c.items.slice(firstChild)), ["session", "message", "part", "session_diff", "model"])
    const childExtras = c.items.filter(
      (i) => (i.type === "session_diff" || i.type === "model") && i.sessionID === m.childSessionID,
    )
    assert.equal(childExtras.length, 2)
    assert.deepEqual(c.sessions, [m.sessionID, m.childSessionID])
    const models = c.items.find((i) => i.type === "model" && !i.sessionID)?.data
    assert.deepEqual(models, [{ id: "fake-model", providerID: "fakellm" }])
    assert.equal(Session.collect(db, m.sessionID, { subagents: false })?.sessions.length, 1)
    db.close()
  })

  it("gives the same items from an export file as from the database", () => {
    const db = Database.open(path)
    const fromDb = Items.full({ session: db.read(m.sessionID)! })
    const fromFile = Items.full({
      session: Exported.parse(readFileSync(join(FIXTURES, "session.export.json"), "utf8"), "file"),
    })
    assert.deepEqual(fromFile, fromDb)
    db.close()
    assert.throws(() => Exported.parse('{"info": {}}', "x.json"), /x\.json is not an opencode export/)
  })

  it("never blocks a writer and reads while one holds the write lock", () => {
    const writer = new DatabaseSync(path)
    writer.exec("PRAGMA journal_mode=WAL")
    const reader = Database.open(path)
    writer.exec("BEGIN IMMEDIATE")
    writer.prepare("update session set title = 'renamed' where id = ?").run(m.sessionID)
    // The reader sees the last committed state while the writer is mid-transaction...
    assert.notEqual(reader.read(m.sessionID)?.info.title, "renamed")
    writer.exec("COMMIT")
    // ...and the writer was never locked out by the reader.
    assert.equal(reader.read(m.sessionID)?.info.title, "renamed")
    reader.close()
    writer.close()
  })

  it("reports changes and deletions between two reads as items and remove items", () => {
    const track = Items.tracker("ses_r")
    const s = (t: number) => ({ type: "session", data: { id: "ses_r", time: { updated: t } } })
    const msg = (id: string) => ({ type: "message", data: { id, sessionID: "ses_r", role: "user" } })
    assert.equal(track.changes([s(1), msg("msg_1"), msg("msg_2")]).length, 3)
    assert.deepEqual(track.changes([s(1), msg("msg_1"), msg("msg_2")]), [])
    assert.deepEqual(track.changes([s(2), msg("msg_1")]), [
      s(2),
      { type: "remove", data: { key: "message/ses_r/msg_2" } },
    ])
  })
})
