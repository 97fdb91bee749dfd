/** axe-core in Chromium: the serious and critical violations of the page as it is now. */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import type { Page } from "playwright-core"

const source = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8")

export type Violation = { id: string; impact: string; help: string; targets: string[] }

/** Runs axe (the page's context must bypass CSP: axe is injected as a script). */
export async function serious(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: source })
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run(o: unknown): Promise<unknown> } }).axe.run({ resultTypes: ["violations"] }),
  )) as {
    violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]
  }
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }))
}
