/** The one duration grammar: server settings (SHARE_TTL…), `expiresIn` in a request, and the CLI's `--expire`. */

const UNITS: Record<string, number> = {
  "": 1000,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

/** Milliseconds of `90` (seconds), `30s`, `15m`, `12h`, `7d`, `2w`; undefined if it is not a positive duration. */
export function duration(s: string): number | undefined {
  const m = /^\s*(\d{1,9})\s*([a-z]*)\s*$/i.exec(s)
  const unit = m ? UNITS[(m[2] ?? "").toLowerCase()] : undefined
  if (!m || unit === undefined || Number(m[1]) <= 0) return undefined
  return Number(m[1]) * unit
}
