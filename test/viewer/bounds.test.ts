/** Rendering is bounded: a share cannot make its page far larger than itself. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Budget from "../../src/viewer/budget.ts"
import { share, testApp } from "../support/app.ts"

const ROOT = "ses_bounds_root"
const CHILD = "ses_bounds_child"

const session = (id: string, parentID?: string) => ({
  type: "session",
  data: { id, title: `session ${id}`, ...(parentID ? { parentID } : {}), time: { created: 1, updated: 2 } },
})
const message = (sessionID: string, id: string, role: string, parentID?: string) => ({
  type: "message",
  data: { id, sessionID, role, ...(parentID ? { parentID } : {}), time: { created: 1, completed: 2 } },
})
const text = (sessionID: string, messageID: string, id: string, body: string) => ({
  type: "part",
  data: { id, sessionID, messageID, type: "text", text: body, time: { start: 1, end: 2 } },
})
const task = (sessionID: string, messageID: string, id: string, child: string) => ({
  type: "part",
  data: {
    id,
    sessionID,
    messageID,
    type: "tool",
    tool: "task",
    callID: `call_${id}`,
    state: {
      status: "completed",
      input: { description: "again", prompt: "do it again", subagent_type: "general" },
      output: "done",
      metadata: { sessionId: child },
      time: { start: 1, end: 2 },
    },
  },
})

describe("render bounds", () => {
  it("renders a child session once, however many of its calls point back at it", async (t) => {
    const app = await testApp({ redactOnIngest: "off" })
    t.after(() => app.close())
    const s = await share(app, ROOT)
    const loops = Array.from({ length: 24 }, (_, i) =>
      task(CHILD, "msg_c2", `prt_loop${String(i).padStart(2, "0")}`, CHILD),
    )
    const data = [
      session(ROOT),
      message(ROOT, "msg_r1", "user"),
      text(ROOT, "msg_r1", "prt_r1", "start"),
      message(ROOT, "msg_r2", "assistant", "msg_r1"),
      task(ROOT, "msg_r2", "prt_r2", CHILD),
      { ...session(CHILD, ROOT), sessionID: CHILD },
      message(CHILD, "msg_c1", "user"),
      text(CHILD, "msg_c1", "prt_c1", "child prompt"),
      message(CHILD, "msg_c2", "assistant", "msg_c1"),
      ...loops,
    ]
    const sent = JSON.stringify(data).length
    assert.equal((await app.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data })).status, 200)
    const page = await (await app.app.request(`/share/${s.id}`)).text()
    // An 18 KB sync once made a 153 MB page.
    assert.ok(page.length < 40 * sent + 200_000, `page is ${page.length} bytes for a ${sent}-byte sync`)
    assert.equal(page.split('data-session="ses_bounds_child"').length - 1, 1, "the child session is rendered once")
    assert.ok(page.includes("This subagent session is shown above"))
  })

  it("renders two sessions that spawn each other once each", async (t) => {
    const app = await testApp({ redactOnIngest: "off" })
    t.after(() => app.close())
    const s = await share(app, ROOT)
    const other = "ses_bounds_other"
    const data = [
      session(ROOT),
      message(ROOT, "msg_r1", "user"),
      text(ROOT, "msg_r1", "prt_r1", "start"),
      message(ROOT, "msg_r2", "assistant", "msg_r1"),
      task(ROOT, "msg_r2", "prt_r2", CHILD),
      task(ROOT, "msg_r2", "prt_r3", CHILD),
      { ...session(CHILD, ROOT), sessionID: CHILD },
      message(CHILD, "msg_c1", "user"),
      message(CHILD, "msg_c2", "assistant", "msg_c1"),
      ...Array.from({ length: 8 }, (_, i) => task(CHILD, "msg_c2", `prt_c${i}`, other)),
      { ...session(other, CHILD), sessionID: other },
      message(other, "msg_o1", "user"),
      message(other, "msg_o2", "assistant", "msg_o1"),
      ...Array.from({ length: 8 }, (_, i) => task(other, "msg_o2", `prt_o${i}`, CHILD)),
    ]
    assert.equal((await app.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data })).status, 200)
    const page = await (await app.app.request(`/share/${s.id}`)).text()
    assert.equal(page.split(`data-session="${CHILD}"`).length - 1, 1)
    assert.equal(page.split(`data-session="${other}"`).length - 1, 1)
  })

  it("caps the page's size and says where the rest is", async (t) => {
    const app = await testApp({ redactOnIngest: "off" })
    t.after(() => app.close())
    const s = await share(app, ROOT)
    // 12 turns of 1.5 MB each: more than a page may hold.
    const big = "word ".repeat(300_000)
    const data: unknown[] = [session(ROOT)]
    for (let i = 0; i < 12; i++) {
      const n = String(i).padStart(2, "0")
      data.push(message(ROOT, `msg_${n}u`, "user"), text(ROOT, `msg_${n}u`, `prt_${n}u`, `question ${i}`))
      data.push(message(ROOT, `msg_${n}v`, "assistant", `msg_${n}u`), text(ROOT, `msg_${n}v`, `prt_${n}v`, big))
    }
    assert.equal((await app.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data })).status, 200)
    const page = await (await app.app.request(`/share/${s.id}`)).text()
    assert.ok(page.length < Budget.PAGE_HTML + Budget.TURN_HTML + 500_000, `page is ${page.length} bytes`)
    assert.match(page, /This page is truncated after \d+ of 12 turns/)
    assert.ok(page.includes(`href="/share/${s.id}.json"`))
  })

  it("cuts a single turn that would pass its budget", async (t) => {
    const app = await testApp({ redactOnIngest: "off" })
    t.after(() => app.close())
    const s = await share(app, ROOT)
    const big = "x ".repeat(1_000_000)
    const data: unknown[] = [
      session(ROOT),
      message(ROOT, "msg_1u", "user"),
      text(ROOT, "msg_1u", "prt_1u", "go"),
      message(ROOT, "msg_1v", "assistant", "msg_1u"),
    ]
    for (let i = 0; i < 6; i++) data.push(text(ROOT, "msg_1v", `prt_v${i}`, big))
    assert.equal((await app.send("POST", `/api/share/${s.id}/sync`, { secret: s.secret, data })).status, 200)
    const page = await (await app.app.request(`/share/${s.id}`)).text()
    assert.ok(page.length < Budget.TURN_HTML + 3_000_000, `page is ${page.length} bytes`)
    assert.ok(page.includes("The rest of this turn is not shown"))
  })
})
