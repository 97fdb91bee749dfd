/**
 * Reads a growing JSONL file line by line from a byte offset, in fixed-size blocks, holding at
 * most one line in memory. Only complete lines (ending in "\n") are consumed: an unterminated
 * last line is a record still being written, and the next read starts at it again. A line
 * longer than MAX_LINE is skipped, even across reads.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs"
import { MAX_LINE } from "./bound.ts"

const BLOCK = 256 * 1024

export type Counts = {
  /** Complete lines read. */
  lines: number
  /** Lines longer than MAX_LINE, skipped. */
  oversized: number
}

export type Reader = {
  /** Where the next read starts. */
  readonly offset: number
  /** Bytes after the last complete line (a record being written, or a truncated one). */
  readonly pending: number
  readonly counts: Counts
  /** Calls `line` for every new complete line; returns the file size seen. */
  read(line: (text: string) => void): number
}

export function reader(path: string, start = 0): Reader {
  let offset = start
  let pending = 0
  /** Inside a line already known to be too long: skip to its end. */
  let skipping = false
  const counts: Counts = { lines: 0, oversized: 0 }
  return {
    get offset() {
      return offset
    },
    get pending() {
      return pending
    },
    counts,
    read(line) {
      const fd = openSync(path, "r")
      try {
        const size = fstatSync(fd).size
        const block = Buffer.allocUnsafe(BLOCK)
        let pos = offset
        let parts: Buffer[] = []
        let held = 0
        while (pos < size) {
          const n = readSync(fd, block, 0, Math.min(BLOCK, size - pos), pos)
          if (n <= 0) break
          let from = 0
          while (from < n) {
            const nl = block.indexOf(10, from)
            const end = nl < 0 || nl >= n ? n : nl
            if (!skipping) {
              held += end - from
              if (held > MAX_LINE) {
                skipping = true
                parts = []
              } else parts.push(Buffer.from(block.subarray(from, end)))
            }
            if (nl < 0 || nl >= n) break
            // A complete line ends here.
            if (skipping) counts.oversized += 1
            else {
              counts.lines += 1
              line(Buffer.concat(parts).toString("utf8"))
            }
            skipping = false
            parts = []
            held = 0
            from = nl + 1
            offset = pos + from
          }
          pos += n
        }
        // An oversized line without its end yet: its bytes so far are skipped for good.
        if (skipping) offset = pos
        pending = size - offset
        return size
      } finally {
        closeSync(fd)
      }
    },
  }
}
