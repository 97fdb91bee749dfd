/** Claude Code sessions on this machine: one `<session>.jsonl` per session under each project
 * folder of `~/.claude/projects`. Reads only a file's head (cwd, first prompt) and tail (titles). */
import { basename, join } from "node:path"
import { rec, str } from "../common.ts"
import type { Homes, Local } from "../driver.ts"
import * as Small from "../small.ts"

export function list(homes: Homes): Local[] {
  const root = join(homes.claude ?? join(homes.home, ".claude"), "projects")
  const out: Local[] = []
  for (const project of Small.list(root)) {
    if (!project.dir) continue
    for (const f of Small.list(join(root, project.name))) {
      if (!f.file || !f.name.endsWith(".jsonl")) continue
      const path = join(root, project.name, f.name)
      const head = Small.records(Small.head(path))
      const tail = Small.records(Small.tail(path))
      const cwd = str(head.find((r) => str(r.cwd))?.cwd)
      const titled = [...tail].reverse()
      const title =
        str(titled.find((r) => r.type === "custom-title")?.customTitle) ||
        str(titled.find((r) => r.type === "ai-title")?.aiTitle) ||
        str(titled.find((r) => r.type === "summary")?.summary) ||
        prompt(head)
      out.push({
        agent: "claude-code",
        path,
        id: basename(f.name, ".jsonl"),
        ...(cwd ? { directory: cwd } : {}),
        ...(title ? { title: title.split("\n")[0].slice(0, 200) } : {}),
        updated: Small.mtime(path) ?? 0,
      })
    }
  }
  return out.sort((a, b) => b.updated - a.updated)
}

function prompt(records: Record<string, unknown>[]): string {
  for (const r of records) {
    if (r.type !== "user" || r.isMeta === true || r.isSidechain === true) continue
    const content = rec(r.message).content
    const text =
      typeof content === "string"
        ? content
        : Array.isArray(content)
          ? content
              .map(rec)
              .filter((c) => c.type === "text")
              .map((c) => str(c.text))
              .join("\n")
          : ""
    if (text.trim() && !text.startsWith("[Request interrupted")) return text.trim()
  }
  return ""
}
