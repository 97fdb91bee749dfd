/**
 * `GET /docs/<NAME>.md`: the project's documentation, rendered as pages, when the server runs
 * from a checkout or an image that ships the docs folder; 404 otherwise. Only the files named
 * here are served, read once.
 */
import { existsSync, readFileSync } from "node:fs"
import { Hono } from "hono"
import * as Layout from "../../viewer/layout.ts"
import * as Markdown from "../../viewer/markdown.ts"
import type { AppEnv } from "../context.ts"
import { notFound } from "../errors.ts"
import { pageHeaders } from "../http/headers.ts"

const DIR = new URL("../../../docs/", import.meta.url)

export const TITLES: Record<string, string> = {
  "PROTOCOL.md": "The share protocol and every endpoint",
  "CLI.md": "The agentshare CLI and client library",
  "AGENTS.md": "Claude Code, Codex CLI and Gemini CLI sessions",
  "CONFIG.md": "Configuration of this server",
  "DEPLOY.md": "Deploying agentshare",
  "ENTERPRISE.md": "Policy, retention, audit, admin and SSO",
  "SECURITY.md": "Secrets, redaction and the threat model",
}

export const available = () => existsSync(new URL("PROTOCOL.md", DIR))

export function docsRoutes() {
  const app = new Hono<AppEnv>()
  const pages = new Map<string, string>()
  app.get("/docs/:file", (c) => {
    const file = c.req.param("file")
    if (!Object.hasOwn(TITLES, file) || !existsSync(new URL(file, DIR))) throw notFound("document")
    let html = pages.get(file)
    if (!html) {
      const md = readFileSync(new URL(file, DIR), "utf8")
      html = Layout.document(
        { title: `${TITLES[file]} | agentshare`, noindex: false },
        `<main id="main" class="landing doc md">${Markdown.render(md)}</main>`,
      )
      pages.set(file, html)
    }
    pageHeaders(c, false)
    return c.html(html)
  })
  return app
}
