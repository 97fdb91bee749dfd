/**
 * Share analytics: page views per share per UTC day, total and unique. A visitor is counted
 * once a day by HMAC(day salt, IP (an IPv6 /64), share id); the salt is random, kept (in the
 * database, so every instance counts alike) only for its day and then replaced, and the
 * day's hashes are deleted by the purge job. No raw IP or stable visitor id is ever stored,
 * and no visitor can be followed from one day or one share to the next.
 *
 * Views are counted in memory and written in one transaction at most every FLUSH_MS (and at
 * shutdown), so a page view costs no database write of its own.
 */
import { createHmac, randomBytes } from "node:crypto"
import type { Context } from "hono"
import type { DayViews, ViewCount } from "../../store/index.ts"
import * as Audit from "./audit.ts"
import * as Ip from "../http/address.ts"
import type { AppEnv, Deps } from "../context.ts"

/** The UTC day of `ms` as YYYY-MM-DD. */
export const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

const SALT = "view_salt"
const FLUSH_MS = 1000
/** Pending share-days that make a flush start at once rather than wait for the timer. */
const MAX_PENDING = 1000

/** Today's salt, made by the first instance to count a view today. */
async function salt(deps: Deps, today: string): Promise<string> {
  const cached = deps.views.salt
  if (cached?.day === today) return cached.salt
  for (let attempt = 0; attempt < 3; attempt++) {
    const stored = await deps.store.settings.get(SALT)
    const current = stored ? (JSON.parse(stored) as { day: string; salt: string }) : undefined
    if (current?.day === today) {
      deps.views.salt = current
      return current.salt
    }
    // Yesterday's salt is overwritten, never kept: its hashes can no longer be recomputed.
    const next = JSON.stringify({ day: today, salt: randomBytes(32).toString("base64url") })
    await deps.store.settings.swap(SALT, stored, next, deps.now())
  }
  throw new Error("could not agree on today's view salt")
}

/** Counts a page view of `shareID` (written at the next flush). */
export async function view(deps: Deps, c: Context<AppEnv>, shareID: string): Promise<void> {
  const today = day(deps.now())
  const ip: string | undefined = c.get("ip")
  // The visitor is the address (an IPv6 /64), never the user agent: a client can change that
  // at will and would count as a new visitor each time (docs/ENTERPRISE.md, "Analytics").
  const visitor = createHmac("sha256", await salt(deps, today))
    .update(`${Ip.visitor(ip)}\n${shareID}`)
    .digest("base64url")
  const s = deps.views
  const key = `${shareID}\n${today}`
  let entry = s.entries.get(key)
  if (!entry) s.entries.set(key, (entry = { shareID, day: today, views: 0, visitors: new Set(), ip }))
  entry.views += 1
  entry.visitors.add(visitor)
  if (s.entries.size >= MAX_PENDING)
    void flush(deps).catch((error: unknown) => deps.log.warn({ err: (error as Error).message }, "views not written"))
  else
    s.timer ??= setTimeout(() => {
      s.timer = undefined
      flush(deps).catch((error: unknown) => deps.log.warn({ err: (error as Error).message }, "views not written"))
    }, FLUSH_MS).unref()
}

/** Counts a view without ever failing the page: analytics must not cost a viewer the share. */
export async function count(deps: Deps, c: Context<AppEnv>, shareID: string): Promise<void> {
  try {
    await view(deps, c, shareID)
  } catch (error) {
    deps.log.warn({ err: (error as Error).message, shareID }, "view not counted")
  }
}

/** Writes the views counted so far; the first view of a share each day is audited. */
export async function flush(deps: Deps): Promise<void> {
  const s = deps.views
  await s.flushing
  if (s.timer) clearTimeout(s.timer)
  s.timer = undefined
  if (s.entries.size === 0) return
  const batch = [...s.entries.values()]
  s.entries = new Map()
  const run = (async () => {
    const first = await deps.store.views.add(
      batch.map((b) => ({ shareID: b.shareID, day: b.day, views: b.views, visitors: [...b.visitors] })),
    )
    for (const f of first) {
      const ip = batch.find((b) => b.shareID === f.shareID && b.day === f.day)?.ip
      await Audit.record(deps, {
        action: "viewed",
        shareID: f.shareID,
        actor: { kind: "client" },
        ip: ip ?? "",
        detail: { day: f.day },
      })
    }
  })()
  s.flushing = run
    .catch(() => undefined)
    .finally(() => {
      s.flushing = undefined
    })
  await run
}

/** Views and the sum of daily uniques per share (this instance's pending views included;
 * other instances' within FLUSH_MS). */
export async function totals(deps: Deps, ids: string[]): Promise<Map<string, ViewCount>> {
  await flush(deps)
  return deps.store.views.totals(ids)
}

/** The last `limit` days with views of one share, newest first. */
export async function days(deps: Deps, id: string, limit = 30): Promise<DayViews[]> {
  await flush(deps)
  return deps.store.views.days(id, limit)
}
