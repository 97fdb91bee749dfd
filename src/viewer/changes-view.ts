/**
 * The Changes view (`?view=changes`): every file the session's own calls changed, each with
 * its net diff and +/− counts, unified or split, every hunk linked to the turn(s) that made it.
 * Files whose calls do not compose show each call's own diff, linked the same way. Files the
 * worktree's `session_diff` names that no call of this session touched are listed apart: other
 * sessions in the same worktree may have changed them.
 */
import * as Changes from "./changes.ts"
import * as Diff from "./diff.ts"
import { escape } from "./escape.ts"
import * as Format from "./format.ts"
import type { Transcript } from "./model.ts"
import type * as Window from "./window.ts"
import * as W from "./window.ts"

export type ViewInput = { base: string; window: Window.Window; clean: (html: string) => string }

const memo = new WeakMap<Transcript, Map<string, string>>()

export const count = (t: Transcript) => Changes.count(t)

/** A link to turn `id` (on the conversation page that holds it). */
function link(t: Transcript, base: string, id: string): string {
  const index = t.root.turns.findIndex((x) => x.id === id)
  if (index < 0) return ""
  const page = W.page(t.root.turns.length, Math.floor(index / W.PAGE))
  return `<a href="${escape(base)}${W.query(page)}#t-${encodeURIComponent(id)}">turn ${index + 1}</a>`
}

export function view(t: Transcript, input: ViewInput): string {
  let cache = memo.get(t)
  if (!cache) memo.set(t, (cache = new Map()))
  const hit = cache.get(input.base)
  if (hit !== undefined) return hit
  const html = input.clean(render(t, input))
  cache.set(input.base, html)
  return html
}

function render(t: Transcript, input: ViewInput): string {
  const files = Changes.files(t).map(Changes.compose)
  const own = new Set(files.map((f) => f.path))
  const turnLinks = (ids: string[]) =>
    ids
      .map((id) => link(t, input.base, id))
      .filter(Boolean)
      .join(", ")
  const total = {
    additions: files.reduce((s, f) => s + f.additions, 0),
    deletions: files.reduce((s, f) => s + f.deletions, 0),
  }
  const index = files.length
    ? `<nav class="file-index" aria-label="Files"><ol>${files.map((f, i) => `<li><a href="#f-${i}"><code>${escape(f.path)}</code></a> ${badge(f.status)}${Diff.counts(f)}</li>`).join("")}</ol></nav>`
    : '<p class="empty">This session changed no files through its own edit, write or patch calls.</p>'
  const cards = files
    .map((f, i) => {
      let body: string
      if (f.net !== undefined) {
        const notes = f.turns.map((ids) => (ids.length ? turnLinks(ids) : undefined))
        body = f.net
          ? Diff.html(f.net, f.path, notes)
          : '<p class="muted">The calls changed this file and then changed it back: no net difference.</p>'
      } else {
        body = `<p class="muted">These calls could not be put together into one diff: each is shown as it was made.</p>${f.steps
          .map((s) => {
            const d = Changes.stepDiff(f.path, s)
            const where = link(t, input.base, s.turn)
            return `<div class="step"><p class="step-head">${where || "a sub-agent"} ${Diff.counts(d)}</p>${d.text ? Diff.html(d.text, f.path) : '<p class="muted">No diff recorded.</p>'}</div>`
          })
          .join("")}`
      }
      return `<details class="file change" id="f-${i}" open><summary><span class="ic i-edit" aria-hidden="true"></span><code>${escape(f.path)}</code> ${badge(f.status)}${Diff.counts(f)} <span class="muted">${Format.plural(f.steps.length, "call")}</span></summary>${body}</details>`
    })
    .join("")
  const worktree = t.root.diffs
    .map((d) => (typeof d === "object" && d !== null ? Diff.normalize(d as Record<string, unknown>) : undefined))
    .filter((d): d is Diff.Diff => !!d && !own.has(d.file.replace(/^\.\//, "")))
  const others = worktree.length
    ? `<details class="files others"><summary>${Format.plural(worktree.length, "more file")} in the worktree's diff <span class="muted">(not changed by this session's calls: another session may have changed them)</span></summary>${worktree.map((d) => Diff.file(d)).join("")}</details>`
    : ""
  return `<section class="changes" aria-label="Changes"><h2>${Format.plural(files.length, "file")} changed ${Diff.counts(total)}</h2>${index}${cards}${others}</section>`
}

function badge(status: string): string {
  return status === "modified" ? "" : `<span class="badge ${status}">${status}</span> `
}
