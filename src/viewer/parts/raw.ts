/** The fallback for anything unrecognised: a readable, escaped JSON view, never a crash. */
import { escape } from "../escape.ts"
import * as Format from "../format.ts"
import { str, text, type Rec } from "../read.ts"

export function raw(part: Rec | unknown, label: string): string {
  const id = typeof part === "object" && part !== null ? str((part as Rec).id) : ""
  const c = Format.clip(text(part), 20_000)
  return `<details class="raw"${id ? ` id="p-${escape(id)}" data-part` : ""}><summary>${escape(label)}</summary><pre>${escape(c.text)}${c.cut ? `\n… ${c.cut} more characters` : ""}</pre></details>`
}
