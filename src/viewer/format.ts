/** Number, money, time and size formatting shared by the renderers. */
import { escape } from "./escape.ts"

export function tokens(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`
  return String(Math.round(n))
}

export function cost(usd: number): string {
  if (usd === 0) return "$0"
  if (usd < 0.01) return `$${usd.toFixed(4)}`
  return `$${usd.toFixed(2)}`
}

export function duration(ms: number): string {
  if (!(ms > 0)) return "0s"
  const s = Math.round(ms / 1000)
  if (s < 1) return `${Math.round(ms)}ms`
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`
}

/** A <time> in UTC; the page script rewrites it to the reader's local time (`time`: the clock
 * time only, when it is today). */
export function time(ms: number | undefined, style: "date" | "time" = "date"): string {
  if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return ""
  const iso = new Date(ms).toISOString()
  return `<time datetime="${iso}"${style === "time" ? ' data-style="time"' : ""}>${escape(iso.slice(0, 16).replace("T", " "))} UTC</time>`
}

/** The last path segment and its directory. */
export function splitPath(path: string): { dir: string; name: string } {
  const i = path.replace(/\/+$/, "").lastIndexOf("/")
  return i < 0 ? { dir: "", name: path } : { dir: path.slice(0, i + 1), name: path.slice(i + 1) }
}

/** `path` relative to `root` when it lies inside it. */
export function relative(path: string, root: string): string {
  if (root && root !== "/" && path.startsWith(`${root}/`)) return path.slice(root.length + 1)
  return path
}

/** Text cut to `max` characters with a note of what was left out. */
export function clip(value: string, max: number): { text: string; cut: number } {
  return value.length <= max ? { text: value, cut: 0 } : { text: value.slice(0, max), cut: value.length - max }
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}
