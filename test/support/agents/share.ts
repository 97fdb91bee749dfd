/**
 * What the agent e2e tests check on items and pages: items by type and session, a share made
 * from them on an in-process app (real SQLite, real routes), and the renderer each tool got.
 */
import assert from "node:assert/strict"
import type { SyncItem } from "../../../src/schema/index.ts"
import { keyItem } from "../../../src/schema/index.ts"
import { share, testApp } from "../app.ts"

export type Rec = Record<string, any>

export const sessions = (items: SyncItem[]) => items.filter((i) => i.type === "session").map((i) => i.data as Rec)
export const messages = (items: SyncItem[], sid: string) =>
  items.filter((i) => i.type === "message" && (i.data as Rec).sessionID === sid).map((i) => i.data as Rec)
export const parts = (items: SyncItem[], sid: string) =>
  items.filter((i) => i.type === "part" && (i.data as Rec).sessionID === sid).map((i) => i.data as Rec)
export const tools = (items: SyncItem[], sid: string) => parts(items, sid).filter((p) => p.type === "tool")

/** The one tool call named `name` (the first when several), with its state. */
export function tool(items: SyncItem[], sid: string, name: string, nth = 0): Rec {
  const found = tools(items, sid).filter((p) => p.tool === name)
  assert.ok(
    found.length > nth,
    `a ${name} call in ${sid} (calls: ${tools(items, sid)
      .map((p) => p.tool)
      .join(", ")})`,
  )
  return found[nth]
}

/** The share page and Markdown export of `items`, served by the real app. */
export async function publish(items: SyncItem[], root: string): Promise<{ html: string; md: string; json: Rec[] }> {
  const app = await testApp()
  try {
    const s = await share(app, root)
    for (let i = 0; i < items.length; i += 500) {
      const r = await app.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data: items.slice(i, i + 500) })
      const text = await r.text()
      assert.equal(r.status, 200, text)
      const body = JSON.parse(text) as Rec
      assert.deepEqual(body.dropped, [], "the server kept every item")
    }
    const html = await (await app.app.request(`/share/${s.id}`)).text()
    const md = await (await app.app.request(`/share/${s.id}.md`)).text()
    const json = ((await (await app.app.request(`/share/${s.id}.json`)).json()) as { items: Rec[] }).items
    return { html, md, json }
  } finally {
    await app.close()
  }
}

/** The classes of the frame part `id` was drawn in (`tool bash st-completed`). */
export function frameOf(html: string, id: string): string {
  const m = new RegExp(`<details class="([^"]*)" id="p-${id}"`).exec(html)
  assert.ok(m, `part ${id} is on the page`)
  return m[1]
}

/** Whether two applied states hold the same keys with the same values. */
export function same(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false
  for (const [k, v] of a) if (b.get(k) !== v) return false
  return true
}

/** Applies follower output the way the server does: last write wins per key, removes delete. */
export function apply(state: Map<string, string>, items: SyncItem[], root: string) {
  for (const item of items) {
    if (item.type === "remove") {
      state.delete((item.data as { key: string }).key)
      continue
    }
    const k = keyItem(item, root)
    assert.ok(k.ok, `item keys: ${JSON.stringify(item).slice(0, 200)}`)
    state.set(k.item.key, JSON.stringify(item.data))
  }
  return state
}
