/** Shared by the viewer tests: a real server on 127.0.0.1 with a temporary SQLite file, and
 * helpers that create, sync and remove shares through the public API. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Config from "../../src/server/config.ts"
import * as Server from "../../src/server/index.ts"
import * as Log from "../../src/server/log.ts"

export type Item = { type: string; data: unknown; sessionID?: string }
export type Share = { id: string; secret: string; url: string }

export const FIXTURES = fileURLToPath(new URL("../fixtures/captured/", import.meta.url))

/** The real share OpenCode 1.18.33 produced (merged items from its data endpoint). */
export function realItems(): Item[] {
  return JSON.parse(readFileSync(join(FIXTURES, "share-data-response.json"), "utf8")) as Item[]
}

export async function server(overrides: Partial<Config.Config> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "agentshare-viewer-"))
  const running = await Server.start(
    { ...Config.defaults({ port: 0, databaseUrl: `sqlite:${join(dir, "db.sqlite")}` }), ...overrides },
    { log: Log.silent() },
  )
  return {
    ...running,
    async close() {
      await running.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function create(base: string, sessionID: string): Promise<Share> {
  const r = await fetch(`${base}/api/share`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sessionID }),
  })
  if (!r.ok) throw new Error(`create: HTTP ${r.status} ${await r.text()}`)
  return (await r.json()) as Share
}

/** Syncs in batches the server accepts. */
export async function sync(base: string, share: Share, items: Item[], batch = 500) {
  for (let i = 0; i < items.length; i += batch) {
    const r = await fetch(`${base}/api/share/${share.id}/sync`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ secret: share.secret, data: items.slice(i, i + batch) }),
    })
    if (!r.ok) throw new Error(`sync: HTTP ${r.status} ${await r.text()}`)
  }
}

export async function remove(base: string, share: Share) {
  const r = await fetch(`${base}/api/share/${share.id}`, {
    method: "DELETE",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ secret: share.secret }),
  })
  if (!r.ok) throw new Error(`remove: HTTP ${r.status} ${await r.text()}`)
}

/** Creates a share for the items' root session and syncs them. */
export async function publish(base: string, items: Item[], batch?: number): Promise<Share> {
  const session = items.find((i) => i.type === "session")?.data as { id: string }
  const share = await create(base, session.id)
  await sync(base, share, items, batch)
  return share
}
