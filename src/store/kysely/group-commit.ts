/**
 * Group commit for a backend whose commits block the process (node:sqlite is synchronous, and
 * with synchronous=FULL every COMMIT waits for fsync). Writes that arrive while one is running
 * are queued and then run together in one transaction, each inside its own savepoint: one
 * write failing (a share over its size limit) rolls back only itself, and every caller is
 * answered only after the shared COMMIT, so an acknowledged write is as durable as before.
 */
import type { Kysely, Transaction } from "kysely"

/** Writes in one group at most, so a burst cannot hold the database for long. */
const MAX_GROUP = 64

type Pending<DB, T> = {
  run: (trx: Transaction<DB>) => Promise<T>
  resolve: (value: T) => void
  reject: (error: unknown) => void
}

export function groupCommit<DB>(db: Kysely<DB>) {
  // biome-ignore lint/suspicious/noExplicitAny: one queue holds writes with different results
  const queue: Pending<DB, any>[] = []
  let draining = false

  const drain = async () => {
    draining = true
    try {
      // One group per turn: what queues meanwhile waits for the next turn, and the requests that
      // arrive before it, so that it is as large as it can be.
      if (queue.length > 0) {
        const group = queue.splice(0, MAX_GROUP)
        const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = []
        try {
          const trx = await db.startTransaction().execute()
          try {
            for (const [i, op] of group.entries()) {
              const name = `w${i}`
              const sp = await trx.savepoint(name).execute()
              try {
                const value = await op.run(sp)
                await sp.releaseSavepoint(name).execute()
                outcomes.push({ ok: true, value })
              } catch (error) {
                await sp.rollbackToSavepoint(name).execute()
                await sp.releaseSavepoint(name).execute()
                outcomes.push({ ok: false, error })
              }
            }
            await trx.commit().execute()
          } catch (error) {
            await trx
              .rollback()
              .execute()
              .catch(() => {})
            throw error
          }
        } catch (error) {
          // The group could not commit: nothing of it is stored, every caller hears so.
          for (const op of group) op.reject(error)
          return
        }
        group.forEach((op, i) => {
          const o = outcomes[i]
          if (o.ok) op.resolve(o.value)
          else op.reject(o.error)
        })
      }
    } finally {
      draining = false
      if (queue.length > 0) schedule()
    }
  }

  // node:sqlite answers within the same turn of the event loop, so a group started at once would
  // always hold one write: the requests that arrived during the last COMMIT's fsync are only read
  // in the next turn. Starting the group after them (setImmediate) lets them share the COMMIT.
  let scheduled = false
  function schedule() {
    if (draining || scheduled) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      void drain()
    })
  }

  return function write<T>(run: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ run, resolve, reject })
      schedule()
    })
  }
}
