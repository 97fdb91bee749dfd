/**
 * Live events across instances through PostgreSQL: every accepted sync is announced with
 * NOTIFY (a small payload: share id and seq; viewers fetch what changed), and every instance
 * LISTENs and hands the events to its own viewers. When the LISTEN connection drops, the
 * instance reconnects with backoff and then tells each of its viewers to catch up, since
 * notifications sent meanwhile are lost.
 */
import pg from "pg"
import type { Logger } from "../log.ts"
import { LiveEvent, Read } from "../../schema/index.ts"
import { local, type Bus } from "./bus.ts"

export const CHANNEL = "agentshare_live"

export type PostgresBus = Bus & { ready: Promise<void>; close(): Promise<void> }

export function postgres(
  url: string,
  log: Logger,
  currentSeq: (shareID: string) => Promise<number | undefined>,
): PostgresBus {
  const inner = local()
  const subscribed = new Map<string, number>()
  let all = 0
  // One connection: queries on it run in the order issued, so viewers see syncs in seq order.
  const pool = new pg.Pool({ connectionString: url, max: 1 })
  pool.on("error", () => {})
  let client: pg.Client | undefined
  let closed = false
  let attempt = 0

  const deliver = (payload: string | undefined) => {
    // Another instance wrote it, but anyone with the database could: parsed like any input.
    const event = Read.json(payload ?? "", LiveEvent)
    if (!event.ok) {
      log.warn({ problem: event.problem }, "ignored a malformed live notification")
      return
    }
    // Every event reaches the all-listeners (caches); viewers only of shares open here.
    if (subscribed.has(event.value.shareID) || all > 0) inner.publish(event.value)
  }

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url })
    c.on("notification", (n) => deliver(n.payload))
    c.on("error", (error) => {
      log.warn({ err: error.message }, "live LISTEN connection lost; reconnecting")
      void c.end().catch(() => {})
      if (client === c) client = undefined
      if (!closed) void retry()
    })
    await c.connect()
    await c.query(`LISTEN ${CHANNEL}`)
    client = c
    attempt = 0
  }

  const retry = async () => {
    while (!closed && !client) {
      attempt += 1
      await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)))
      try {
        await connect()
      } catch (error) {
        log.warn({ err: (error as Error).message, attempt }, "live LISTEN reconnect failed")
        continue
      }
      // Notifications sent while we were away are gone: make every viewer catch up.
      for (const shareID of subscribed.keys()) {
        const seq = await currentSeq(shareID).catch(() => undefined)
        inner.publish(
          seq === undefined ? { type: "removed", shareID, reason: "unshared" } : { type: "sync", shareID, seq },
        )
      }
    }
  }

  const ready = connect()

  return {
    ready,
    publish(event) {
      // The payload stays far under NOTIFY's 8000-byte limit: ids and a number only.
      pool.query("select pg_notify($1, $2)", [CHANNEL, JSON.stringify(event)]).catch((error: Error) => {
        log.error({ err: error.message }, "live NOTIFY failed; delivering locally only")
        inner.publish(event)
      })
    },
    subscribe(shareID, listener) {
      subscribed.set(shareID, (subscribed.get(shareID) ?? 0) + 1)
      const off = inner.subscribe(shareID, listener)
      return () => {
        off()
        const n = (subscribed.get(shareID) ?? 1) - 1
        if (n <= 0) subscribed.delete(shareID)
        else subscribed.set(shareID, n)
      }
    },
    subscribeAll(listener) {
      all += 1
      const off = inner.subscribeAll(listener)
      let done = false
      return () => {
        if (done) return
        done = true
        all -= 1
        off()
      }
    },
    size: inner.size,
    async close() {
      closed = true
      await client?.end().catch(() => {})
      await pool.end().catch(() => {})
    },
  }
}
