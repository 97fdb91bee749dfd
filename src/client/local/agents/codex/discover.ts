/** Codex sessions on this machine: `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`, the
 * top-level threads only (a sub-agent's rollout names its parent in `session_meta`). */
import { join } from "node:path"
import { arr, rec, str } from "../common.ts"
import type { Homes, Local } from "../driver.ts"
import * as Small from "../small.ts"
import { threadOf } from "./reader.ts"
import { isPrompt } from "./records.ts"

export function list(homes: Homes): Local[] {
  const root = join(homes.codex ?? join(homes.home, ".codex"), "sessions")
  const out: Local[] = []
  for (const y of Small.list(root).filter((e) => e.dir)) {
    for (const m of Small.list(join(root, y.name)).filter((e) => e.dir)) {
      for (const d of Small.list(join(root, y.name, m.name)).filter((e) => e.dir)) {
        const dir = join(root, y.name, m.name, d.name)
        for (const f of Small.list(dir)) {
          if (!f.file || !f.name.startsWith("rollout-") || !f.name.endsWith(".jsonl")) continue
          const path = join(dir, f.name)
          const head = Small.records(Small.head(path))
          const meta = rec(head.find((r) => r.type === "session_meta")?.payload)
          if (str(meta.parent_thread_id) || rec(meta.source).subagent) continue
          const title = prompt(head)
          const id = str(meta.id) || threadOf(f.name) || f.name
          out.push({
            agent: "codex",
            path,
            id,
            ...(str(meta.cwd) ? { directory: str(meta.cwd) } : {}),
            ...(title ? { title: title.split("\n")[0].slice(0, 200) } : {}),
            updated: Small.mtime(path) ?? 0,
          })
        }
      }
    }
  }
  return out.sort((a, b) => b.updated - a.updated)
}

function prompt(records: Record<string, unknown>[]): string {
  for (const r of records) {
    const p = rec(r.payload)
    if (r.type !== "response_item" || p.type !== "message" || p.role !== "user") continue
    if (isPrompt(p))
      return arr(p.content)
        .map(rec)
        .map((c) => str(c.text))
        .join("\n")
        .trim()
  }
  return ""
}
