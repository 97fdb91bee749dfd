/**
 * Redactions on the page: each `[redacted:<rule>]` marker (from redaction on upload, on ingest
 * or an owner's takedown) drawn as a badge, and the share's count of secrets redacted on
 * upload, in aggregate only: which rule or where is for the uploader, not for the public.
 */
import { escape } from "./escape.ts"

/** The marker as src/secrets writes it; a rule id is short and plain. */
const MARKER = /\[redacted:([A-Za-z0-9][\w./-]{0,80})\]/g

/**
 * Wraps every marker in the text of rendered HTML in a badge. Only text between tags is
 * touched: everything the viewer renders is escaped, so a `<` or `>` in it always belongs to
 * a tag and an attribute value never holds one, and a marker inside an attribute is left be.
 */
export function mark(html: string): string {
  if (!html.includes("[redacted:")) return html
  return html
    .split(/(<[^>]*>)/)
    .map((piece, i) =>
      i % 2 === 1
        ? piece
        : piece.replace(
            MARKER,
            (text, rule: string) =>
              `<span class="redacted" title="${escape(`A secret (${rule}) was redacted here`)}">${text}</span>`,
          ),
    )
    .join("")
}

/** "N secrets were redacted on upload", or "" for none. */
export function notice(count: number): string {
  if (!Number.isSafeInteger(count) || count <= 0) return ""
  const text = count === 1 ? "1 secret was redacted on upload" : `${count} secrets were redacted on upload`
  return `<p class="redactions" role="note"><span class="redacted">[redacted]</span> ${text}.</p>`
}
