/** edit, write, multiedit, apply_patch/patch, notebook edits: unified diffs with +/− counts
 * and diagnostics. Paths and strings are read under every agent's argument names. */
import * as Diff from "../diff.ts"
import { escape } from "../escape.ts"
import * as Format from "../format.ts"
import * as Markdown from "../markdown.ts"
import { arr, get, isRec, num, rec, str } from "../read.ts"
import type { Ctx } from "../context.ts"
import { frame, pick, type Tool } from "./frame.ts"

/** LSP diagnostics (errors only, as OpenCode reports them back to the model), at most 10. */
function diagnostics(t: Tool): string {
  const rows: string[] = []
  for (const [file, list] of Object.entries(rec(t.meta.diagnostics))) {
    for (const d of arr(list)) {
      if (!isRec(d) || (d.severity !== undefined && d.severity !== 1)) continue
      const line = num(get(d, "range", "start", "line")) + 1
      const col = num(get(d, "range", "start", "character")) + 1
      rows.push(`<li><code>${escape(Format.splitPath(file).name)}:${line}:${col}</code> ${escape(str(d.message))}</li>`)
    }
  }
  if (rows.length === 0) return ""
  return `<ul class="diagnostics" aria-label="Diagnostics">${rows.slice(0, 10).join("")}${rows.length > 10 ? `<li>… ${rows.length - 10} more</li>` : ""}</ul>`
}

function path(t: Tool, ctx: Ctx): string {
  return Format.relative(
    pick(t.input, "filePath", "file_path", "absolute_path", "notebook_path", "path") || str(t.meta.filepath) || t.title,
    ctx.root,
  )
}

export function edit(t: Tool, ctx: Ctx): string {
  const file = path(t, ctx)
  if (t.kind === "notebook") return notebook(t, file)
  const fd = rec(t.meta.filediff)
  const d =
    str(fd.patch) || str(fd.before) || str(fd.after)
      ? Diff.normalize(fd, file)
      : str(t.meta.diff)
        ? Diff.normalize({ patch: t.meta.diff }, file)
        : Diff.normalize(
            { before: pick(t.input, "oldString", "old_string"), after: pick(t.input, "newString", "new_string") },
            file,
          )
  const edits = arr(t.input.edits).filter(isRec)
  const multi =
    !str(t.meta.diff) && edits.length > 0
      ? edits
          .map((e) =>
            Diff.html(Diff.unified(pick(e, "oldString", "old_string"), pick(e, "newString", "new_string"), file), file),
          )
          .join("")
      : ""
  const body = (multi || Diff.html(d.text, file)) + diagnostics(t)
  const counts = multi ? "" : Diff.counts(d)
  return frame(t, { label: "Edit", subtitle: file, extra: counts, body, cls: "edit" })
}

/** A notebook cell edit: the cell's new source. */
function notebook(t: Tool, file: string): string {
  const source = pick(t.input, "new_source")
  const c = Format.clip(source, 60_000)
  const cell = [
    pick(t.input, "edit_mode"),
    pick(t.input, "cell_type"),
    pick(t.input, "cell_id") && `cell ${pick(t.input, "cell_id")}`,
  ]
    .filter(Boolean)
    .join(" · ")
  const body = `${cell ? `<p class="muted">${escape(cell)}</p>` : ""}<pre class="code">${Markdown.code(c.text, str(t.meta.language) || "python")}${c.cut ? `\n<span class="muted">… ${c.cut} more characters</span>` : ""}</pre>`
  return frame(t, { label: "Notebook", subtitle: file, body, cls: "edit" })
}

export function write(t: Tool, ctx: Ctx): string {
  const file = path(t, ctx)
  const content = str(t.input.content)
  const c = Format.clip(content, 60_000)
  const lines = content ? content.split("\n").length - (content.endsWith("\n") ? 1 : 0) : 0
  const body = `<pre class="code">${Markdown.code(c.text, Markdown.languageOf(file))}${c.cut ? `\n<span class="muted">… ${c.cut} more characters</span>` : ""}</pre>${diagnostics(t)}`
  const extra = `<span class="counts"><span class="add">+${lines}</span></span>${t.meta.exists === true ? ' <span class="badge">overwrote</span>' : ""}`
  return frame(t, { label: "Write", subtitle: file, extra, body, cls: "write" })
}

export function patch(t: Tool, ctx: Ctx): string {
  const files = arr(t.meta.files)
    .filter(isRec)
    .map((f) => Diff.normalize(f, Format.relative(str(f.relativePath) || str(f.filePath), ctx.root)))
  const diffs = files.length > 0 ? files : str(t.meta.diff) ? [Diff.normalize({ patch: t.meta.diff })] : []
  const body =
    diffs.length > 0
      ? diffs.map((d) => Diff.file({ ...d, file: Format.relative(d.file, ctx.root) }, diffs.length === 1)).join("")
      : Diff.html(pick(t.input, "patchText", "input", "patch"))
  const total = {
    additions: diffs.reduce((s, d) => s + d.additions, 0),
    deletions: diffs.reduce((s, d) => s + d.deletions, 0),
  }
  const subtitle = diffs.length === 1 ? Format.relative(diffs[0].file, ctx.root) : Format.plural(diffs.length, "file")
  return frame(t, {
    label: "Patch",
    subtitle,
    extra: diffs.length ? Diff.counts(total) : "",
    body: body + diagnostics(t),
    cls: "edit",
  })
}
