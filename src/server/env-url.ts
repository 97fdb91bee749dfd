/** URL parsing for environment variables: one message for a value that is not a URL. */
import { z } from "zod"

/** Parses `s` as a URL inside a zod transform, or reports it and returns z.NEVER. */
export function parseUrl(s: string, ctx: z.RefinementCtx): URL | typeof z.NEVER {
  try {
    return new URL(s)
  } catch {
    ctx.addIssue({ code: "custom", message: `"${s}" is not a URL` })
    return z.NEVER
  }
}
