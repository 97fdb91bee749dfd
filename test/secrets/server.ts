/** A real agentshare server on 127.0.0.1 with a chosen REDACT_ON_INGEST, its log lines and its
 * bus events captured, and the corpus's secrets placed inside a real OpenCode session. */
import { mkdtempSync, readFileSync, existsSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Writable } from "node:stream"
import * as Config from "../../src/server/config.ts"
import * as Server from "../../src/server/index.ts"
import type { LiveEvent } from "../../src/server/view/bus.ts"
import * as Log from "../../src/server/log.ts"
import { realShare, type Item } from "../support/fixtures.ts"
import { cases } from "./corpus.ts"

export type Running = Awaited<ReturnType<typeof start>>

export async function start(mode: Config.Config["redactOnIngest"], overrides: Partial<Config.Config> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "agentshare-secrets-"))
  const dbPath = join(dir, "s.db")
  const logs: string[] = []
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk))
      done()
    },
  })
  const config = Config.defaults({
    port: 0,
    host: "127.0.0.1",
    databaseUrl: `sqlite://${dbPath}`,
    redactOnIngest: mode,
    logLevel: "trace",
    logFormat: "json",
    ...overrides,
  })
  const server = await Server.start(config, { log: Log.create(config, sink) })
  const events: LiveEvent[] = []
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(server.url + path, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    })
  return {
    server,
    logs,
    events,
    post,
    get: (path: string) => fetch(server.url + path),
    async share(sessionID: string) {
      const res = await post("/api/share", { sessionID })
      const s = (await res.json()) as { id: string; secret: string }
      server.deps.bus.subscribe(s.id, (e) => events.push(e))
      return s
    },
    /** Everything SQLite wrote: the database file and its write-ahead log. */
    database: () =>
      [dbPath, `${dbPath}-wal`]
        .filter(existsSync)
        .map((p) => readFileSync(p).toString("latin1"))
        .join("\n"),
    async close() {
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export const ROOT = realShare()[0]!.data.id as string

/** The real session, then one corpus case of each rule moved into it (root session, a real
 * assistant message, fresh part ids) so the page and `/data` show them. */
export function sessionWithSecrets(): { items: Item[]; secrets: string[] } {
  const real = realShare()
  const message = real.find((i) => i.type === "message" && i.data.role === "assistant")!.data.id as string
  const picked = new Map<string, ReturnType<typeof cases>[number]>()
  for (const c of cases()) if (!picked.has(c.rule) && c.rule !== "secret-field") picked.set(c.rule, c)
  const items: Item[] = [...real]
  let n = 0
  for (const c of picked.values()) {
    for (const item of c.items as Item[]) {
      if (item.type !== "part") continue
      items.push({
        type: "part",
        data: {
          ...item.data,
          id: `prt_zz${String(++n).padStart(4, "0")}secretcase`,
          sessionID: ROOT,
          messageID: message,
        },
      })
    }
  }
  return { items, secrets: [...picked.values()].flatMap((c) => c.secrets) }
}
