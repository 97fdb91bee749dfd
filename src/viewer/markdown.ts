/**
 * Markdown for assistant text and reasoning: markdown-it with raw HTML off, highlight.js for
 * fenced code, links marked as user content, and images shown as links (no remote loads).
 */
import hljs from "highlight.js/lib/common"
import MarkdownIt from "markdown-it"
import { escape } from "./escape.ts"

/** Past this size text is shown preformatted: markdown and highlighting are not free. */
const MAX_MARKDOWN = 200_000
const MAX_HIGHLIGHT = 50_000

export const REL = "noopener nofollow ugc"

const md = new MarkdownIt({
  html: false,
  linkify: true,
  highlight(code, lang) {
    const name = lang.trim().split(/\s+/)[0]?.toLowerCase() ?? ""
    if (!name || code.length > MAX_HIGHLIGHT || !hljs.getLanguage(name)) return ""
    try {
      return hljs.highlight(code, { language: name, ignoreIllegals: true }).value
    } catch {
      return ""
    }
  },
})

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx].attrSet("rel", REL)
  return self.renderToken(tokens, idx, options)
}

md.renderer.rules.image = (tokens, idx) => {
  const token = tokens[idx]
  const src = token.attrGet("src") ?? ""
  const alt = token.children?.map((c) => c.content).join("") || src
  return `<a class="md-image" href="${escape(src)}" rel="${REL}">image: ${escape(alt)}</a>`
}

export function render(text: string): string {
  if (text.length > MAX_MARKDOWN) return `<pre class="plain">${escape(text)}</pre>`
  return md.render(text)
}

/** Highlighted code for a known language, else escaped text. */
export function code(value: string, language: string): string {
  if (language && value.length <= MAX_HIGHLIGHT && hljs.getLanguage(language)) {
    try {
      return hljs.highlight(value, { language, ignoreIllegals: true }).value
    } catch {
      // fall through to plain text
    }
  }
  return escape(value)
}

const EXT: Record<string, string> = {
  ts: "typescript",
  tsx: "typescript",
  js: "javascript",
  jsx: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  py: "python",
  rb: "ruby",
  rs: "rust",
  go: "go",
  java: "java",
  kt: "kotlin",
  c: "c",
  h: "c",
  cc: "cpp",
  cpp: "cpp",
  hpp: "cpp",
  cs: "csharp",
  php: "php",
  sh: "bash",
  bash: "bash",
  zsh: "bash",
  json: "json",
  yml: "yaml",
  yaml: "yaml",
  toml: "ini",
  ini: "ini",
  md: "markdown",
  html: "xml",
  xml: "xml",
  svg: "xml",
  css: "css",
  scss: "scss",
  sql: "sql",
  swift: "swift",
  lua: "lua",
  diff: "diff",
  patch: "diff",
}

export function languageOf(path: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? ""
  return Object.hasOwn(EXT, ext) ? EXT[ext] : ""
}
