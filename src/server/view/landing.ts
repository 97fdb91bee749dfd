/**
 * The front door: `GET /` says what this server is and how to share to it (the exact
 * opencode.json with this server's PUBLIC_URL, the CLI lines for the other agents, links to
 * the docs). It never lists shares: a share is seen only by whoever has its link. Also the
 * favicon at /favicon.ico (a PNG drawn once from the page's SVG icon).
 */
import { Hono } from "hono"
import * as Assets from "../../viewer/assets.ts"
import * as Card from "../../viewer/card.ts"
import { escape } from "../../viewer/escape.ts"
import * as Layout from "../../viewer/layout.ts"
import type { AppEnv, Deps } from "../context.ts"
import { pageHeaders } from "../http/headers.ts"
import { available as docsAvailable, TITLES } from "./docs.ts"

/**
 * How each agent's sessions reach this server. OpenCode talks to it itself; the others go
 * through the agentshare CLI, which reads their local session files (docs/AGENTS.md).
 */
export const AGENTS = [
  { name: "Claude Code", line: (url: string) => `npx agentshare share --agent claude --server ${url}` },
  { name: "Codex CLI", line: (url: string) => `npx agentshare share --agent codex --server ${url}` },
  { name: "Gemini CLI", line: (url: string) => `npx agentshare share --agent gemini --server ${url}` },
]

export function page(origin: string, docs: boolean): string {
  const config = JSON.stringify({ $schema: "https://opencode.ai/config.json", enterprise: { url: origin } }, null, 2)
  const agents = AGENTS.map(
    (a) =>
      `<div class="agent"><h3>${escape(a.name)}</h3><pre class="code"><code>${escape(a.line(origin))}</code></pre></div>`,
  ).join("")
  const docLinks = docs
    ? `<h2>Documentation</h2><ul class="docs">${Object.entries(TITLES)
        .map(([file, title]) => `<li><a href="/docs/${file}">${escape(title)}</a></li>`)
        .join("")}</ul>`
    : ""
  const body = `<main id="main" class="landing">
<h1>Share coding-agent sessions as live pages</h1>
<p class="lede">This is an <strong>agentshare</strong> server. It turns a session of OpenCode, Claude Code, Codex CLI or Gemini CLI into a read-only web page that follows the session live, with every tool call, diff and answer. Shares are seen only by those who have their link: this server lists none.</p>
<h2>From OpenCode</h2>
<p>Point OpenCode at this server in <code>opencode.json</code> (in your project, or globally in <code>~/.config/opencode/</code>):</p>
<pre class="code"><code>${escape(config)}</code></pre>
<p>Then <code>/share</code> in OpenCode, <code>opencode run --share "…"</code>, or <code>"share": "auto"</code> in the same file prints a link to the live page. <code>/unshare</code> deletes it: the link then says the share was removed.</p>
<h2>From Claude Code, Codex CLI and Gemini CLI</h2>
<p>The <code>agentshare</code> command line reads the session files these agents keep and shares the latest session of the current directory (add <code>--watch</code> to keep it live):</p>
<div class="agents">${agents}</div>
${docLinks}
<h2>For programs</h2>
<p>Every share page is also Markdown (<code>/share/&lt;id&gt;.md</code>) and JSON (<code>/share/&lt;id&gt;.json</code>), has a preview card (<code>/share/&lt;id&gt;/card.png</code>) and an <a href="https://oembed.com">oEmbed</a> endpoint (<code>/api/oembed?url=…</code>).</p>
</main>`
  return Layout.document(
    {
      title: "agentshare",
      description: "A server that shares AI coding-agent sessions as live, read-only pages.",
      noindex: false,
    },
    body,
  )
}

export function landingRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()
  let icon: Buffer | undefined
  app.on(["GET", "HEAD"], "/", (c) => {
    pageHeaders(c, false)
    c.header("cache-control", "no-cache")
    return c.html(page(deps.origin(), docsAvailable()))
  })
  app.get("/favicon.ico", (c) => {
    icon ??= Card.icon(Assets.favicon.body, 32)
    c.header("cache-control", "public, max-age=86400")
    return c.body(new Uint8Array(icon), 200, { "content-type": "image/png" })
  })
  return app
}
