/**
 * The rule-complexity check: every rule, ours and the secretlint preset's, and the whole scan,
 * run over adversarial shapes (test/secrets/shapes.ts) of growing size. A linear scan takes
 * about 4 × the time when the input grows 4 ×; a quadratic one 16 ×. The check fails when a
 * step grows more than RATIO ×, or when 1 MiB of a shape takes longer than CAP_MS.
 *
 * Robust to a noisy shared machine: CPU time (process.cpuUsage, not wall time), times under
 * FLOOR_MS count as FLOOR_MS (noise), and a step that looks super-linear is measured again up
 * to RETRIES times, keeping the fastest run of each size, before it counts.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Secrets from "../../src/secrets/index.ts"
import * as Detect from "../../src/secrets/detect.ts"
import * as Secretlint from "../../src/secrets/secretlint.ts"
import { SHAPES } from "./shapes.ts"

const SIZES = [4, 16, 64, 256, 1024].map((k) => k * 1024)
/** Between linear (4 ×) and quadratic (16 ×) growth per 4 × step, with room for noise and n log n. */
const RATIO = 9
const FLOOR_MS = 5
const RETRIES = 4
/** 1 MiB of any shape through one rule: slower than this is too slow whatever the growth. */
const CAP_MS = 1500

type Target = { name: string; run: (text: string) => unknown }

function cpu(run: Target["run"], text: string): Promise<number> | number {
  const start = process.cpuUsage()
  const done = () => {
    const used = process.cpuUsage(start)
    return (used.user + used.system) / 1000
  }
  const out = run(text)
  return out instanceof Promise ? out.then(done) : done()
}

type Step = { shape: string; size: number; ratio: number; ms: number }
type Verdict = { worst: Step | undefined; slowest: Step | undefined; failures: string[] }

const texts = new Map<string, string>()
const text = (shape: string, size: number) => {
  const key = `${shape}\0${size}`
  let t = texts.get(key)
  if (t === undefined) texts.set(key, (t = (SHAPES[shape] as (n: number) => string)(size)))
  return t
}

/** Runs one target over every shape; stops a shape at its first super-linear or too slow step. */
async function check(target: Target): Promise<Verdict> {
  const verdict: Verdict = { worst: undefined, slowest: undefined, failures: [] }
  for (const shape of Object.keys(SHAPES)) {
    await cpu(target.run, text(shape, SIZES[0] as number)) // warm-up: compiles the regexes
    const best = new Map<number, number>()
    const measure = async (size: number) => {
      const ms = await cpu(target.run, text(shape, size))
      best.set(size, Math.min(best.get(size) ?? Infinity, ms))
      return best.get(size) as number
    }
    let prev = await measure(SIZES[0] as number)
    for (const size of SIZES.slice(1)) {
      let ms = await measure(size)
      const small = size / 4
      let ratio = Math.max(ms, FLOOR_MS) / Math.max(prev, FLOOR_MS)
      for (let i = 0; i < RETRIES && ratio > RATIO; i++) {
        prev = await measure(small)
        ms = await measure(size)
        ratio = Math.max(ms, FLOOR_MS) / Math.max(prev, FLOOR_MS)
      }
      const step = { shape, size, ratio, ms }
      if (!verdict.worst || ratio > verdict.worst.ratio) verdict.worst = step
      if (!verdict.slowest || ms > verdict.slowest.ms) verdict.slowest = step
      if (ratio > RATIO) {
        verdict.failures.push(
          `${target.name} on "${shape}": ${fmt(prev)} ms at ${small / 1024} KiB → ${fmt(ms)} ms at ${size / 1024} KiB (${ratio.toFixed(1)} × for 4 × the input)`,
        )
        break
      }
      if (ms > CAP_MS) {
        verdict.failures.push(`${target.name} on "${shape}": ${fmt(ms)} ms at ${size / 1024} KiB (over ${CAP_MS} ms)`)
        break
      }
      prev = ms
    }
  }
  return verdict
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0))

async function suite(targets: Target[]) {
  const failures: string[] = []
  for (const target of targets) {
    const v = await check(target)
    failures.push(...v.failures)
    const w = v.worst
    const s = v.slowest
    // The figures docs/SECURITY.md quotes: the largest growth per 4 × step and the slowest MiB.
    console.log(
      `${target.name.padEnd(40)} worst step ${w ? `${w.ratio.toFixed(1)} × ("${w.shape}" at ${w.size / 1024} KiB)` : "-"}; slowest ${s ? `${fmt(s.ms)} ms ("${s.shape}" at ${s.size / 1024} KiB)` : "-"}`,
    )
  }
  assert.deepEqual(failures, [])
}

describe("rule complexity: time grows linearly with adversarial input", () => {
  it("holds for each of agentshare's rules", async () => {
    await suite(Detect.COMPILED.map((c, i) => ({ name: `${c.rule.id} [${i}]`, run: (t: string) => Detect.run(c, t) })))
  })

  it("holds for each rule of the secretlint preset, as agentshare runs it", async () => {
    await suite(Secrets.secretlintRules().map((id) => ({ name: id, run: (t: string) => Secretlint.hits(t, id) })))
  })

  it("holds for a whole scan and redaction of one string", async () => {
    await suite([
      { name: "scanText", run: (t: string) => Secrets.scanText(t) },
      { name: "redact", run: (t: string) => Secrets.redact([{ data: { output: t } }]).catch(() => undefined) },
    ])
  })
})
