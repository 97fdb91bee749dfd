/**
 * Preloaded into a benchmarked process (`NODE_OPTIONS=--import=bench/gc-probe.ts`, with
 * BENCH_PROBE naming a file): on SIGUSR2 it runs a full collection, then writes how many bytes
 * the process has allocated so far, on the V8 heap and in external memory (ArrayBuffers), and how
 * many the heap still holds. V8 keeps no allocation counter, so allocated = in use now +
 * everything the collections so far freed, which the GC profiler reports collection by collection.
 */
import { writeFileSync } from "node:fs"
import { GCProfiler, getHeapStatistics, setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"

const out = process.env.BENCH_PROBE
if (out) {
  let profiler = new GCProfiler()
  profiler.start()
  let freed = 0
  let n = 0
  setFlagsFromString("--expose-gc")
  const gc = runInNewContext("gc") as () => void
  process.on("SIGUSR2", () => {
    // What the heap holds, not what it has yet to collect.
    gc()
    for (const gc of profiler.stop()?.statistics ?? []) {
      const before = gc.beforeGC.heapStatistics
      const after = gc.afterGC.heapStatistics
      freed += before.usedHeapSize - after.usedHeapSize + before.externalMemory - after.externalMemory
    }
    profiler = new GCProfiler()
    profiler.start()
    const now = getHeapStatistics()
    const used = now.used_heap_size + now.external_memory
    n += 1
    writeFileSync(out, JSON.stringify({ n, allocated: freed + used, heap: now.used_heap_size }))
  })
}
