import { readFileSync } from "node:fs"
import { chromium } from "playwright-core"
import * as S from "./test/viewer/support.ts"
import * as Enterprise from "./src/server/enterprise-config.ts"
import { kitchenSink } from "./test/viewer/fixtures.ts"
import * as Claude from "./test/viewer/claude-session.ts"
const TOKEN = "admin-token-for-screenshots-1234"
const srv = await S.server({ enterprise: Enterprise.defaults({ adminToken: TOKEN }), viewer: { idleAfterMs: 120000, embed: "all", embedOrigins: ["*"] } })
const sink = await S.publish(srv.url, kitchenSink())
const real = await S.publish(srv.url, S.realItems())
const cl = JSON.parse(readFileSync("/tmp/shots/claude-real.json", "utf8"))
const claudeReal = await S.create(srv.url, cl.root); await S.sync(srv.url, claudeReal, cl.items)
const claude = await S.publish(srv.url, Claude.items() as S.Item[])
const r = await fetch(`${srv.url}/admin/login`, { method: "POST", body: new URLSearchParams({ token: TOKEN }), redirect: "manual" })
const cookie = (r.headers.get("set-cookie") ?? "").split(";")[0].split("=")
const all: Record<string, string> = { sink: `/share/${sink.id}`, real: `/share/${real.id}`, claudereal: `/share/${claudeReal.id}`, claude: `/share/${claude.id}`, claudeopen: `/share/${claude.id}?tools=open`, changes: `/share/${claude.id}?view=changes`, sinkchanges: `/share/${sink.id}?view=changes`, embed: `/share/${claude.id}/embed`, home: "/", "404": "/nope", admin: "/admin", adminshare: `/admin/shares/${sink.id}`, audit: "/admin/audit", login: "/admin/login" }
const want = process.argv.slice(2)
const modes = (process.env.MODES ?? "desk-light,desk-dark,phone-light,phone-dark").split(",")
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] })
for (const name of want) {
  for (const m of modes) {
    const [mode, scheme] = m.split("-") as ["desk" | "phone", "light" | "dark"]
    const ctx = await browser.newContext({ viewport: mode === "desk" ? { width: 1280, height: 900 } : { width: 390, height: 844 }, colorScheme: scheme })
    if (name.startsWith("admin") || name === "audit") await ctx.addCookies([{ name: cookie[0], value: cookie[1], url: srv.url }])
    const page = await ctx.newPage()
    await page.goto(srv.url + all[name])
    await page.waitForTimeout(400)
    if (process.env.OPEN) await page.evaluate((sel) => { for (const d of document.querySelectorAll(sel)) (d as HTMLDetailsElement).open = true }, process.env.OPEN)
    await page.screenshot({ path: `/tmp/shots/${name}-${m}.png`, fullPage: mode === "desk" || !!process.env.FULL })
    await ctx.close()
  }
}
await browser.close(); await srv.close()
