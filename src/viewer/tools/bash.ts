/** bash: a terminal block with `$ command`, the output and the exit code. */
import { escape } from "../escape.ts"
import { opt, str } from "../read.ts"
import { frame, stripAnsi, type Tool } from "./frame.ts"
import * as Format from "../format.ts"

export function bash(t: Tool): string {
  const command = str(t.input.command)
  // While running, the output streams into metadata; once done it is also in `output`.
  const out = stripAnsi(t.output || str(t.meta.output))
  const exit = opt(t.meta.exit)
  const c = Format.clip(out, 60_000)
  const code = exit === undefined ? "" : `<div class="exit ${exit === 0 ? "ok" : "bad"}">exit ${exit}</div>`
  const body = `<pre class="term"><span class="prompt">$ ${escape(command)}</span>${c.text ? "\n" + escape(c.text) : ""}${c.cut ? `\n<span class="muted">… ${c.cut} more characters</span>` : ""}</pre>${code}`
  const badge = exit !== undefined && exit !== 0 ? ` <span class="badge bad">exit ${exit}</span>` : ""
  return frame(t, { label: "Shell", subtitle: str(t.input.description) || command.split("\n")[0], extra: badge, body, open: true, cls: "bash" })
}
