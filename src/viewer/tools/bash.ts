/** bash: a terminal block with `$ command`, the output and the exit code. */
import { escape } from "../escape.ts"
import { arr, opt, str, type Rec } from "../read.ts"
import { frame, stripAnsi, type Tool } from "./frame.ts"
import * as Format from "../format.ts"

/** The command line, whichever way the agent gave it: `command` (a string, or argv as Codex's
 * older shell tool sends it), `cmd` (Codex exec_command), keys sent to a running one. */
export function command(input: Rec): string {
  const c = input.command ?? input.cmd
  if (typeof c === "string") return c
  const argv = arr(c).filter((a): a is string => typeof a === "string")
  if (argv.length === 3 && /(^|\/)(ba|z|da)?sh$/.test(argv[0]) && /^-l?c$/.test(argv[1])) return argv[2]
  if (argv.length) return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ")
  if (typeof input.chars === "string") return `# stdin: ${JSON.stringify(input.chars)}`
  const id = str(input.bash_id) || str(input.shell_id) || str(input.session_id)
  return id ? `# shell ${id}` : ""
}

export function bash(t: Tool): string {
  const cmd = command(t.input)
  // While running, the output streams into metadata; once done it is also in `output`. Other
  // agents' `output` is what the model was sent (with their framing); metadata has the
  // command's own output.
  const out = stripAnsi(t.agent ? str(t.meta.output) || t.output : t.output || str(t.meta.output))
  const exit = opt(t.meta.exit)
  const c = Format.clip(out, 60_000)
  const code = exit === undefined ? "" : `<div class="exit ${exit === 0 ? "ok" : "bad"}">exit ${exit}</div>`
  const body = `<pre class="term"><span class="prompt">$ ${escape(cmd)}</span>${c.text ? `\n${escape(c.text)}` : ""}${c.cut ? `\n<span class="muted">… ${c.cut} more characters</span>` : ""}</pre>${code}`
  const badge = exit !== undefined && exit !== 0 ? `<span class="badge bad">exit ${exit}</span>` : ""
  const first = cmd.split("\n")[0]
  return frame(t, {
    label: "Shell",
    subtitle: first + (first !== cmd ? " …" : ""),
    hint: str(t.input.description) || str(t.meta.description),
    extra: badge,
    body,
    cls: "bash",
  })
}
