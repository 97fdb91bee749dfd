/** Reads an `opencode export` document (a file or stdin) into the same items as the database. */
import { Exported } from "../../schema/index.ts"

export class InvalidExport extends Error {
  constructor(where: string, detail: string) {
    super(`${where} is not an opencode export document: ${detail}`)
    this.name = "InvalidExport"
  }
}

export function parse(text: string, where: string): Exported {
  // `opencode export` may print a status line before the JSON document.
  const start = text.indexOf("{")
  if (start < 0) throw new InvalidExport(where, "no JSON object found")
  let value: unknown
  try {
    value = JSON.parse(text.slice(start))
  } catch (error) {
    throw new InvalidExport(where, (error as Error).message)
  }
  const r = Exported.safeParse(value)
  if (!r.success) {
    const issue = r.error.issues[0]
    throw new InvalidExport(where, `${issue?.path.join(".") || "document"}: ${issue?.message}`)
  }
  return r.data
}
