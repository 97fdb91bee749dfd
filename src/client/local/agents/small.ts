/** Small side files of the agents (meta.json, projects.json, .project_root, .git/HEAD), read
 * with a size bound: none of them is ever large, and one that is is not read. */
import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs"

const MAX = 1024 * 1024

export function text(path: string, max = MAX): string | undefined {
  try {
    const fd = openSync(path, "r")
    try {
      const size = statSync(path).size
      if (size > max) return undefined
      const buf = Buffer.alloc(size)
      const n = readSync(fd, buf, 0, size, 0)
      return buf.subarray(0, n).toString("utf8")
    } finally {
      closeSync(fd)
    }
  } catch {
    return undefined
  }
}

export function json(path: string, max = MAX): Record<string, unknown> | undefined {
  const t = text(path, max)
  if (t === undefined) return undefined
  try {
    const v: unknown = JSON.parse(t)
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Directory entries, or none when it cannot be read. */
export function list(dir: string): { name: string; dir: boolean; file: boolean }[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((e) => ({
      name: e.name,
      dir: e.isDirectory(),
      file: e.isFile(),
    }))
  } catch {
    return []
  }
}

export function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs
  } catch {
    return undefined
  }
}

/** The first `max` bytes of a file, cut at the last complete line. */
export function head(path: string, max = 256 * 1024): string {
  try {
    const fd = openSync(path, "r")
    try {
      const buf = Buffer.alloc(max)
      const n = readSync(fd, buf, 0, max, 0)
      const s = buf.subarray(0, n).toString("utf8")
      return n < max ? s : s.slice(0, s.lastIndexOf("\n") + 1)
    } finally {
      closeSync(fd)
    }
  } catch {
    return ""
  }
}

/** The last `max` bytes of a file, from its first complete line. */
export function tail(path: string, max = 64 * 1024): string {
  try {
    const size = statSync(path).size
    const start = Math.max(0, size - max)
    const fd = openSync(path, "r")
    try {
      const buf = Buffer.alloc(size - start)
      const n = readSync(fd, buf, 0, size - start, start)
      const s = buf.subarray(0, n).toString("utf8")
      return start === 0 ? s : s.slice(s.indexOf("\n") + 1)
    } finally {
      closeSync(fd)
    }
  } catch {
    return ""
  }
}

/** The JSON objects among `text`'s lines; anything else is skipped. */
export function records(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  for (const line of text.split("\n")) {
    if (!line.trim()) continue
    try {
      const v: unknown = JSON.parse(line)
      if (typeof v === "object" && v !== null && !Array.isArray(v)) out.push(v as Record<string, unknown>)
    } catch {
      // a partial or malformed line
    }
  }
  return out
}
