/**
 * Who may see a share's preview or embed: both are for the public, so a share only logged-in
 * users may view (its own `sso`, or VIEW_ACCESS=sso) has neither, and answers as if it did not
 * exist. The share page's own guard (src/server/auth) still decides for its viewers.
 */
import * as Policy from "../auth/policy.ts"
import type { Deps } from "../context.ts"
import { notFound } from "../errors.ts"
import * as Share from "../share/index.ts"
import { find, type Found } from "./transcripts.ts"

export async function publicShare(deps: Deps, id: string): Promise<Found> {
  const view = await find(deps, id)
  if (Policy.effective(deps.config.auth, Share.access(view.share, view.source)) !== "public") throw notFound()
  return view
}

const key = (id: string) => `embed:${id}`

/** Whether other sites may frame this share now: the server's EMBED and the owner's switch. */
export async function embeddable(deps: Deps, shareID: string): Promise<boolean> {
  const mode = deps.config.viewer.embed
  if (mode === "off") return false
  if (mode === "all") return true
  return (await deps.store.settings.get(key(shareID))) === "on"
}

export async function setEmbed(deps: Deps, shareID: string, on: boolean): Promise<void> {
  await deps.store.settings.set(key(shareID), on ? "on" : "off", deps.now())
}
