/** Gemini CLI sessions on this machine: `~/.gemini/tmp/<project>/chats/session-*.jsonl`. The
 * file has no cwd: the project root comes from `.project_root` or `projects.json`. */
import { createHash } from "node:crypto"
import { join } from "node:path"
import { arr, rec, str } from "../common.ts"
import type { Homes, Local } from "../driver.ts"
import * as Small from "../small.ts"
import { CONTEXT, root } from "./reader.ts"

/** Gemini's projectHash: sha256 of the project root. */
export function projectHash(dir: string): string {
  return createHash("sha256").update(dir).digest("hex")
}

export function list(homes: Homes): Local[] {
  const tmp = join(homes.gemini ?? join(homes.home, ".gemini"), "tmp")
  const out: Local[] = []
  for (const project of Small.list(tmp)) {
    if (!project.dir) continue
    const chats = join(tmp, project.name, "chats")
    for (const f of Small.list(chats)) {
      if (!f.file || !f.name.startsWith("session-") || !f.name.endsWith(".jsonl")) continue
      const path = join(chats, f.name)
      const head = Small.records(Small.head(path))
      const header = head.find((r) => typeof r.sessionId === "string" && typeof r.projectHash === "string") ?? {}
      if (header.kind === "subagent") continue
      const summary = Small.records(Small.tail(path))
        .map((r) => rec(r.$set).summary)
        .filter((s): s is string => typeof s === "string")
        .at(-1)
      const title = summary || prompt(head)
      const dir = root(path, header)
      out.push({
        agent: "gemini-cli",
        path,
        id: str(header.sessionId) || f.name,
        ...(dir ? { directory: dir } : {}),
        ...(title ? { title: title.split("\n")[0].slice(0, 200) } : {}),
        ...(str(header.projectHash) ? { projectHash: str(header.projectHash) } : {}),
        updated: Small.mtime(path) ?? 0,
      })
    }
  }
  return out.sort((a, b) => b.updated - a.updated)
}

function prompt(records: Record<string, unknown>[]): string {
  for (const r of records) {
    if (r.type !== "user") continue
    const c = r.displayContent ?? r.content
    const text =
      typeof c === "string"
        ? c
        : arr(c)
            .map(rec)
            .map((p) => str(p.text))
            .join("")
    if (text.trim() && !CONTEXT.test(text)) return text.trim()
  }
  return ""
}
