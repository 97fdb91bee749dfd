/**
 * Secret scanning benchmark: a ~5 MB session payload built from real OpenCode items (the
 * captured share, with file reads of real sources from the clean corpus) is scanned and
 * redacted; the baseline, in the same run, is plain JSON.parse of the same payload. Prints the
 * median of several runs, MB/s and the ratio, and where the time goes (our rules, secretlint).
 * Then the worst case: every adversarial shape of test/secrets/shapes.ts (the inputs the
 * rule-complexity check uses) scanned at 256 KiB, the slowest ones in ms per MiB.
 *
 *   node bench/secrets.ts [--mb 5] [--runs 5]
 */
import { readFileSync } from "node:fs"
import { parseArgs } from "node:util"
import * as Secrets from "../src/secrets/index.ts"
import * as Detect from "../src/secrets/detect.ts"
import * as Secretlint from "../src/secrets/secretlint.ts"
import { join } from "../src/secrets/text.ts"
import { SHAPES } from "../test/secrets/shapes.ts"
import { fmt, machine, percentile } from "./lib.ts"

const { values } = parseArgs({
  options: { mb: { type: "string", default: "5" }, runs: { type: "string", default: "5" } },
})
const TARGET = Number(values.mb) * 1024 * 1024
const RUNS = Number(values.runs)

type Item = { type: string; data: any }
const real = JSON.parse(
  readFileSync(new URL("../test/fixtures/captured/share-data-response.json", import.meta.url), "utf8"),
) as Item[]
const clean = JSON.parse(readFileSync(new URL("../test/fixtures/secrets/clean.json", import.meta.url), "utf8"))
  .blocks as { category: string; text: string }[]
const root = real[0]!.data.id as string

/** The real session's items again and again under fresh ids, each round with a few file reads. */
function payload(): Item[] {
  const out: Item[] = real.filter((i) => i.type !== "part" && i.type !== "message")
  let size = JSON.stringify(out).length
  for (let round = 0; size < TARGET; round++) {
    for (const item of real.filter((i) => i.type === "message" || i.type === "part")) {
      const data = {
        ...item.data,
        id: `${item.data.id}r${round}`,
        ...(item.type === "part" ? { messageID: `${item.data.messageID}r${round}` } : {}),
      }
      out.push({ type: item.type, data })
      size += JSON.stringify(data).length
    }
    const block = clean[round % clean.length]!
    const output = block.text.slice(0, 64 * 1024)
    const read = {
      id: `prt_read${round}`,
      sessionID: root,
      messageID: `msg_read${round}`,
      type: "tool",
      tool: "read",
      callID: `call_${round}`,
      state: {
        status: "completed",
        input: { filePath: `/src/${block.category}` },
        output,
        metadata: { preview: output.slice(0, 2000) },
        time: { start: 1, end: 2 },
      },
    }
    out.push({ type: "part", data: read })
    size += JSON.stringify(read).length
  }
  return out
}

async function time<T>(fn: () => T | Promise<T>): Promise<[number, T]> {
  const start = performance.now()
  const value = await fn()
  return [performance.now() - start, value]
}

const items = payload()
const text = JSON.stringify(items)
const mb = Buffer.byteLength(text) / 2 ** 20
console.log(`machine: ${machine()}`)
console.log(
  `payload: ${fmt(mb, 2)} MiB, ${items.length} items (real OpenCode share items + file reads), ${RUNS} runs, median`,
)

const runs: Record<string, number[]> = { parse: [], scan: [], redact: [], own: [], secretlint: [], join: [] }
let findings = 0
await Secrets.scan(items.slice(0, 50))
for (let i = 0; i < RUNS; i++) {
  runs.parse!.push((await time(() => JSON.parse(text)))[0])
  const [scanMs, found] = await time(() => Secrets.scan(items))
  runs.scan!.push(scanMs)
  findings = found.length
  runs.redact!.push((await time(() => Secrets.redact(items)))[0])
  const [joinMs, joined] = await time(() => join(items.map((x) => x.data)))
  runs.join!.push(joinMs)
  runs.own!.push((await time(() => Detect.own(joined.text)))[0])
  runs.secretlint!.push((await time(() => Secretlint.hits(joined.text)))[0])
}
const med = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  )
// A live client's typical sync: one finished bash part. And secretlint called per string, the
// cost the single joined pass avoids.
const onePart = [items.find((i) => i.type === "part" && i.data.tool === "bash")!]
const small: number[] = []
for (let i = 0; i < 200; i++) small.push((await time(() => Secrets.redact(onePart)))[0])
const strings = join(items.map((x) => x.data)).segments
const sample = strings.slice(0, 500)
const [perStringMs] = await time(async () => {
  for (const s of sample) await Secretlint.hits(s.value)
})
console.log(`one-part sync: ${fmt(med(small), 2)} ms median redact (${JSON.stringify(onePart).length} bytes)`)
console.log(
  `secretlint per string: ${fmt(perStringMs / sample.length, 3)} ms a call; for the payload's ${strings.length} strings that would be ${fmt(((perStringMs / sample.length) * strings.length) / 1000)} s`,
)
const parse = med(runs.parse!)
for (const [name, xs] of Object.entries(runs)) {
  const ms = med(xs)
  console.log(
    `${name.padEnd(11)} ${fmt(ms).padStart(8)} ms  ${fmt(mb / (ms / 1000)).padStart(7)} MiB/s  ${fmt(ms / parse).padStart(6)} x JSON.parse`,
  )
}
console.log(
  `findings in the payload: ${findings} (the real session holds none; these are documentation examples in the file reads)`,
)

// The worst case per MiB: adversarial shapes, each the fastest of three scans.
const worst: [string, number][] = []
for (const [name, make] of Object.entries(SHAPES)) {
  const shape = make(256 * 1024)
  let ms = Infinity
  for (let i = 0; i < 3; i++) ms = Math.min(ms, (await time(() => Secrets.scanText(shape)))[0])
  worst.push([name, ms / (shape.length / 2 ** 20)])
}
worst.sort((a, b) => b[1] - a[1])
console.log(
  `adversarial shapes (${worst.length}, 256 KiB each), slowest scan per MiB: ${worst
    .slice(0, 5)
    .map(([n, ms]) => `${fmt(ms)} ms "${n}"`)
    .join(", ")}`,
)
