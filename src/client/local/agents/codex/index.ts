/** Codex CLI: the reader, its sub-agent rollouts and the local session list. */
import { dirname, join } from "node:path"
import type { Child, Driver } from "../driver.ts"
import * as Small from "../small.ts"
import { open, threadOf } from "./reader.ts"

/** Day folders searched for a sub-agent's rollout: its parent's day and the days after it. */
const DAYS = 3
/** While a sub-agent's rollout is not found, the folders are searched again at most this often. */
const RESCAN_MS = 1000

export function driver(): Driver {
  const found = new Map<string, string>()
  const scanned = new Map<string, number>()
  return {
    agent: "codex",
    open,
    children(path, reducer) {
      const wanted = [...new Set([...reducer.links()].map(([, thread]) => thread))].filter((t) => t !== threadOf(path))
      const missing = wanted.filter((t) => !found.has(t))
      const due = Date.now() - (scanned.get(path) ?? 0) >= RESCAN_MS
      if (missing.length && due) scanned.set(path, Date.now())
      if (missing.length && due)
        for (const dir of days(path))
          for (const e of Small.list(dir)) {
            const t = e.file ? threadOf(e.name) : undefined
            if (t && missing.includes(t) && !found.has(t)) found.set(t, join(dir, e.name))
          }
      return wanted.flatMap((t): Child[] => (found.has(t) ? [{ path: found.get(t)! }] : []))
    },
  }
}

/** `sessions/YYYY/MM/DD` of `path` and the next day folders that exist. */
function days(path: string): string[] {
  const day = dirname(path)
  const month = dirname(day)
  const year = dirname(month)
  const root = dirname(year)
  const all: string[] = []
  for (const y of Small.list(root).filter((e) => e.dir && /^\d{4}$/.test(e.name))) {
    for (const m of Small.list(join(root, y.name)).filter((e) => e.dir && /^\d{2}$/.test(e.name))) {
      for (const d of Small.list(join(root, y.name, m.name)).filter((e) => e.dir && /^\d{2}$/.test(e.name)))
        all.push(join(root, y.name, m.name, d.name))
    }
  }
  all.sort()
  const at = all.indexOf(day)
  return at < 0 ? [day] : all.slice(at, at + DAYS)
}

export { list } from "./discover.ts"
