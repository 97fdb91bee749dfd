/**
 * The one watch loop, shared by `share --watch` (one share) and `watch` (every share of the
 * project, and new sessions in auto mode): each round it lets `discover` add followers, ticks
 * each follower (which queues what changed), drops those whose session is gone or whose share
 * stopped syncing, and sleeps until the next round or Ctrl-C.
 */
import type * as Client from "../client/index.ts"
import * as Setup from "./setup.ts"

export type Follower = Client.Follow.Follower

/** Why a follower left the loop: its session was deleted locally, its share stopped (prepare
 * refused a batch: `error`), or reading the session failed (`error`). */
export type End = { follower: Follower; why: "gone" | "stopped" | "failed"; error?: Error }

export type Options = {
  client: Client.Share.Client
  intervalMs: number
  /** Adds followers at the start of each round (new sessions in auto mode, shares from the vault). */
  discover?: (followers: Map<string, Follower>) => Promise<void>
  /** Whether the loop ticks this follower this round (watch: only this project's sessions). */
  owns?: (follower: Follower) => boolean
  onEnd?: (end: End) => Promise<void> | void
  /** Stop once no follower is left (share --watch); otherwise run until interrupted. */
  untilEmpty?: boolean
}

/** Runs until Ctrl-C (or, with `untilEmpty`, until the last follower ended); answers every end. */
export async function run(followers: Map<string, Follower>, options: Options): Promise<End[]> {
  const ends: End[] = []
  const stop = Setup.interrupted()
  let stopped = false
  void stop.then(() => (stopped = true))
  const end = async (id: string, e: End) => {
    followers.delete(id)
    ends.push(e)
    await options.onEnd?.(e)
  }
  while (!stopped) {
    await options.discover?.(followers)
    for (const [id, f] of followers) {
      if (options.owns && !options.owns(f)) continue
      const failure = options.client.failure(f.share)
      if (failure) {
        await end(id, { follower: f, why: "stopped", error: failure })
        continue
      }
      try {
        if (!f.tick()) await end(id, { follower: f, why: "gone" })
      } catch (error) {
        await end(id, { follower: f, why: "failed", error: error as Error })
      }
    }
    if (options.untilEmpty && followers.size === 0) break
    await Promise.race([stop, new Promise((r) => setTimeout(r, options.intervalMs))])
  }
  return ends
}
