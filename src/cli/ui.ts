/**
 * Terminal output: a progress bar, a yes/no prompt, the clipboard, and plain printing. Every
 * line printed here is sanitized (sanitize.ts): the text of shares, sessions and servers reaches
 * the terminal without a control character or escape sequence of its own.
 */
import { spawnSync } from "node:child_process"
import { createInterface } from "node:readline/promises"
import type { Env } from "./env.ts"
import * as Sanitize from "./sanitize.ts"

export const print = (env: Env, text = "") => void env.stdout.write(`${Sanitize.text(text)}\n`)
export const note = (env: Env, text = "") => void env.stderr.write(`${Sanitize.text(text)}\n`)
/** Pretty JSON; every control character escaped, so the values are exactly the data's. */
export const json = (env: Env, value: unknown) => print(env, Sanitize.json(value, 2))
/** One JSON object on one line (`--json` event streams). */
export const jsonLine = (env: Env, value: unknown) => print(env, Sanitize.json(value))
/** Untrusted text put on one line (a title inside a sentence): newlines and tabs become spaces. */
export const line = Sanitize.line

export type Progress = { add(n: number): void; done(): void }

/** A progress bar on stderr when it is a terminal; silent otherwise. */
export function progress(env: Env, total: number, label: string): Progress {
  if (!env.stderr.isTTY || total === 0) return { add() {}, done() {} }
  let count = 0
  const width = 30
  const draw = () => {
    const filled = Math.round((Math.min(count, total) / total) * width)
    env.stderr.write(
      `\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.min(count, total)}/${total} items`,
    )
  }
  draw()
  return {
    add(n) {
      count += n
      draw()
    },
    done() {
      count = total
      draw()
      env.stderr.write("\n")
    },
  }
}

/** Asks on the terminal; answers false without a terminal. */
export async function confirm(env: Env, question: string): Promise<boolean> {
  if (!env.tty) return false
  const rl = createInterface({ input: env.stdin, output: env.stderr, terminal: true })
  try {
    const answer = await rl.question(`${Sanitize.line(question)} [y/N] `)
    return /^y(es)?$/i.test(answer.trim())
  } finally {
    rl.close()
  }
}

export type Copied = "osc52" | "wl-copy" | "xclip" | "pbcopy" | "none"

const TOOLS: [Copied, string, string[]][] = [
  ["wl-copy", "wl-copy", []],
  ["xclip", "xclip", ["-selection", "clipboard"]],
  ["pbcopy", "pbcopy", []],
]

/**
 * Copies text: OSC 52 when stdout is a terminal that is not dumb (it reaches the clipboard of the
 * terminal the user sits at, even over ssh; AGENTSHARE_NO_OSC52=1 turns it off), else the first clipboard tool that works, else nothing.
 */
export function copy(env: Env, value: string): Copied {
  // What the server answered as a URL goes to the clipboard: a newline in it would run a command when pasted.
  const text = Sanitize.line(value)
  const term = env.vars.TERM ?? ""
  if (env.stdout.isTTY && term && term !== "dumb" && env.vars.AGENTSHARE_NO_OSC52 !== "1") {
    const seq = `\x1b]52;c;${Buffer.from(text).toString("base64")}\x07`
    // tmux (set-clipboard, on by default) takes OSC 52 itself and forwards it.
    env.stdout.write(seq)
    return "osc52"
  }
  for (const [name, cmd, args] of TOOLS) {
    const r = spawnSync(cmd, args, {
      input: text,
      stdio: ["pipe", "ignore", "ignore"],
      timeout: 5000,
      env: env.vars as NodeJS.ProcessEnv,
    })
    if (!r.error && r.status === 0) return name
  }
  return "none"
}

export function ago(at: number | null, now = Date.now()): string {
  if (at === null) return "never"
  const s = Math.max(0, Math.round((now - at) / 1000))
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.round(s / 60)}m ago`
  if (s < 86400) return `${Math.round(s / 3600)}h ago`
  return `${Math.round(s / 86400)}d ago`
}

/** `text` cut to `width` characters, with an ellipsis when cut. */
export function clip(text: string, width: number): string {
  const chars = [...text]
  if (chars.length <= width) return text
  return width <= 1 ? "…".slice(0, width) : `${chars.slice(0, width - 1).join("")}…`
}

/** `text` cut from the left (for paths: the end says the most). */
export function clipLeft(text: string, width: number): string {
  const chars = [...text]
  if (chars.length <= width) return text
  return width <= 1 ? "…".slice(0, width) : `…${chars.slice(chars.length - width + 1).join("")}`
}

export type FitOptions = {
  /** Total width of each line, indent included (default 80: a terminal's least). */
  width?: number
  indent?: string
  /** Columns that may be cut, and how (default: every column but the first, from the right). */
  shrink?: Record<number, "right" | "left">
  /** No column is cut below this (default 6). */
  min?: number
  /** Widest a column may be, before any other is cut. */
  max?: Record<number, number>
}

/**
 * Left-aligned columns that fit `width`: while a line is too long, the widest column that may
 * shrink loses a character, and its cells are cut with an ellipsis. Each cell is on one line.
 */
export function fit(cells: string[][], options: FitOptions = {}): string {
  const { width = 80, indent = "", min = 6 } = options
  const rows = cells.map((r) => r.map(Sanitize.line))
  const n = Math.max(0, ...rows.map((r) => r.length))
  const shrink = options.shrink ?? Object.fromEntries(Array.from({ length: n }, (_, i) => [i, "right"]).slice(1))
  const widths = Array.from({ length: n }, (_, i) =>
    Math.min(options.max?.[i] ?? Infinity, Math.max(0, ...rows.map((r) => [...(r[i] ?? "")].length))),
  )
  const total = () => indent.length + widths.reduce((a, b) => a + b, 0) + 2 * Math.max(0, n - 1)
  while (total() > width) {
    let widest = -1
    for (let i = 0; i < n; i++)
      if (shrink[i] && widths[i] > min && (widest < 0 || widths[i] > widths[widest])) widest = i
    if (widest < 0) break
    widths[widest] -= 1
  }
  return rows
    .map(
      (r) =>
        indent +
        r
          .map((c, i) => {
            const cut =
              [...c].length > widths[i] ? (shrink[i] === "left" ? clipLeft(c, widths[i]) : clip(c, widths[i])) : c
            return i === r.length - 1 ? cut : cut + " ".repeat(Math.max(0, widths[i] - [...cut].length))
          })
          .join("  ")
          .trimEnd(),
    )
    .join("\n")
}

/** Left-aligned columns, each cell on one line. */
export function table(cells: string[][]): string {
  const rows = cells.map((r) => r.map(Sanitize.line))
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? []
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ")).join("\n")
}
