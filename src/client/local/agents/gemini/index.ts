/** Gemini CLI: the reader, its sub-agent files and the local session list. */
import { basename, dirname, join } from "node:path"
import type { Child, Driver } from "../driver.ts"
import * as Small from "../small.ts"
import { open } from "./reader.ts"

export const driver = (): Driver => ({
  agent: "gemini-cli",
  open,
  children(path, reducer) {
    // A main chat's sub-agents live in `chats/<session id>/`; theirs are not nested further.
    if (basename(dirname(path)) !== "chats") return []
    const id = reducer.builder()?.id
    if (!id) return []
    const dir = join(dirname(path), id)
    return Small.list(dir)
      .filter((e) => e.file && e.name.endsWith(".jsonl"))
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((e): Child => ({ path: join(dir, e.name), parentID: id }))
  },
})

export { list } from "./discover.ts"
