/** The HTML document around a page: head (CSP-friendly: no inline code), meta for link
 * previews, alternates for agents, our stylesheet and script. */
import * as Assets from "./assets.ts"
import { escape } from "./escape.ts"

export type Head = {
  title: string
  description?: string
  noindex: boolean
  /** Path of the share page, for alternates; absent on status pages. */
  base?: string
  /** data-* attributes for the live script. */
  live?: Record<string, string>
}

export function document(head: Head, body: string): string {
  const alt = head.base
    ? `<link rel="alternate" type="text/markdown" href="${escape(head.base)}.md"><link rel="alternate" type="application/json" href="${escape(head.base)}.json">`
    : ""
  const og = head.description
    ? `<meta name="description" content="${escape(head.description)}"><meta property="og:type" content="article"><meta property="og:title" content="${escape(head.title)}"><meta property="og:description" content="${escape(head.description)}"><meta property="og:site_name" content="agentshare"><meta name="twitter:card" content="summary"><meta name="twitter:title" content="${escape(head.title)}"><meta name="twitter:description" content="${escape(head.description)}">`
    : ""
  const data = Object.entries(head.live ?? {}).map(([k, v]) => ` data-${k}="${escape(v)}"`).join("")
  const script = head.live ? `<script src="${Assets.script.path}" defer></script><script src="${Assets.controls.path}" defer></script>` : ""
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${head.noindex ? '<meta name="robots" content="noindex, nofollow">' : ""}
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escape(head.title)}</title>
${og}${alt}
<link rel="stylesheet" href="${Assets.style.path}">
${script}
</head><body${data}><a class="skip" href="#main">Skip to conversation</a>${body}</body></html>`
}
