/**
 * Request bodies: the size limit, and JSON read through the one hostile-JSON reader, every
 * failure a clear 4xx. A body with a Content-Length is checked against it before a byte is
 * read, and then read straight from the Node request (no web Request or stream is built); only a
 * chunked body without one is counted as it streams.
 */
import type { Context, MiddlewareHandler } from "hono"
import { bodyLimit } from "hono/body-limit"
import type { z } from "zod"
import { Read } from "../../schema/index.ts"
import { ApiError, badRequest, invalidJson, tooLarge, unsupportedMedia } from "../errors.ts"

const PROBLEM = {
  invalid_json: () => invalidJson(),
  too_deep: (m: string) => badRequest("too_deep", `the request body ${m}`),
  invalid_body: (m: string) => badRequest("invalid_body", m),
}

/** Node's request under @hono/node-server; absent where the app is called without it (tests). */
type NodeBindings = { incoming?: { headers?: Record<string, string | string[] | undefined> } }

const header = (c: Context, name: string): string | undefined => {
  const headers = (c.env as NodeBindings | undefined)?.incoming?.headers
  if (!headers) return c.req.header(name)
  const v = headers[name]
  return Array.isArray(v) ? v.join(", ") : v
}

/** Bodies past `max` bytes are refused with 413 too_large. */
export function limit(max: number): MiddlewareHandler {
  const over = () => {
    throw tooLarge("the request body", max)
  }
  const streamed = bodyLimit({ maxSize: max, onError: over })
  return async (c, next) => {
    const method = c.req.method
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next()
    const length = header(c, "content-length")
    // With a Content-Length (and no Transfer-Encoding, which Node would let override it), Node's
    // parser delivers exactly that many bytes: checking the header is checking the body.
    if (length !== undefined && header(c, "transfer-encoding") === undefined) {
      if (!/^\d{1,16}$/.test(length.trim()))
        throw badRequest("invalid_body", "the Content-Length header is not a number")
      return Number(length) > max ? over() : next()
    }
    return streamed(c, next)
  }
}

export async function json<T extends z.ZodType>(
  c: Context,
  schema: T,
  options: { strictType?: boolean } = {},
): Promise<z.infer<T>> {
  const type = header(c, "content-type") ?? ""
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
