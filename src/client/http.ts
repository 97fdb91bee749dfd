/** HTTP to an agentshare server: JSON in and out, errors that say whether a retry can help. */
import type { z } from "zod"
import { ErrorBody, Read } from "../schema/index.ts"

/** The server answered with a status that is not 2xx. */
export class HttpError extends Error {
  readonly status: number
  readonly code: string
  /** Milliseconds the server asked us to wait (`Retry-After`), if it said. */
  readonly retryAfterMs: number | undefined
  constructor(status: number, code: string, message: string, retryAfterMs?: number) {
    super(message)
    this.name = "HttpError"
    this.status = status
    this.code = code
    this.retryAfterMs = retryAfterMs
  }
}

/** The request never got an answer (refused, reset, timed out) or the answer was not what the API promises. */
export class NetworkError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = "NetworkError"
  }
}

/** Network errors, 5xx and 429 may succeed later; any other 4xx never will. */
export function retryable(error: unknown): boolean {
  if (error instanceof NetworkError) return true
  if (error instanceof HttpError) return error.status >= 500 || error.status === 429
  return false
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now. */
export function retryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

export type RequestOptions = {
  method: string
  body?: unknown
  token?: string
  timeoutMs?: number
}

/** Sends one request and parses a 2xx body with `schema`; throws HttpError or NetworkError. */
export async function request<T extends z.ZodType>(
  url: string,
  schema: T,
  options: RequestOptions,
): Promise<z.infer<T>> {
  const headers: Record<string, string> = { accept: "application/json" }
  if (options.body !== undefined) headers["content-type"] = "application/json"
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let res: Response
  try {
    res = await fetch(url, {
      method: options.method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    })
  } catch (error) {
    throw new NetworkError(`${options.method} ${url}: ${describe(error)}`, { cause: error })
  }
  const text = await res.text().catch(() => "")
  if (!res.ok) {
    const parsed = Read.json(text, ErrorBody)
    const code = parsed.ok ? parsed.value.error.code : `http_${res.status}`
    const message = parsed.ok ? parsed.value.error.message : `${res.status} ${res.statusText}`.trim()
    throw new HttpError(res.status, code, message, retryAfter(res.headers.get("retry-after")))
  }
  const parsed = Read.json(text, schema)
  // A proxy or a different server on that URL: worth retrying like a network failure.
  if (!parsed.ok) throw new NetworkError(`${options.method} ${url}: unexpected response (${parsed.message})`)
  return parsed.value
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ""
    return `${error.message}${cause}`
  }
  return String(error)
}
