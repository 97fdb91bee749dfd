/** The share page rendered over real data: every part type and tool family, both diff
 * shapes, legacy messages, errors, aborts, running tools and unknown data. */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { CHILD, kitchenSink, PROMPT } from "./fixtures.ts"
import * as S from "./support.ts"

describe("share page rendering", () => {
  let srv: Awaited<ReturnType<typeof S.server>>
  let sink: S.Share
  let real: S.Share
  let html = ""

  before(async () => {
    srv = await S.server()
    sink = await S.publish(srv.url, kitchenSink())
    real = await S.publish(srv.url, S.realItems())
    html = await (await fetch(`${srv.url}/share/${sink.id}`)).text()
  })
  after(() => srv.close())

  const section = (id: string) => {
    const start = html.indexOf(`id="${id}"`)
    assert.ok(start >= 0, `${id} is on the page`)
    const end = html.indexOf("</details>", start)
    return html.slice(start, end > 0 ? end : undefined)
  }

  it("renders the header with title, agent, every model with its provider, and totals", () => {
    assert.match(html, /<h1>Kitchen sink session<\/h1>/)
    assert.match(html, />OpenCode 1\.18\.33</)
    assert.match(html, /class="model">Claude X <span class="muted">Anthropic<\/span>/)
    assert.match(html, /class="model">legacy-model <span class="muted">OpenAI<\/span>/)
    assert.match(html, /class="fact project" title="Project">proj</)
    // One summary line: turns, files changed, work time, cost, tokens.
    assert.match(
      html,
      /<p class="summary">5 turns · <a href="[^"]+\?view=changes">4 files changed<\/a> · 3s of agent work · \$0\.64 · 13k tokens<\/p>/,
    )
    // 0.0123 * (1 + 2 + 3 + 4) + 0.5 legacy + 0.0123 child = 0.6353
    assert.match(html, /<dt>Cost<\/dt><dd>\$0\.64<\/dd>/)
    assert.match(html, /<dt>Output<\/dt><dd>2\.2k<\/dd>/)
    // Agent work counts the assistant messages' busy time; wall time is a detail.
    assert.match(html, /<dt>Agent work<\/dt><dd>3s<\/dd>/)
    assert.match(html, /<dt>Wall time<\/dt><dd>52s<\/dd>/)
  })

  it("highlights @file and @agent mentions from their offsets", () => {
    assert.equal(PROMPT.slice(8, 19), "@src/app.ts")
    assert.match(
      html,
      /Look at <span class="mention file">@src\/app\.ts<\/span> and ask <span class="mention agent">@review<\/span> please/,
    )
  })

  it("renders markdown with highlighted code and user-content links, without loading images", () => {
    assert.match(html, /<code class="language-ts"><span class="hljs-keyword">const<\/span>/)
    assert.match(html, /<a href="https:\/\/example\.com\/docs" rel="noopener nofollow ugc">the docs<\/a>/)
    assert.doesNotMatch(html, /<img src="https:/)
  })

  it("renders bash as a terminal block with exit code and ANSI stripped", () => {
    const bash = section("p-prt_0002d")
    assert.match(bash, /<span class="prompt">\$ npm test<\/span>\nFAIL 1 test failed/)
    assert.match(bash, /exit 1/)
    assert.doesNotMatch(bash, /\u001b/)
  })

  it("renders edits as unified diffs with counts and diagnostics", () => {
    const edit = section("p-prt_0002e")
    // Syntax-highlighted by the file's language (src/app.ts: TypeScript).
    // Line numbers of both sides in the gutter.
    assert.match(
      edit,
      /<span class="dd" data-g="2  ">-<span class="hljs-keyword">const<\/span> b = <span class="hljs-number">2<\/span><\/span>/,
    )
    assert.match(
      edit,
      /<span class="da" data-g="  2">\+<span class="hljs-keyword">const<\/span> b = <span class="hljs-number">3<\/span><\/span>/,
    )
    // The sharer's absolute path never shows, in the header lines or anywhere.
    assert.doesNotMatch(edit, /\/home\/dev/)
    assert.match(edit, /class="add">\+1<.*class="del">−1</)
    assert.match(edit, /app\.ts:2:7<\/code> Type &#39;string&#39; is not assignable/)
    const patch = html.slice(html.indexOf('id="p-prt_0002g"'), html.indexOf('id="p-prt_0002h"'))
    assert.match(patch, /a\.txt<\/code> <span class="badge">add<\/span>/)
    // The before/after file of the patch tool is diffed here.
    assert.match(patch, /<span class="dd"[^>]*>-y<\/span>\n<span class="da"[^>]*>\+z<\/span>/)
  })

  it("groups read/grep/glob/list as gathered context that expands to output", () => {
    assert.match(html, /Gathered context<\/span> <span class="count">1 read, 2 searches, 1 list/)
    // The read shows the file's lines, numbered, without the envelope the model was sent.
    assert.match(
      section("p-prt_0002h"),
      /<pre class="code numbered"><code class="lines"><span data-g="1">(<[^>]+>)?# Readme contents here/,
    )
    assert.doesNotMatch(section("p-prt_0002h"), /00001\||&lt;file&gt;/)
    assert.match(section("p-prt_0002h"), /Loaded <code>AGENTS\.md/)
    assert.match(section("p-prt_0002i"), /2 matches/)
  })

  it("renders web tools as links, todos as a checklist, questions with answers", () => {
    assert.match(section("p-prt_0002l"), /<a href="https:\/\/example\.com\/page" rel="noopener nofollow ugc">/)
    assert.match(section("p-prt_0002m"), /href="https:\/\/opencode\.ai\/docs\/share"/)
    const todos = section("p-prt_0002n")
    for (const s of ["completed", "in_progress", "pending", "cancelled"]) assert.match(todos, new RegExp(`todo t-${s}`))
    assert.match(todos, /1\/4 done/)
    const q = html.slice(html.indexOf('id="p-prt_0002p"'), html.indexOf('id="p-prt_0002q"'))
    assert.match(q, /Which database\?.*Answer.*<li>PostgreSQL<\/li>/s)
  })

  it("shows a task as a subagent card with the child session inline", () => {
    const task = html.slice(html.indexOf('id="p-prt_0002o"'), html.indexOf('id="p-prt_0002p"'))
    assert.match(task, /badge agent">explore</)
    assert.match(task, new RegExp(`data-session="${CHILD}"`))
    assert.match(task, /child-session-work-done/)
    assert.match(task, /Found the bug in <strong>parser<\/strong>/)
  })

  it("shows unknown and MCP tools with name, arguments and output", () => {
    const mcp = section("p-prt_0002q")
    assert.match(mcp, /github_create_issue/)
    assert.match(mcp, /<th>repo<\/th><td><pre>acme\/app/)
    assert.match(mcp, /Created issue #42/)
  })

  it("shows running and pending tools, interrupts, errors, retries and compaction", () => {
    assert.match(html, /class="tool bash st-running" id="p-prt_0004a"/)
    assert.match(section("p-prt_0004a"), /running….*partial output so far/s)
    assert.match(html, /class="tool gather st-pending" id="p-prt_0004b"/)
    assert.match(section("p-prt_0004c"), /<strong>Interrupted<\/strong> Tool execution aborted/)
    assert.match(html, /class="divider interrupted" role="status"><span>Interrupted</)
    assert.match(
      html,
      /<strong>APIError<\/strong> <span class="muted">HTTP 529<\/span><p>overloaded_error: Overloaded<\/p>/,
    )
    assert.match(html, /Retry 2 · HTTP 529 · Overloaded/)
    assert.match(html, /Compaction · context overflow/)
  })

  it("renders per-turn diffs, and the worktree's diff in the Changes view, in both FileDiff shapes", async () => {
    const changes = await (await fetch(`${srv.url}/share/${sink.id}?view=changes`)).text()
    assert.match(changes, /2 more files in the worktree&#39;s diff|more file/)
    // before/after shape: line two -> line 2, plus line four.
    assert.match(changes, /<span class="dd"[^>]*>-line two<\/span>\n<span class="da"[^>]*>\+line 2<\/span>/)
    assert.match(
      html,
      /Changes in this turn · 1 file .*<span class="dd"[^>]*>-beta<\/span>\n<span class="da"[^>]*>\+gamma<\/span>/s,
    )
  })

  it("renders every diff side by side too, for the split view, in both FileDiff shapes", async () => {
    const page = await (await fetch(`${srv.url}/share/${sink.id}?view=changes`)).text()
    const files = page.slice(page.indexOf('<section class="changes"'), page.indexOf("</main>"))
    // patch shape
    assert.match(files, /<div class="diff-view has-split"><pre class="diff">/)
    assert.match(
      files,
      /<tr><td class="ln">2<\/td><td class="dd"><span class="hljs-keyword">const<\/span> b = <span class="hljs-number">2<\/span><\/td><td class="ln">2<\/td><td class="da"><span class="hljs-keyword">const<\/span> b = <span class="hljs-number">3<\/span><\/td><\/tr>/,
    )
    // before/after shape: "line two" pairs with "line 2"; "line four" has no left side.
    assert.match(
      files,
      /<td class="ln">2<\/td><td class="dd">line two<\/td><td class="ln">2<\/td><td class="da">line 2<\/td>/,
    )
    assert.match(
      files,
      /<tr><td class="ln"><\/td><td class="de"><\/td><td class="ln">4<\/td><td class="da">line four<\/td><\/tr>/,
    )
    // Tool diffs and per-turn changes carry both views as well.
    assert.match(
      section("p-prt_0002e"),
      /<div class="diff-split"><table>.*<td class="dd"><span class="hljs-keyword">const<\/span> b = <span class="hljs-number">2<\/span><\/td>/s,
    )
    assert.match(
      html,
      /Changes in this turn · 1 file .*<td class="dd">beta<\/td><td class="ln">2<\/td><td class="da">gamma<\/td>/s,
    )
  })

  it("shows context usage per step against the model's context limit", async () => {
    const usage = html.slice(
      html.indexOf('<details class="usage">'),
      html.indexOf("</details>", html.indexOf('<details class="usage">')),
    )
    assert.match(usage, /<th>context<\/th>/)
    assert.match(
      usage,
      /<meter min="0" max="200000" [^>]*value="1200" aria-label="Context used">1%<\/meter> 1\.2k \/ 200k/,
    )
    // The real client's model item says 128k.
    const page = await (await fetch(`${srv.url}/share/${real.id}`)).text()
    assert.match(
      page,
      /context <span class="ctx" title="120 of 128000 context tokens \(0%\)"><meter min="0" max="128000"/,
    )
  })

  it("renders legacy v1 messages and their tool invocations", () => {
    assert.match(html, /legacy v1 prompt/)
    assert.match(html, /legacy v1 answer/)
    assert.match(html, /\$ ls legacy<\/span>\nlegacy-out\.txt/)
  })

  it("falls back to an escaped raw view for unknown parts and item types", () => {
    assert.match(html, /Unrecognised part &quot;hologram&quot;/)
    assert.match(html, /&lt;b&gt;unknown-part-payload&lt;\/b&gt;/)
    assert.match(html, /item\(s\) of types this viewer does not know.*todo_list/s)
  })

  it("offers per-step usage on demand and permalinks to turns, messages and parts", () => {
    assert.match(html, /<details class="usage"><summary>1 step · \$0\.01 · 200 output tokens/)
    assert.match(html, /<section class="turn" id="t-msg_0001"/)
    assert.match(html, /id="m-msg_0002"/)
    assert.match(html, /<a class="anchor" href="#t-msg_0001"/)
  })

  it("never renders model options or headers", async () => {
    for (const path of ["", ".md", ".json"]) {
      const body = await (await fetch(`${srv.url}/share/${sink.id}${path}`)).text()
      assert.doesNotMatch(body, /SECRET-(OPTION|HEADER)/, path)
    }
  })

  it("renders the real client's share with every turn", async () => {
    const page = await (await fetch(`${srv.url}/share/${real.id}`)).text()
    assert.match(page, /<h1>serve lifecycle<\/h1>/)
    assert.equal(page.match(/<section class="turn"/g)?.length, 4)
    assert.match(page, /\$ echo hi<\/span>\nhi/)
    assert.match(page, /Subagent finished: it ran echo\./)
    assert.match(page, /Could not find oldString/)
  })

  it("sends the security headers and no inline script", async () => {
    const r = await fetch(`${srv.url}/share/${sink.id}`)
    const csp = r.headers.get("content-security-policy") ?? ""
    assert.match(csp, /default-src 'none'/)
    assert.match(csp, /script-src 'self'(;|$)/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.equal(r.headers.get("x-content-type-options"), "nosniff")
    assert.equal(r.headers.get("referrer-policy"), "no-referrer")
    assert.equal(r.headers.get("x-robots-tag"), "noindex, nofollow")
    const body = await r.text()
    assert.match(body, /<meta name="robots" content="noindex, nofollow">/)
    assert.doesNotMatch(body, /<script(?![^>]*\bsrc="\/assets\/(live|controls)\.[0-9a-f]{12}\.js")/)
    assert.doesNotMatch(body, /\son[a-z]+=/i)
  })

  it("carries OpenGraph and Twitter tags and alternates", () => {
    assert.match(html, /<meta property="og:title" content="Kitchen sink session \| agentshare">/)
    assert.match(
      html,
      /<meta property="og:description" content="Claude X &amp; legacy-model · 10 messages · OpenCode v1\.18\.33">/,
    )
    assert.match(html, /<meta name="twitter:card" content="summary_large_image">/)
    assert.match(
      html,
      new RegExp(`<meta property="og:image" content="${srv.url}/share/${sink.id}/card\\.png\\?v=\\d+">`),
    )
    assert.match(
      html,
      new RegExp(`<link rel="alternate" type="application/json\\+oembed" href="${srv.url}/api/oembed\\?url=`),
    )
    assert.match(html, new RegExp(`<link rel="alternate" type="text/markdown" href="/share/${sink.id}.md">`))
    assert.match(html, new RegExp(`<link rel="alternate" type="application/json" href="/share/${sink.id}.json">`))
  })

  it("serves assets from our origin with long caching", async () => {
    const href = /href="(\/assets\/viewer\.[0-9a-f]{12}\.css)"/.exec(html)?.[1]
    assert.ok(href)
    const r = await fetch(`${srv.url}${href}`)
    assert.equal(r.status, 200)
    assert.match(r.headers.get("cache-control") ?? "", /max-age=31536000, immutable/)
    assert.match(r.headers.get("content-type") ?? "", /text\/css/)
    assert.equal((await fetch(`${srv.url}/assets/viewer.000000000000.css`)).status, 404)
  })
})
