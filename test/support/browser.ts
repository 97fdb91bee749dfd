/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). Tests that need
 * it call `launch()`; when it is missing they skip with the reason, and fail under CI=true.
 */
import { existsSync } from "node:fs"
import { chromium, type Browser } from "playwright-core"

export const CHROMIUM = "/usr/bin/chromium"

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
]

/** Why the browser tests cannot run here, or undefined when they can. */
export function missing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined
  const why = `${CHROMIUM} is missing (apt-get install -y chromium)`
  if (process.env.CI === "true") throw new Error(`browser tests are required under CI: ${why}`)
  return why
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS })
}
