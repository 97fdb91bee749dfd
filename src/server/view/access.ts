/**
 * Who may see a share's preview or embed: both are for the public, so a share only logged-in
 * users may view (its own `sso`, or VIEW_ACCESS=sso) has neither, and answers as if it did not
 * exist. The share page's own guard (src/server/auth) still decides for its viewers.
 */
import * as Policy from "../auth/policy.ts"
import type { Deps } from "../context.ts"
import { notFound } from "../errors.ts"
import { load, type Loaded } from "../routes/transcripts.ts"
import * as Shares from "../shares.ts"

export async function publicShare(deps: Deps, id: string): Promise<Loaded> {
  const view = await load(deps, id)
  if (Policy.effective(deps.config.auth, Shares.access(view.share, view.source)) !== "public") throw notFound()
  return view
}

const key = (id: string) => `embed:${id}`

/** Whether other sites may frame this share now: the server's EMBED and the owner's switch. */
export async function embeddable(deps: Deps, shareID: string): Promise<boolean> {
  const mode = deps.config.viewer.embed
  if (mode === "off") return false
  if (mode === "all") return true
  return (await deps.store.enterprise.setting(key(shareID))) === "on"
}

export async function setEmbed(deps: Deps, shareID: string, on: boolean): Promise<void> {
  await deps.store.enterprise.setSetting(key(shareID), on ? "on" : "off", deps.now())
}
