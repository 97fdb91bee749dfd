/**
 * `agentshare serve` starts its scanner and render threads with the server, so the first syncs
 * after a start or a deploy do not wait for a scanner to load its rules, nor the first view for
 * the render thread. Counted from /proc: the process's worker threads before any sync or view.
 */
import assert from "node:assert/strict"
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import { startServerProcess } from "../support/server-process.ts"

const workers = (pid: number) =>
  readdirSync(`/proc/${pid}/task`).filter((t) => {
    try {
      return readFileSync(`/proc/${pid}/task/${t}/comm`, "utf8").trim() === "WorkerThread"
    } catch {
      return false
    }
  }).length

describe("agentshare serve", { skip: existsSync("/proc/self/task") ? false : "needs /proc" }, () => {
  it("starts the SQLite writer, every scanner and the render thread before the first request", async () => {
    const dir = mkdtempSync(join(tmpdir(), "agentshare-serve-"))
    const server = await startServerProcess({ DATABASE_URL: `sqlite://${join(dir, "db.sqlite")}`, SCAN_WORKERS: "2" })
    try {
      const pid = server.proc.pid as number
      // The writer, two scanners and the render thread; worker threads start asynchronously.
      const deadline = Date.now() + 15_000
      while (workers(pid) < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
      assert.equal(workers(pid), 4)
      // Warmed threads serve the first sync as usual.
      const created = await fetch(`${server.url}/api/share`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sessionID: "ses_warm" }),
      })
      assert.equal(created.status, 201)
      const share = (await created.json()) as { id: string; secret: string }
      const synced = await fetch(`${server.url}/api/share/${share.id}/sync`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          secret: share.secret,
          data: [{ type: "session", data: { id: "ses_warm", title: "t" } }],
        }),
      })
      assert.equal(synced.status, 200, await synced.text())
      assert.equal(workers(pid), 4, "no thread more than the warmed ones")
    } finally {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
