/** webfetch, websearch and codesearch, and the other agents' fetch and search tools: the URL
 * or query, links found, and the output. */
import { escape } from "../escape.ts"
import { REL } from "../markdown.ts"
import { get, str } from "../read.ts"
import { frame, output, pick, type Tool } from "./frame.ts"

/** Only http(s) URLs become links; anything else is shown as text. */
export function link(url: string, label = url): string {
  try {
    const u = new URL(url)
    if (u.protocol === "http:" || u.protocol === "https:")
      return `<a href="${escape(u.href)}" rel="${REL}">${escape(label)}</a>`
  } catch {
    // not a URL: shown as text below
  }
  return `<code>${escape(label)}</code>`
}

export function webfetch(t: Tool): string {
  // Gemini's web_fetch takes a prompt with the URLs in it.
  const url = pick(t.input, "url") || /https?:\/\/[^\s<>"')\]]+/.exec(pick(t.input, "prompt"))?.[0] || str(t.meta.url)
  const body = `<p>${link(url)}${str(t.input.format) ? ` <span class="muted">as ${escape(str(t.input.format))}</span>` : ""}</p>${output(t.output)}`
  return frame(t, { label: "Fetch", subtitle: url, body, cls: "web" })
}

export function websearch(t: Tool): string {
  const query = pick(t.input, "query") || str(get(t.input, "action", "query")) || str(t.meta.query)
  const urls = [...new Set(t.output.match(/https?:\/\/[^\s<>"')\]]+/g) ?? [])].slice(0, 30)
  const list = urls.length ? `<ul class="links">${urls.map((u) => `<li>${link(u)}</li>`).join("")}</ul>` : ""
  const provider = str(t.meta.provider)
  return frame(t, {
    label: t.name === "codesearch" ? "Code search" : "Web search",
    subtitle: query,
    extra: provider ? ` <span class="muted">${escape(provider)}</span>` : "",
    body: list + output(t.output),
    cls: "web",
  })
}
