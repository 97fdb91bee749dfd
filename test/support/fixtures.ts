/** Real items captured from OpenCode 1.18.33 (test/fixtures/captured). */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const SHARED = fileURLToPath(new URL("../fixtures/captured/", import.meta.url))

export type Item = { type: string; data: any }

export function shared<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(SHARED + name, "utf8")) as T
}

/** The merged items of a real share (session, session_diff, model, messages and parts). */
export const realShare = (): Item[] => shared<Item[]>("share-data-response.json")

export const sampleItem = (name: string): Item => shared<Item>(`items/${name}.json`)
