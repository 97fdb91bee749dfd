/** A small argument parser: `--flag`, `--no-flag`, `--name value`, `--name=value`, `-y`. */
import { usage } from "./exit.ts"

export type Spec = Record<string, { type: "boolean" | "string"; short?: string }>
export type Parsed<S extends Spec> = {
  flags: { [K in keyof S]?: S[K]["type"] extends "boolean" ? boolean : string }
  positionals: string[]
}

export function parse<S extends Spec>(args: string[], spec: S, verb: string): Parsed<S> {
  const flags: Record<string, string | boolean> = {}
  const positionals: string[] = []
  const byShort = new Map(Object.entries(spec).flatMap(([name, s]) => (s.short ? [[s.short, name] as const] : [])))
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === "--") {
      positionals.push(...args.slice(i + 1))
      break
    }
    if (arg.startsWith("--")) {
      const [raw, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined]
      const negated = raw.startsWith("no-") && spec[raw.slice(3)]?.type === "boolean"
      const name = negated ? raw.slice(3) : raw
      const s = spec[name]
      if (!s) throw usage(`agentshare ${verb}: unknown option --${raw}`)
      if (s.type === "boolean") {
        if (inline !== undefined) throw usage(`agentshare ${verb}: --${name} takes no value`)
        flags[name] = !negated
      } else {
        const value = inline ?? args[++i]
        if (value === undefined || (inline === undefined && value.startsWith("--"))) throw usage(`agentshare ${verb}: --${name} needs a value`)
        flags[name] = value
      }
    } else if (/^-[a-zA-Z]$/.test(arg)) {
      const name = byShort.get(arg.slice(1))
      if (!name) throw usage(`agentshare ${verb}: unknown option ${arg}`)
      if (spec[name].type === "boolean") flags[name] = true
      else {
        const value = args[++i]
        if (value === undefined) throw usage(`agentshare ${verb}: ${arg} needs a value`)
        flags[name] = value
      }
    } else positionals.push(arg)
  }
  return { flags: flags as Parsed<S>["flags"], positionals }
}
