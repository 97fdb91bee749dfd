/**
 * Creation policy (CREATE_ACCESS): `open` lets anyone create shares, as stock OpenCode clients
 * need (they send no credentials); `network` only clients in CREATE_NETWORKS; `disabled` nobody.
 * The admin's kill switch, a setting in the database so every instance sees it, disables
 * creation at runtime too. Existing shares keep syncing and being viewed either way.
 */
import type { Deps } from "../context.ts"
import * as Audit from "./audit.ts"
import { creationDisabled, outsideNetwork } from "../errors.ts"
import * as Ip from "../http/address.ts"

export type CreateAccess = "open" | "network" | "disabled"

const KILL_SWITCH = "create_disabled"

export const disabled = creationDisabled
export { outsideNetwork }

/** True when the admin's kill switch is on. */
export async function killed(deps: Deps): Promise<boolean> {
  return (await deps.store.settings.get(KILL_SWITCH)) === "true"
}

/** The policy in force: the configured one, or `disabled` while the kill switch is on. */
export async function access(deps: Deps): Promise<CreateAccess> {
  if (deps.config.enterprise.createAccess === "disabled") return "disabled"
  if (await killed(deps)) return "disabled"
  return deps.config.enterprise.createAccess
}

/** Throws the 403 a create from `ip` gets under the policy in force. */
export async function check(deps: Deps, ip: string | undefined): Promise<void> {
  const policy = await access(deps)
  if (policy === "disabled") throw disabled()
  if (policy === "open") return
  if (!ip || !Ip.contains(deps.networks.create, ip)) throw outsideNetwork()
}

/** Turns the kill switch on or off (audited as a policy change). */
export async function kill(deps: Deps, on: boolean, actor: Audit.Actor): Promise<void> {
  await deps.store.settings.set(KILL_SWITCH, on ? "true" : "false", deps.now())
  await Audit.record(deps, {
    action: "policy_changed",
    actor,
    detail: { setting: "kill_switch", value: on ? "on" : "off" },
  })
  deps.log.warn({ killSwitch: on }, "share creation kill switch changed")
}
