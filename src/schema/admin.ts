/** Bodies of the admin API (`/api/admin`, docs/ENTERPRISE.md). */
import { z } from "zod"

/** `PUT /api/admin/policy`: the creation kill switch, on or off. */
export const PolicyRequest = z.object({ killSwitch: z.boolean() })
export type PolicyRequest = z.infer<typeof PolicyRequest>

/** What `GET`/`PUT /api/admin/policy` answer: the configured policy, the switch, and the policy in force. */
export const PolicyResponse = z.object({
  createAccess: z.enum(["open", "network", "disabled"]),
  killSwitch: z.boolean(),
  effective: z.enum(["open", "network", "disabled"]),
})
export type PolicyResponse = z.infer<typeof PolicyResponse>
