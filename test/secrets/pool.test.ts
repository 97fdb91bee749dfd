import assert from "node:assert/strict"
import { after, describe, it } from "node:test"
import * as Secrets from "../../src/secrets/index.ts"
import { cases } from "./corpus.ts"

/** Several MiB of text that is slow to scan (many findings), to run a call over a small budget. */
const heavy = () => [{ data: { output: '"apiKey": "Zq4Xw8Pl2Mn7", '.repeat(200_000) } }]

describe("the scanner pool", () => {
  const pools: Secrets.Scanner[] = []
  const pool = (options: Secrets.ScannerOptions) => {
    const p = Secrets.scanner(options)
    pools.push(p)
    return p
  }
  after(() => Promise.all(pools.map((p) => p.close())))

  it("answers scan and redact exactly as the functions in process do", async () => {
    const scanner = pool({ size: 2, budgetMs: 30_000 })
    const items = cases().flatMap((c) => c.items)
    assert.deepEqual(await scanner.scan(items, { root: "ses_root" }), await Secrets.scan(items, { root: "ses_root" }))
    const [there, here] = [
      await scanner.redact(items, { root: "ses_root" }),
      await Secrets.redact(items, { root: "ses_root" }),
    ]
    assert.deepEqual(there, here)
    assert.ok(there.findings.length > 200)
    // Unchanged items come back as the very objects that went in.
    const clean = {
      type: "part",
      data: { id: "prt_1", sessionID: "ses_1", messageID: "msg_1", type: "text", text: "nothing to see" },
    }
    const r = await scanner.redact([clean, ...items.slice(0, 3)])
    assert.equal(r.items[0], clean)
  })

  it("starts no worker until there is work, and at most `size` of them", async () => {
    const scanner = pool({ size: 2, budgetMs: 30_000 })
    assert.deepEqual(scanner.threads(), [])
    const items = cases().flatMap((c) => c.items)
    await Promise.all(Array.from({ length: 6 }, () => scanner.scan(items)))
    assert.ok(scanner.threads().length >= 1 && scanner.threads().length <= 2, `${scanner.threads().length} workers`)
  })

  it("starts all its workers when warmed, before any work, and scans with them", async () => {
    const scanner = pool({ size: 2, budgetMs: 30_000 })
    scanner.warm()
    const warmed = scanner.threads()
    assert.equal(warmed.length, 2)
    scanner.warm()
    assert.deepEqual(scanner.threads(), warmed, "warming again starts no more")
    const items = cases().flatMap((c) => c.items)
    assert.deepEqual(await scanner.scan(items), await Secrets.scan(items))
    assert.deepEqual(scanner.threads(), warmed, "the work ran on the warmed workers")
  })

  it("fails a call over its budget with ScanTimeout, terminates that worker and replaces it", async () => {
    const scanner = pool({ size: 1, budgetMs: 50 })
    await scanner.scan([{ data: "warm up" }])
    const [before] = scanner.threads()
    await assert.rejects(
      scanner.redact(heavy()),
      (error: unknown) => error instanceof Secrets.ScanTimeout && error.budgetMs === 50,
    )
    const [now] = scanner.threads()
    assert.notEqual(now, undefined)
    assert.notEqual(now, before, "a new worker took the old one's place")
    assert.deepEqual(await scanner.scan([{ data: "still working" }]), [])
  })

  it("sends the calls waiting together as one job, each answered as it would be alone", async () => {
    const scanner = pool({ size: 1, budgetMs: 30_000 })
    await scanner.scan([{ data: "warm up" }])
    const groups = cases()
      .slice(0, 12)
      .map((c) => c.items.map((i) => ({ ...i, json: JSON.stringify(i.data) })))
    const before = scanner.stats()
    // The first call takes the idle worker; the rest wait, then go as one job.
    const [redacted, scanned] = await Promise.all([
      Promise.all(groups.map((g) => scanner.redact(g, { root: "ses_root" }))),
      Promise.all(groups.map((g) => scanner.scan(g, { root: "ses_root" }))),
    ])
    const after = scanner.stats()
    assert.equal(after.calls - before.calls, 24)
    assert.ok(after.jobs - before.jobs < 24, `${after.jobs - before.jobs} jobs for 24 calls`)
    for (const [i, g] of groups.entries()) {
      const here = await Secrets.redact(g, { root: "ses_root" })
      assert.deepEqual(
        redacted[i]?.items.map((x) => x.data),
        here.items.map((x) => x.data),
      )
      assert.deepEqual(redacted[i]?.findings, here.findings)
      assert.deepEqual(redacted[i]?.counts, here.counts)
      assert.deepEqual(scanned[i], await Secrets.scan(g, { root: "ses_root" }))
      // A changed item's JSON is its new data; an unchanged one comes back as it went in.
      for (const [j, item] of (redacted[i]?.items ?? []).entries())
        if (item === g[j]) assert.equal(here.items[j], g[j])
        else assert.deepEqual(JSON.parse(item.json as string), item.data)
    }
  })

  it("sends the calls made together as one job even while workers are idle", async () => {
    const scanner = pool({ size: 2, budgetMs: 30_000 })
    scanner.warm()
    await Promise.all([scanner.scan([{ data: "warm up" }]), scanner.scan([{ data: "warm up" }])])
    const groups = cases()
      .slice(0, 8)
      .map((c) => c.items.map((i) => ({ ...i, json: JSON.stringify(i.data) })))
    const before = scanner.stats()
    const answers = await Promise.all(groups.map((g) => scanner.scan(g)))
    assert.equal(scanner.stats().calls - before.calls, 8)
    assert.equal(scanner.stats().jobs - before.jobs, 1, "one job, though two workers were free")
    for (const [i, g] of groups.entries()) assert.deepEqual(answers[i], await Secrets.scan(g))
  })

  it("runs the calls of a batch over budget again on their own: one costly call fails alone", async () => {
    const scanner = pool({ size: 1, budgetMs: 300, batchBytes: Number.POSITIVE_INFINITY })
    await scanner.scan([{ data: "warm up" }])
    const encoded = (data: unknown) => [{ key: "part/x", data, json: JSON.stringify(data) }]
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => "answered",
        (error: unknown) => (error instanceof Secrets.ScanTimeout ? "ScanTimeout" : String(error)),
      )
    const before = scanner.stats().jobs
    const busy = scanner.scan([{ data: "keeps the worker busy while the next two queue" }])
    const calls = [
      outcome(scanner.redact(encoded(heavy()[0]?.data))),
      outcome(scanner.redact(encoded({ text: "nothing secret here" }))),
    ]
    await busy
    assert.deepEqual(await Promise.all(calls), ["ScanTimeout", "answered"])
    // The two went as one job, then each again alone.
    assert.equal(scanner.stats().jobs - before, 4)
  })

  it("fails the calls still waiting when it is closed", async () => {
    const scanner = Secrets.scanner({ size: 1, budgetMs: 30_000 })
    const calls = [scanner.scan(heavy()), scanner.scan([{ data: "x" }])].map((call) =>
      call.then(
        () => "answered",
        (error: Error) => error.message,
      ),
    )
    await scanner.close()
    assert.deepEqual(await Promise.all(calls), ["the scanner is closed", "the scanner is closed"])
    assert.deepEqual(scanner.threads(), [])
    await assert.rejects(scanner.scan([{ data: "x" }]), /closed/)
  })
})
