/** Command-line options through `node:util` parseArgs: `--flag`, `--no-flag`, `--name value`, `--name=value`, `-y`. */
import { parseArgs } from "node:util"
import { usage } from "./exit.ts"

export type Spec = Record<string, { type: "boolean" | "string"; short?: string }>
export type Parsed<S extends Spec> = {
  flags: { [K in keyof S]?: S[K]["type"] extends "boolean" ? boolean : string }
  positionals: string[]
}

/** parseArgs's own messages name the option; ours say which verb, and never show a stack. */
export function parse<S extends Spec>(args: string[], spec: S, verb: string): Parsed<S> {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: spec,
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    })
    return { flags: values as Parsed<S>["flags"], positionals }
  } catch (error) {
    const message = (error as Error).message
      .replace(/\. To specify a positional argument.*$/s, "")
      .replace(/^Unknown option '([^']+)'.*$/s, "unknown option $1")
    throw usage(`agentshare ${verb}: ${message}`)
  }
}
