/**
 * The CLI never prints a control character it did not write itself: a session (and so a share)
 * whose title and text hold terminal escape sequences (an OSC 52 clipboard write, a title
 * change, a screen clear, a C1 CSI, a DCS string, a bare carriage return), and a hostile server
 * whose URLs and error messages hold them, reach stdout and stderr of every command as plain
 * text. The real CLI as a child process, against a real server and a real OpenCode database.
 */
import assert from "node:assert/strict"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { DatabaseSync } from "node:sqlite"
import { after, before, describe, it } from "node:test"
import { home, manifest, type Home, type Manifest } from "../support/cli-run.ts"
import * as TestServer from "../support/cli-server.ts"

/** What a hostile session holds: each sequence a terminal would act on, between plain words. */
const HOSTILE =
  "alpha \x1b]52;c;cm0gLXJmIH4K\x07 bravo \x1b]0;pwned title\x07 charlie \x1b[2J delta \x9b31m echo \x9d0;c1 title\x9c foxtrot\rgolf \x1bPdcs string\x1b\\ hotel \x1b7\x1bc india\x00\x7f juliet"
const TITLE = `Title ${HOSTILE}`
const TEXT = `Text ${HOSTILE}\nsecond line\tafter a tab`
/** Every C0 control but tab and newline, DEL and every C1 control (ESC, BEL, CR and 0x9b among them). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

function clean(what: string, out: { stdout: string; stderr: string }) {
  for (const stream of ["stdout", "stderr"] as const) {
    const at = CONTROL.exec(out[stream])
    assert.equal(
      at,
      null,
      `${what}: ${stream} holds U+${at?.[0].charCodeAt(0).toString(16).padStart(4, "0")} at ${at?.index}: ${JSON.stringify(out[stream].slice(Math.max(0, (at?.index ?? 0) - 40), (at?.index ?? 0) + 40))}`,
    )
  }
}

/** The words between the sequences are still printed: the sanitizer strips controls, not text. */
const words = (text: string) =>
  ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"].every((w) =>
    text.includes(w),
  )

describe("the CLI prints no control character that came from a share or a session", () => {
  let server: TestServer.TestServer
  let m: Manifest
  let h: Home
  let id = ""
  before(async () => {
    server = await TestServer.start()
    m = await manifest()
    h = home()
    h.env.AGENTSHARE_URL = server.url
    const db = new DatabaseSync(h.dbPath)
    db.prepare("update session set title = ? where id = ?").run(TITLE, m.sessionID)
    const part = db
      .prepare(
        "select id, data from part where session_id = ? and json_extract(data, '$.type') = 'text' order by id limit 1",
      )
      .get(m.sessionID) as { id: string; data: string }
    db.prepare("update part set data = ? where id = ?").run(
      JSON.stringify({ ...JSON.parse(part.data), text: TEXT }),
      part.id,
    )
    db.close()
  })
  after(async () => {
    h.dispose()
    await server.close()
  })

  it("share --json and plain share", async () => {
    const json = await h.run(["share", "--yes", "--json"])
    assert.equal(json.code, 0, json.stderr)
    clean("share --json", json)
    id = (JSON.parse(json.stdout) as { id: string }).id
    const plain = await h.run(["share", "--yes"])
    assert.equal(plain.code, 0, plain.stderr)
    clean("share", plain)
    assert.match(plain.stdout, new RegExp(`${server.url}/share/s_`))
  })

  it("shares: the table and --json (which keeps the title, escaped)", async () => {
    const table = await h.run(["shares"])
    assert.equal(table.code, 0, table.stderr)
    clean("shares", table)
    assert.match(table.stdout, /Title alpha/)
    const json = await h.run(["shares", "--json"])
    assert.equal(json.code, 0, json.stderr)
    clean("shares --json", json)
    assert.ok(
      (JSON.parse(json.stdout) as { title: string }[]).every((s) => s.title === TITLE),
      "JSON escapes the controls: the value is unchanged",
    )
  })

  it("status: the session title, plain and --json", async () => {
    const plain = await h.run(["status"])
    assert.equal(plain.code, 0, plain.stderr)
    clean("status", plain)
    assert.ok(words(plain.stdout), plain.stdout)
    const json = await h.run(["status", "--json"])
    assert.equal(json.code, 0, json.stderr)
    clean("status --json", json)
    assert.equal((JSON.parse(json.stdout) as { session: { title: string } }).session.title, TITLE)
  })

  it("export --format md, export (JSON) and import", async () => {
    assert.ok(id)
    const md = await h.run(["export", id, "--format", "md"])
    assert.equal(md.code, 0, md.stderr)
    clean("export --format md", md)
    assert.ok(words(md.stdout), md.stdout.slice(0, 500))
    assert.match(md.stdout, /second line\tafter a tab/, "newlines and tabs of the text are kept")
    const json = await h.run(["export", id])
    assert.equal(json.code, 0, json.stderr)
    clean("export", json)
    const items = JSON.parse(json.stdout) as { type: string; data: { title?: string; text?: string } }[]
    assert.equal(items.find((i) => i.type === "session")?.data.title, TITLE)
    assert.ok(
      items.some((i) => i.data.text === TEXT),
      "the JSON keeps every character, escaped",
    )
    const imported = await h.run(["import", id])
    assert.equal(imported.code, 0, imported.stderr)
    clean("import", imported)
    assert.equal((JSON.parse(imported.stdout) as { info: { title: string } }).info.title, TITLE)
  })

  describe("a hostile server", () => {
    let evil: Server
    let url = ""
    const error = JSON.stringify({ error: { code: "refused", message: `no ${HOSTILE}` } })
    before(async () => {
      evil = createServer((req, res) => {
        req.resume()
        req.on("end", () => {
          const send = (status: number, body: unknown) =>
            res
              .writeHead(status, { "content-type": "application/json" })
              .end(typeof body === "string" ? body : JSON.stringify(body))
          if (req.method === "POST" && req.url === "/api/owner")
            return send(201, { ownerID: "own_evil", token: "agsh_evil" })
          if (req.method === "POST" && req.url === "/api/share")
            return send(201, { id: "s_evil", url: `${url}/share/s_evil ${HOSTILE}`, secret: "x".repeat(43) })
          if (req.method === "GET" && req.url === "/api/owner/shares")
            return send(200, {
              shares: [
                {
                  id: "s_evil",
                  url: `${url}/share/s_evil${HOSTILE}`,
                  sessionID: `ses_${HOSTILE}`,
                  title: TITLE,
                  createdAt: 1,
                  updatedAt: 2,
                  items: 1,
                  bytes: 1,
                },
              ],
            })
          send(403, error)
        })
      })
      await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve))
      url = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`
    })
    after(
      () =>
        new Promise<void>((resolve) => {
          evil.closeAllConnections()
          evil.close(() => resolve())
        }),
    )

    it("its share URL and its refusal of the sync", async () => {
      const e = home()
      try {
        const r = await e.run(["share", "--yes"], { env: { AGENTSHARE_URL: url } })
        assert.equal(r.code, 6, r.stderr)
        clean("share against a hostile server", r)
        assert.match(r.stdout, /share\/s_evil alpha/)
        assert.match(r.stderr, /no alpha/, "the server's message is still shown")
        const json = await e.run(["share", "--yes", "--json"], { env: { AGENTSHARE_URL: url } })
        clean("share --json against a hostile server", json)
        const list = await e.run(["shares"], { env: { AGENTSHARE_URL: url } })
        assert.equal(list.code, 0, list.stderr)
        clean("shares against a hostile server", list)
      } finally {
        e.dispose()
      }
    })

    it("its error message on export", async () => {
      const r = await h.run(["export", "s_evil", "--format", "md"], { env: { AGENTSHARE_URL: url } })
      assert.equal(r.code, 1)
      clean("export against a hostile server", r)
      assert.ok(words(r.stderr), r.stderr)
    })
  })
})
