/**
 * Child processes for tests: each runs in its own process group with a hard time limit, so a
 * hung client and everything it started can be stopped together.
 */
import { spawn, type ChildProcess } from "node:child_process"

export type Result = { code: number | null; signal: string | null; stdout: string; stderr: string; timedOut: boolean }

export type Options = { cwd?: string; env?: Record<string, string>; timeoutMs: number; input?: string }

/** Stops a process group: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null)
    return signalGroup(child, "SIGKILL")
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  signalGroup(child, "SIGTERM")
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), graceMs)))
  await Promise.race([exited, late])
  clearTimeout(timer)
  // Children the client started (plugin installs, shells) may outlive it: always sweep the group.
  signalGroup(child, "SIGKILL")
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // The group is already gone.
  }
}

/** Starts `command` in a new process group with stdin closed (or fed `input`). */
export function start(command: string, args: string[], options: Omit<Options, "timeoutMs">): ChildProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  })
  child.stdin?.end(options.input ?? "")
  return child
}

/** Runs to completion, killing the whole group when `timeoutMs` passes. Never rejects on exit codes. */
export async function run(command: string, args: string[], options: Options): Promise<Result> {
  const child = start(command, args, options)
  let stdout = ""
  let stderr = ""
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d))
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d))
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    void stop(child)
  }, options.timeoutMs)
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()))
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once("error", reject)
    child.once("exit", (c, s) => resolve([c, s]))
  }).finally(() => clearTimeout(timer))
  // Background children of the client (e.g. its plugin install) may still hold the output pipes
  // open; end the group so the pipes close, then read what is left in them.
  await stop(child, 0)
  await closed
  return { code, signal, stdout, stderr, timedOut }
}

/** Removes ANSI colour codes, which `opencode run` puts around the share URL. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "")
}
