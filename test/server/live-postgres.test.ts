import assert from "node:assert/strict"
import { once } from "node:events"
import { EventEmitter } from "node:events"
import { after, before, describe, it } from "node:test"
import pg from "pg"
import * as Log from "../../src/server/log.ts"
import type { LiveEvent } from "../../src/server/view/bus.ts"
import * as LivePg from "../../src/server/view/bus-postgres.ts"
import * as Postgres from "../support/postgres.ts"

const pgOk = Postgres.available()
if (!pgOk.ok && process.env.CI === "true") throw new Error(`PostgreSQL is required under CI=true: ${pgOk.reason}`)

describe("live fan-out through PostgreSQL", {
  skip: pgOk.ok ? false : `no PostgreSQL: ${!pgOk.ok && pgOk.reason}`,
}, () => {
  let db: { url: string; drop(): Promise<void> }
  before(async () => {
    db = await Postgres.freshDatabase()
  })
  after(() => db.drop())

  const collector = (bus: LivePg.PostgresBus, shareID: string) => {
    const events: LiveEvent[] = []
    const emitter = new EventEmitter()
    bus.subscribe(shareID, (e) => {
      events.push(e)
      emitter.emit("event", e)
    })
    return { events, next: () => once(emitter, "event").then(([e]) => e as LiveEvent) }
  }

  it("delivers an event published on one instance to viewers on another, in order", async () => {
    const a = LivePg.postgres(db.url, Log.silent(), async () => 0)
    const b = LivePg.postgres(db.url, Log.silent(), async () => 0)
    try {
      await Promise.all([a.ready, b.ready])
      const onB = collector(b, "s_one")
      const onA = collector(a, "s_one")
      const other = collector(b, "s_other")
      for (let seq = 1; seq <= 20; seq++) a.publish({ type: "sync", shareID: "s_one", seq })
      a.publish({ type: "removed", shareID: "s_one", reason: "unshared" })
      while (onB.events.length < 21) await onB.next()
      while (onA.events.length < 21) await onA.next()
      assert.deepEqual(
        onB.events.map((e) => (e.type === "sync" ? e.seq : e.type)),
        [...Array.from({ length: 20 }, (_, i) => i + 1), "removed"],
      )
      assert.deepEqual(onA.events, onB.events)
      assert.equal(other.events.length, 0)
    } finally {
      await a.close()
      await b.close()
    }
  })

  it("reconnects a lost LISTEN connection and makes its viewers catch up", async () => {
    const a = LivePg.postgres(db.url, Log.silent(), async () => 0)
    const b = LivePg.postgres(db.url, Log.silent(), async (id) => (id === "s_two" ? 42 : undefined))
    try {
      await Promise.all([a.ready, b.ready])
      const onB = collector(b, "s_two")
      // Kill every LISTEN backend: what an instance sees when PostgreSQL restarts or a proxy drops it.
      const admin = new pg.Client(db.url)
      await admin.connect()
      await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'LISTEN%' and pid <> pg_backend_pid()",
      )
      await admin.end()
      const caughtUp = await onB.next()
      assert.deepEqual(caughtUp, { type: "sync", shareID: "s_two", seq: 42 })
      // And it hears new notifications again.
      a.publish({ type: "sync", shareID: "s_two", seq: 43 })
      let e = await onB.next()
      while (e.type === "sync" && e.seq !== 43) e = await onB.next()
      assert.deepEqual(e, { type: "sync", shareID: "s_two", seq: 43 })
    } finally {
      await a.close()
      await b.close()
    }
  })
})
