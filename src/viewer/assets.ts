/**
 * The page's stylesheet and scripts, served from our own origin under content-hashed names so
 * they can be cached for a year and allowed by a CSP of 'self' (no inline code at all).
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"

export type Asset = { name: string; type: string; body: string; path: string }

function load(file: string, type: string): Asset {
  const body = readFileSync(new URL(`./assets/${file}`, import.meta.url), "utf8")
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12)
  const [stem, ext] = file.split(".")
  const name = `${stem}.${hash}.${ext}`
  return { name, type, body, path: `/assets/${name}` }
}

export const style = load("viewer.css", "text/css; charset=utf-8")
export const script = load("live.js", "text/javascript; charset=utf-8")
export const controls = load("controls.js", "text/javascript; charset=utf-8")

export const favicon = load("favicon.svg", "image/svg+xml")

export const all = new Map([style, script, controls, favicon].map((a) => [a.name, a]))
