/** Reads a JSON request body and validates it, turning every failure into a clear 4xx. */
import type { Context } from "hono"
import type { z } from "zod"
import { ApiError, badRequest, invalidJson } from "./errors.ts"

export async function json<T extends z.ZodType>(c: Context, schema: T, options: { strictType?: boolean } = {}): Promise<z.infer<T>> {
  const type = c.req.header("content-type") ?? ""
  if (options.strictType !== false && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", "send the body as JSON with content-type: application/json")
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
  const r = schema.safeParse(value)
  if (!r.success) {
    const issue = r.error.issues[0]
    const path = issue.path.length ? issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : i ? `.${String(p)}` : String(p))).join("") : "body"
    throw badRequest("invalid_body", `${path}: ${issue.message}`)
  }
  return r.data
}
