/**
 * Per-step cost and tokens from step-finish parts, on demand, with how full the model's
 * context was after each step when the share's model item gives `limit.context`.
 */
import { escape } from "./escape.ts"
import * as Format from "./format.ts"
import type { Msg, Transcript } from "./model.ts"
import { get, num, rec, str, type Rec } from "./read.ts"

/** Context limits by "provider/model" (and by bare model id), per transcript. */
const memo = new WeakMap<Transcript, Map<string, number>>()

function limits(t: Transcript): Map<string, number> {
  const hit = memo.get(t)
  if (hit) return hit
  const out = new Map<string, number>()
  for (const s of t.sessions.values())
    for (const m of s.models) {
      const limit = num(get(m, "limit", "context"))
      const id = str(m.id)
      if (!id || !(limit > 0)) continue
      out.set(`${str(m.providerID)}/${id}`, limit)
      if (!out.has(id)) out.set(id, limit)
    }
  memo.set(t, out)
  return out
}

/** The context window of the model that wrote `m`, or 0 when the share does not say. */
export function limit(t: Transcript, m: Msg): number {
  const id = str(m.info.modelID) || str(get(m.info, "model", "modelID"))
  if (!id) return 0
  const provider = str(m.info.providerID) || str(get(m.info, "model", "providerID"))
  const all = limits(t)
  return all.get(`${provider}/${id}`) ?? all.get(id) ?? 0
}

/** Tokens in the context after a step: what was read plus what was written. */
export function used(step: Rec): number {
  const k = rec(step.tokens)
  const total = num(k.total)
  if (total > 0) return total
  return num(k.input) + num(k.output) + num(k.reasoning) + num(get(k, "cache", "read")) + num(get(k, "cache", "write"))
}

/** A bar of `value` out of `max`, with the figures as its text. */
export function meter(value: number, max: number): string {
  const pct = Math.min(100, Math.round((value / max) * 100))
  const tip = `${value} of ${max} context tokens (${pct}%)`
  return `<span class="ctx" title="${escape(tip)}"><meter min="0" max="${max}" low="${Math.round(max * 0.6)}" high="${Math.round(max * 0.85)}" optimum="0" value="${Math.min(value, max)}" aria-label="Context used">${pct}%</meter> ${Format.tokens(value)} / ${Format.tokens(max)}</span>`
}

export function usage(replies: Msg[], t: Transcript): string {
  const steps = replies.flatMap((m) =>
    m.parts.filter((p) => p.type === "step-finish").map((p) => ({ p, max: limit(t, m) })),
  )
  if (steps.length === 0) return ""
  const context = steps.some((s) => s.max > 0)
  const row = ({ p, max }: { p: Rec; max: number }, i: number) => {
    const k = rec(p.tokens)
    const ctx = context ? `<td>${max > 0 ? meter(used(p), max) : ""}</td>` : ""
    return `<tr><td>${i + 1}</td><td>${escape(str(p.reason))}</td><td>${Format.cost(num(p.cost))}</td><td>${Format.tokens(num(k.input))}</td><td>${Format.tokens(num(k.output))}</td><td>${Format.tokens(num(k.reasoning))}</td><td>${Format.tokens(num(get(k, "cache", "read")))}/${Format.tokens(num(get(k, "cache", "write")))}</td>${ctx}</tr>`
  }
  const total = steps.reduce((s, x) => s + num(x.p.cost), 0)
  const out = steps.reduce((s, x) => s + num(get(x.p, "tokens", "output")), 0)
  const last = steps.findLast((s) => s.max > 0)
  const now = last ? ` · context ${meter(used(last.p), last.max)}` : ""
  return `<details class="usage"><summary>${Format.plural(steps.length, "step")} · ${Format.cost(total)} · ${Format.tokens(out)} output tokens${now}</summary><table><thead><tr><th>#</th><th>finish</th><th>cost</th><th>input</th><th>output</th><th>reasoning</th><th>cache r/w</th>${context ? "<th>context</th>" : ""}</tr></thead><tbody>${steps.map(row).join("")}</tbody></table></details>`
}
