/** Reads a JSON request body through the one hostile-JSON reader, turning every failure into a clear 4xx. */
import type { Context } from "hono"
import type { z } from "zod"
import { Read } from "../../schema/index.ts"
import { ApiError, badRequest, invalidJson, unsupportedMedia } from "../errors.ts"

const PROBLEM = {
  invalid_json: () => invalidJson(),
  too_deep: (m: string) => badRequest("too_deep", `the request body ${m}`),
  invalid_body: (m: string) => badRequest("invalid_body", m),
}

export async function json<T extends z.ZodType>(
  c: Context,
  schema: T,
  options: { strictType?: boolean } = {},
): Promise<z.infer<T>> {
  const type = c.req.header("content-type") ?? ""
  if (options.strictType !== false && !/^application\/(.+\+)?json\b/i.test(type)) throw unsupportedMedia()
  let text: string
  try {
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes)
  } catch (error) {
    if (error instanceof ApiError) throw error
    throw badRequest("invalid_encoding", "the request body is not valid UTF-8")
  }
  const r = Read.json(text, schema)
  if (!r.ok) throw PROBLEM[r.problem](r.message)
  return r.value
}
