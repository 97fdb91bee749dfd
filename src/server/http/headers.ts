/** The security headers every page gets: a strict CSP, no sniffing, no referrer, no framing; and content negotiation. */
import type { Context } from "hono"

/** Nothing but our own stylesheet and script may load or run; no framing, no referrer. */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** `formAction`: where the page's forms may go (the login pages' own forms); none by default. */
export function pageHeaders(c: Context, noindex: boolean, formAction?: string) {
  c.header("content-security-policy", formAction ? CSP.replace("form-action 'none'", `form-action ${formAction}`) : CSP)
  c.header("x-content-type-options", "nosniff")
  c.header("referrer-policy", "no-referrer")
  c.header("x-frame-options", "DENY")
  if (noindex) c.header("x-robots-tag", "noindex, nofollow")
}

/** Admin pages run no script and post forms only to themselves. */
const ADMIN_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

export function adminHeaders(c: Context) {
  c.header("content-security-policy", ADMIN_CSP)
  c.header("x-content-type-options", "nosniff")
  c.header("referrer-policy", "no-referrer")
  c.header("x-frame-options", "DENY")
  c.header("x-robots-tag", "noindex, nofollow")
  c.header("cache-control", "no-store")
}

/** Markdown only when the client prefers it to HTML (agents send `Accept: text/markdown`). */
export function wantsMarkdown(accept: string | undefined): boolean {
  if (!accept) return false
  let md = -1
  let html = -1
  for (const entry of accept.split(",")) {
    const [type, ...params] = entry.trim().toLowerCase().split(";")
    const q = Number(
      params
        .map((p) => p.trim())
        .find((p) => p.startsWith("q="))
        ?.slice(2) ?? 1,
    )
    if (type.trim() === "text/markdown") md = Math.max(md, q)
    if (type.trim() === "text/html" || type.trim() === "*/*" || type.trim() === "text/*")
      html = Math.max(html, type.trim() === "text/html" ? q : q - 0.001)
  }
  return md > 0 && md >= html
}
