/** The HTML document around a page: head (CSP-friendly: no inline code), meta for link
 * previews (an og:image card, oEmbed discovery), alternates for agents, the slim brand bar
 * that links home, our stylesheet and scripts. */
import * as Assets from "./assets.ts"
import { escape } from "./escape.ts"

export type Head = {
  title: string
  description?: string
  noindex: boolean
  /** Path of the share page, for alternates; absent on other pages. */
  base?: string
  /** data-* attributes for the live script (share pages only). */
  live?: Record<string, string>
  /** Absolute URLs for link previews: the page, its card image, its oEmbed endpoint. */
  preview?: { url: string; image: string; oembed?: string }
  /** What sits in the brand bar after the brand (tabs, the reading menu). */
  bar?: string
  /** Classes on <body>. */
  body?: string
}

export const brand = `<a class="brand" href="/"><img class="logo" src="${Assets.favicon.path}" alt="" width="20" height="20">agentshare</a>`

export function document(head: Head, body: string): string {
  const alt = head.base
    ? `<link rel="alternate" type="text/markdown" href="${escape(head.base)}.md"><link rel="alternate" type="application/json" href="${escape(head.base)}.json">`
    : ""
  const p = head.preview
  const image = p
    ? `<meta property="og:image" content="${escape(p.image)}"><meta property="og:image:type" content="image/png"><meta property="og:image:width" content="1200"><meta property="og:image:height" content="630"><meta property="og:image:alt" content="${escape(head.title)}"><meta property="og:url" content="${escape(p.url)}"><meta name="twitter:image" content="${escape(p.image)}">`
    : ""
  const oembed = p?.oembed
    ? `<link rel="alternate" type="application/json+oembed" href="${escape(p.oembed)}" title="${escape(head.title)}">`
    : ""
  const og = head.description
    ? `<meta name="description" content="${escape(head.description)}"><meta property="og:type" content="article"><meta property="og:title" content="${escape(head.title)}"><meta property="og:description" content="${escape(head.description)}"><meta property="og:site_name" content="agentshare"><meta name="twitter:card" content="${p ? "summary_large_image" : "summary"}"><meta name="twitter:title" content="${escape(head.title)}"><meta name="twitter:description" content="${escape(head.description)}">${image}${oembed}`
    : ""
  const data = Object.entries(head.live ?? {})
    .map(([k, v]) => ` data-${k}="${escape(v)}"`)
    .join("")
  const script = head.live
    ? `<script src="${Assets.script.path}" defer></script><script src="${Assets.controls.path}" defer></script>`
    : ""
  const cls = head.body ? ` class="${escape(head.body)}"` : ""
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${head.noindex ? '<meta name="robots" content="noindex, nofollow">' : ""}
<meta name="referrer" content="no-referrer">
<link rel="icon" href="${Assets.favicon.path}" type="image/svg+xml">
<title>${escape(head.title)}</title>
${og}${alt}
<link rel="stylesheet" href="${Assets.style.path}">
${script}
</head><body${cls}${data}><a class="skip" href="#main">Skip to content</a><header class="bar">${brand}${head.bar ?? ""}</header>${body}</body></html>`
}
