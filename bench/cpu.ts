/**
 * CPU time from /proc, which holds up on a noisy shared machine where wall-clock rates swing
 * 2-5x: a process's (all its threads') user + system seconds, and PostgreSQL's backends'.
 */
import { readdirSync, readFileSync } from "node:fs"

const TICKS = 100 // sysconf(_SC_CLK_TCK) on Linux

/** User + system CPU seconds a process (every thread of it) has used so far; 0 once it is gone. */
export function seconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    // The command name may hold spaces and parentheses: fields count from the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return (Number(fields[11]) + Number(fields[12])) / TICKS
  } catch {
    return 0
  }
}

/** Every process named `postgres` (the postmaster and its backends). */
export function postgresPids(): number[] {
  const out: number[] = []
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue
    try {
      if (readFileSync(`/proc/${name}/comm`, "utf8").trim() === "postgres") out.push(Number(name))
    } catch {
      // gone meanwhile
    }
  }
  return out
}

/**
 * CPU seconds of PostgreSQL's processes over `run`: backends that exit during it are counted
 * by the time they had at the start (their later time is lost, a slight undercount).
 */
export async function measure<T>(pids: () => number[], run: () => Promise<T>): Promise<{ value: T; cpu: number }> {
  const before = new Map(pids().map((p) => [p, seconds(p)]))
  const value = await run()
  let cpu = 0
  for (const p of new Set([...before.keys(), ...pids()])) cpu += Math.max(0, seconds(p) - (before.get(p) ?? 0))
  return { value, cpu }
}

/** This process's own CPU seconds (every thread), from process.cpuUsage. */
export const self = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}
