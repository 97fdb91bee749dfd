import { chromium } from "playwright-core"
import * as S from "./test/viewer/support.ts"
import { kitchenSink } from "./test/viewer/fixtures.ts"
const srv = await S.server()
const sink = await S.publish(srv.url, kitchenSink())
const real = await S.publish(srv.url, S.realItems())
const extra = process.argv.slice(2)
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] })
const pages: [string, string][] = [["sink", `/share/${sink.id}`], ["real", `/share/${real.id}`], ["changes", `/share/${sink.id}?view=changes`], ["home", "/"], ["404", "/nope"]]
for (const [name, path] of pages) {
  if (extra.length && !extra.includes(name)) continue
  for (const [mode, w, h] of [["desk", 1280, 900], ["phone", 390, 844]] as const) for (const scheme of ["light", "dark"] as const) {
    const ctx = await browser.newContext({ viewport: { width: w, height: h }, colorScheme: scheme, deviceScaleFactor: 1 })
    const page = await ctx.newPage()
    await page.goto(srv.url + path, { headers: { accept: "text/html" } } as never)
    await page.waitForTimeout(300)
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    await page.screenshot({ path: `/tmp/shots/${name}-${mode}-${scheme}.png`, fullPage: mode === "phone" ? false : true })
    console.log(name, mode, scheme, "overflow", over)
    await ctx.close()
  }
}
await browser.close()
await srv.close()
