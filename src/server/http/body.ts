/** Reads a JSON request body and validates it, turning every failure into a clear 4xx. */
import type { Context } from "hono"
import type { z } from "zod"
import { MAX_JSON_DEPTH } from "../../schema/index.ts"
import { ApiError, badRequest, invalidJson, unsupportedMedia } from "../errors.ts"

export async function json<T extends z.ZodType>(c: Context, schema: T, options: { strictType?: boolean } = {}): Promise<z.infer<T>> {
  const type = c.req.header("content-type") ?? ""
  if (options.strictType !== false && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw unsupportedMedia()
  }
  let text: string
  try {
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes)
  } catch (error) {
    if (error instanceof ApiError) throw error
    throw badRequest("invalid_encoding", "the request body is not valid UTF-8")
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw invalidJson()
  }
  if (depth(value) > MAX_JSON_DEPTH) throw badRequest("too_deep", `the request body nests deeper than ${MAX_JSON_DEPTH} levels`)
  const r = schema.safeParse(value)
  if (!r.success) {
    const issue = r.error.issues[0]
    const path = issue.path.length ? issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : i ? `.${String(p)}` : String(p))).join("") : "body"
    throw badRequest("invalid_body", `${path}: ${issue.message}`)
  }
  return r.data
}

/** Nesting depth, measured without recursion so a hostile body cannot exhaust the stack. */
export function depth(value: unknown): number {
  let max = 0
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length) {
    const [v, d] = stack.pop()!
    if (typeof v !== "object" || v === null) continue
    if (d > max) max = d
    if (max > MAX_JSON_DEPTH) return max
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1])
  }
  return max
}
