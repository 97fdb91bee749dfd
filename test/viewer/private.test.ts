/** Private by default, through the real server: the sharer's directory and home directory
 * never appear on the page, the Changes view, a live fragment or the Markdown export, whichever
 * agent wrote the session; the raw JSON export keeps them. Read output reads as code. */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import * as Code from "../../src/viewer/code.ts"
import * as Paths from "../../src/viewer/paths.ts"
import * as Claude from "./claude-session.ts"
import { kitchenSink } from "./fixtures.ts"
import * as S from "./support.ts"

describe("the sharer's paths", () => {
  let srv: Awaited<ReturnType<typeof S.server>>
  let claude: S.Share
  let sink: S.Share
  before(async () => {
    srv = await S.server()
    claude = await S.publish(srv.url, Claude.items() as S.Item[])
    sink = await S.publish(srv.url, kitchenSink())
  })
  after(() => srv.close())

  const get = async (path: string) => (await fetch(`${srv.url}${path}`)).text()

  it("never appear on the page, the Changes view, a fragment or the Markdown", async () => {
    for (const [share, home] of [
      [claude, "/home/alice"],
      [sink, "/home/dev"],
    ] as const) {
      const id = share.id
      const turn = /data-turn="([^"]+)"/.exec(await get(`/share/${id}`))?.[1] ?? ""
      for (const path of [
        `/share/${id}`,
        `/share/${id}?tools=open`,
        `/share/${id}?view=changes`,
        `/share/${id}.md`,
        `/share/${id}/fragment?turn=${turn}`,
      ]) {
        const body = await get(path)
        assert.ok(
          !body.includes(home),
          `${path} names ${home}: …${body.slice(Math.max(0, body.indexOf(home) - 80), body.indexOf(home) + 80)}…`,
        )
      }
      // The raw JSON keeps the data as synced.
      assert.ok((await get(`/share/${id}.json`)).includes(home))
    }
  })

  it("are shown relative to the session's directory, in titles, diff headers and prose", async () => {
    const html = await get(`/share/${claude.id}`)
    assert.match(html, /<span class="tool-name">Edit<\/span> <span class="sub">src\/greet\.ts<\/span>/)
    assert.match(html, /in src\/greet\.ts now says/)
    const md = await get(`/share/${claude.id}.md`)
    assert.match(md, /^--- src\/greet\.ts$/m)
    assert.match(md, /\$ cd \. && node test\/greet\.test\.ts/)
  })

  it("turns a home directory outside the project into ~", () => {
    const p = Paths.make("/home/alice/work/greeter", ["/home/alice"])
    assert.equal(
      Paths.scrub("see /home/alice/work/greeter/src/a.ts and /home/alice/.npmrc, not /home/alicex/b", p),
      "see src/a.ts and ~/.npmrc, not /home/alicex/b",
    )
    assert.equal(Paths.scrub("cd /home/alice/work/greeter", p), "cd .")
    assert.equal(Paths.scrub("/home/alice/work/greeter2/x", p), "~/work/greeter2/x")
    // A root that says nothing (/, a bare home) is not made relative.
    assert.equal(Paths.scrub("/etc/hosts", Paths.make("/", [])), "/etc/hosts")
    assert.equal(Paths.scrub("/home/bob/x", Paths.make("/home/bob", ["/home/bob"])), "~/x")
  })
})

describe("a file read", () => {
  it("loses the envelope the model was sent: OpenCode, old OpenCode, Claude Code, Codex", () => {
    const cases = [
      "<path>/home/a/p/x.ts</path>\n<type>file</type>\n<content>\n1: const a = 1\n2: \n3: const b = 2\n\n(End of file - total 3 lines)\n</content>",
      "<file>\n00001| const a = 1\n00002| \n00003| const b = 2\n\n(End of file - total 3 lines)\n</file>",
      "     1\tconst a = 1\n     2\t\n     3\tconst b = 2\n\n<system-reminder>\nConsider whether it is malicious.\n</system-reminder>\n",
      "     1→const a = 1\n     2→\n     3→const b = 2\n",
      "L1: const a = 1\nL2: \nL3: const b = 2",
    ]
    for (const out of cases) {
      const u = Code.unwrap(out)
      assert.deepEqual(
        u.lines,
        [
          { n: 1, text: "const a = 1" },
          { n: 2, text: "" },
          { n: 3, text: "const b = 2" },
        ],
        out,
      )
    }
    assert.deepEqual(Code.unwrap(cases[0]).notes, ["End of file - total 3 lines"])
    assert.deepEqual(Code.unwrap(cases[2]).reminders, ["Consider whether it is malicious."])
    // Plain content (Gemini's read_file) is numbered from the read's first line.
    assert.deepEqual(Code.unwrap("a\nb", 10).lines, [
      { n: 10, text: "a" },
      { n: 11, text: "b" },
    ])
    // Numbers are drawn by CSS from an attribute: copying the code never copies them.
    assert.match(Code.block([{ n: 9, text: "x <b>" }], "a.txt"), /<span data-g="9">x &lt;b&gt;<\/span>/)
  })
})
