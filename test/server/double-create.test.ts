import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { realShare } from "../support/fixtures.ts"
import { share, testApp } from "../support/app.ts"

describe("double create under share: auto", () => {
  it("shows the session at the URL of the share that never received a sync", async () => {
    const t = await testApp()
    try {
      const items = realShare()
      const sid = items[0].data.id as string
      // The stock client's two concurrent creates for one session.
      const [a, b] = await Promise.all([share(t, sid), share(t, sid)])
      assert.notEqual(a.secret, b.secret)
      await t.send("POST", `/api/share/${a.id}/sync`, { secret: a.secret, data: items })
      const data = (await (await t.send("GET", `/api/share/${b.id}/data`)).json()) as { type: string }[]
      assert.equal(data.length, items.length)
      const page = await (await t.app.request(`/share/${b.id}`)).text()
      assert.ok(page.includes(items[0].data.title))
      // The empty share's secret still only controls the empty share.
      assert.equal((await t.send("DELETE", `/api/share/${a.id}`, { secret: b.secret })).status, 403)
      assert.equal((await t.send("DELETE", `/api/share/${b.id}`, { secret: b.secret })).status, 200)
      assert.equal((await t.send("GET", `/api/share/${a.id}/data`)).status, 200)
    } finally {
      await t.close()
    }
  })

  it("does not let a later create for a known session id read or take over an older share", async () => {
    let clock = 1_000_000
    const t = await testApp({ doubleCreateWindowMs: 60_000 }, () => clock)
    try {
      const items = realShare()
      const sid = items[0].data.id as string
      const victim = await share(t, sid)
      await t.send("POST", `/api/share/${victim.id}/sync`, { secret: victim.secret, data: items })
      clock += 120_000
      const attacker = await share(t, sid)
      assert.notEqual(attacker.secret, victim.secret)
      const data = (await (await t.send("GET", `/api/share/${attacker.id}/data`)).json()) as unknown[]
      assert.equal(data.length, 0)
      assert.equal(
        (await t.send("POST", `/api/share/${victim.id}/sync`, { secret: attacker.secret, data: [] })).status,
        403,
      )
    } finally {
      await t.close()
    }
  })

  it("stops showing the group's content once that share is unshared", async () => {
    const t = await testApp()
    try {
      const items = realShare()
      const sid = items[0].data.id as string
      const [a, b] = await Promise.all([share(t, sid), share(t, sid)])
      await t.send("POST", `/api/share/${a.id}/sync`, { secret: a.secret, data: items })
      await t.send("DELETE", `/api/share/${a.id}`, { secret: a.secret })
      const data = (await (await t.send("GET", `/api/share/${b.id}/data`)).json()) as unknown[]
      assert.equal(data.length, 0)
    } finally {
      await t.close()
    }
  })
})
