/** Claude Code: the reader, its sub-agent files and the local session list. */
import { basename, dirname, join } from "node:path"
import type { Child, Driver } from "../driver.ts"
import * as Small from "../small.ts"
import { open } from "./reader.ts"

export const driver = (): Driver => ({
  agent: "claude-code",
  open,
  children(path) {
    // Sub-agents of sub-agents are written to the root session's folder too.
    if (basename(dirname(path)) === "subagents") return []
    const dir = join(path.replace(/\.jsonl$/, ""), "subagents")
    const out: Child[] = []
    for (const e of Small.list(dir).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!e.file || !e.name.endsWith(".jsonl")) continue
      const meta = Small.json(join(dir, e.name.replace(/\.jsonl$/, ".meta.json"))) ?? {}
      out.push({
        path: join(dir, e.name),
        ...(typeof meta.toolUseId === "string" ? { callID: meta.toolUseId } : {}),
        ...(typeof meta.description === "string" ? { title: meta.description } : {}),
        ...(typeof meta.agentType === "string" ? { agent: meta.agentType } : {}),
      })
    }
    return out
  },
})

export { list } from "./discover.ts"
