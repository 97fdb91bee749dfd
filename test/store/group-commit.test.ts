/**
 * SQLite group commit on a real database file: writes that queue in the same turn share one
 * COMMIT, a failing write rolls back only itself, and every caller is answered after the COMMIT
 * that holds its write.
 */
import assert from "node:assert/strict"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { Kysely, SqliteDialect, type Transaction } from "kysely"
import { groupCommit } from "../../src/store/kysely/group-commit.ts"
import { openDatabase } from "../../src/store/sqlite/database.ts"

type DB = { t: { k: string; v: number } }

describe("group commit", () => {
  let dir: string
  let db: Kysely<DB>
  let raw: ReturnType<typeof openDatabase>["raw"]
  /** Each COMMIT as it happens, with the rows visible to another connection right after it. */
  const commits: number[] = []
  let reader: ReturnType<typeof openDatabase>["raw"]
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "agentshare-group-"))
    const opened = openDatabase(join(dir, "g.db"))
    raw = opened.raw
    reader = openDatabase(join(dir, "g.db")).raw
    const inner = opened.db
    const counted = {
      ...inner,
      prepare(sqlText: string) {
        const stmt = inner.prepare(sqlText)
        if (!/^\s*commit\b/i.test(sqlText)) return stmt
        return {
          ...stmt,
          run: (p: ReadonlyArray<unknown>) => {
            const r = stmt.run(p)
            commits.push(Number((reader.prepare("select count(*) as n from t").get() as { n: number }).n))
            return r
          },
        }
      },
    }
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database: counted }) })
    raw.exec("create table t (k text primary key, v integer not null)")
  })
  after(async () => {
    await db.destroy()
    reader.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const insert = (k: string, v: number) => (trx: Transaction<DB>) =>
    trx
      .insertInto("t")
      .values({ k, v })
      .execute()
      .then(() => k)
  const count = () => Number((reader.prepare("select count(*) as n from t").get() as { n: number }).n)

  it("commits writes queued in the same turn together, and answers each after that commit", async () => {
    commits.length = 0
    const write = groupCommit(db)
    const answered: number[] = []
    const all = Array.from({ length: 20 }, (_, i) =>
      write(insert(`a${i}`, i)).then((k) => {
        answered.push(count())
        return k
      }),
    )
    assert.deepEqual(
      await Promise.all(all),
      Array.from({ length: 20 }, (_, i) => `a${i}`),
    )
    assert.deepEqual(commits, [20], "one COMMIT for the 20 writes")
    assert.ok(
      answered.every((n) => n === 20),
      "no caller hears before its write is committed",
    )
  })

  it("rolls back only the write that fails, and tells only its caller", async () => {
    commits.length = 0
    const write = groupCommit(db)
    const results = await Promise.allSettled([
      write(insert("b1", 1)),
      write(async (trx) => {
        await insert("b2", 2)(trx)
        throw new Error("over the limit")
      }),
      write(insert("a0", 0)), // a duplicate key: fails in SQLite
      write(insert("b3", 3)),
    ])
    assert.deepEqual(
      results.map((r) => r.status),
      ["fulfilled", "rejected", "rejected", "fulfilled"],
    )
    assert.equal((results[1] as PromiseRejectedResult).reason.message, "over the limit")
    assert.equal(commits.length, 1)
    const keys = (reader.prepare("select k from t where k like 'b%' order by k").all() as { k: string }[]).map(
      (r) => r.k,
    )
    assert.deepEqual(keys, ["b1", "b3"])
  })

  it("runs writes queued while a group commits in a later group, and answers them all", async () => {
    commits.length = 0
    const write = groupCommit(db)
    // Each write queues another from inside the group, as a sync queues its audit entry.
    // (Wrapped, so that the group does not wait for a write that can only run after it.)
    const nested = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        write(async (trx) => {
          await insert(`c${i}`, i)(trx)
          return { next: write(insert(`d${i}`, i)) }
        }),
      ),
    )
    assert.deepEqual(await Promise.all(nested.map((n) => n.next)), ["d0", "d1", "d2", "d3", "d4"])
    assert.equal(commits.length, 2, "the first group, then one more for what it queued")
    assert.equal(count(), 20 + 2 + 10)
  })

  it("keeps a group to at most 64 writes", async () => {
    commits.length = 0
    const write = groupCommit(db)
    await Promise.all(Array.from({ length: 150 }, (_, i) => write(insert(`e${i}`, i))))
    assert.deepEqual(
      commits.map((n, i) => n - (i === 0 ? 32 : commits[i - 1]!)),
      [64, 64, 22],
    )
  })
})
