/** Synthetic session files for the reader tests: small, hand-trimmed records of each agent's
 * real format (none holds a vendor prompt), written line by line into a temp directory. */
import assert from "node:assert/strict"
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import * as Agents from "../../../src/client/local/agents/index.ts"
import type { SyncItem } from "../../../src/schema/index.ts"
import { apply } from "../../support/agents/share.ts"

export type Rec = Record<string, any>

export function tmp(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "agentshare-agents-"))
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}

export const jsonl = (records: unknown[]) =>
  records.map((r) => `${typeof r === "string" ? r : JSON.stringify(r)}\n`).join("")

export function write(path: string, text: string) {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
}

/**
 * Writes `text` to `path` a few bytes at a time (cutting lines in the middle), polling a
 * follower after every write: what it sent must add up to a full read of the whole file.
 */
export function grow(agent: Agents.Agent, path: string, text: string, root: string, step = 97) {
  write(path, "")
  const f = Agents.follower(agent, path)
  const state = new Map<string, string>()
  for (let i = 0; i < text.length; i += step) {
    appendFileSync(path, text.slice(i, i + step))
    apply(state, f.poll(), root)
  }
  apply(state, f.poll(), root)
  const full = Agents.read(agent, path)
  assert.deepEqual(state, apply(new Map(), full.items, root))
  return { follower: f, state, full }
}

export const parts = (items: SyncItem[]) => items.filter((i) => i.type === "part").map((i) => i.data as Rec)
export const messages = (items: SyncItem[]) => items.filter((i) => i.type === "message").map((i) => i.data as Rec)
export const session = (items: SyncItem[], id?: string) =>
  items
    .filter((i) => i.type === "session")
    .map((i) => i.data as Rec)
    .find((s) => !id || s.id === id)!
export const tool = (items: SyncItem[], name: string) => parts(items).find((p) => p.type === "tool" && p.tool === name)!
