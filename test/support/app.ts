/** An in-process app on a real SQLite file in a temp dir, for route tests. */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as App from "../../src/server/app.ts"
import * as Config from "../../src/server/config.ts"
import type { Deps } from "../../src/server/context.ts"
import * as Inventory from "../../src/server/deps.ts"
import * as Log from "../../src/server/log.ts"
import type { Backend } from "./backends.ts"
import * as Store from "../../src/store/index.ts"

export type TestApp = {
  app: ReturnType<typeof App.create>
  deps: Deps
  /** The SQLite file (empty for other backends). */
  dbPath: string
  /** Sends JSON with the content type real clients use. */
  send(method: string, path: string, body?: unknown): Promise<Response>
  close(): Promise<void>
}

export async function testApp(
  overrides: Partial<Config.Config> = {},
  now: () => number = Date.now,
  backend?: Backend,
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), "agentshare-test-"))
  const opened = backend ? await backend.open() : undefined
  const dbPath = opened ? (opened.url.startsWith("sqlite:") ? Store.sqlitePath(opened.url) : "") : join(dir, "test.db")
  const config = Config.defaults({
    databaseUrl: opened?.url ?? `sqlite://${dbPath}`,
    publicUrl: "http://share.test",
    ...overrides,
  })
  const store = opened?.store ?? (await Store.open(config.databaseUrl))
  const deps = Inventory.create({
    config,
    store,
    log: Log.silent(),
    origin: () => config.publicUrl ?? "http://share.test",
    now,
  })
  const app = App.create(deps)
  return {
    app,
    deps,
    dbPath,
    send: async (method, path, body) =>
      app.request(path, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      }),
    async close() {
      await Inventory.close(deps)
      if (opened) await opened.cleanup()
      else await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Creates a share through the API and returns what the client got. */
export async function share(t: TestApp, sessionID = "ses_test"): Promise<{ id: string; url: string; secret: string }> {
  const res = await t.send("POST", "/api/share", { sessionID })
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as { id: string; url: string; secret: string }
}
