import { z } from "zod"

/** The body of every error response: `{ error: { code, message } }`. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
  }),
})
export type ErrorBody = z.infer<typeof ErrorBody>
