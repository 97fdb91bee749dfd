/** Tells a share's live viewers, and those of its twin group, that it changed or went away. */
import type { ShareRecord } from "../../store/index.ts"
import type { Deps } from "../context.ts"
import { twinChannel, type LiveEvent } from "../view/bus.ts"

export function announce(deps: Deps, share: ShareRecord, event: LiveEvent) {
  deps.bus.publish(event)
  if (share.twinGroup) deps.bus.publish({ ...event, shareID: twinChannel(share.twinGroup) })
}
