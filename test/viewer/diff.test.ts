/** Diffs in both views: the unified lines and the side-by-side table, from both FileDiff
 * shapes (a `patch` string, or `before`/`after` contents compared here). */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as Diff from "../../src/viewer/diff.ts"
import { highlight, split as lines } from "../../src/viewer/diff-highlight.ts"
import { split } from "../../src/viewer/split.ts"

/** The split table's rows as [left number, left kind, left text, right number, right kind, right text]. */
function rows(html: string): string[][] {
  return [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) =>
    [...m[1].matchAll(/<td class="([a-z]+)">(.*?)<\/td>/g)].map((c) => (c[1] === "ln" ? c[2] : `${c[1]}:${c[2]}`)),
  )
}

describe("diffs", () => {
  it("renders a patch-shape FileDiff in both views, pairing removals with additions", () => {
    const d = Diff.normalize({
      file: "src/app.ts",
      patch:
        "Index: src/app.ts\n===\n--- src/app.ts\n+++ src/app.ts\n@@ -10,4 +10,3 @@ export\n const a = 1\n-const b = 2\n-const c = 3\n+const b = 20\n const d = 4\n",
    })
    const html = Diff.html(d.text)
    assert.match(html, /^<div class="diff-view has-split"><pre class="diff"><code class="lines">/)
    assert.match(html, /<span class="dd" data-g="11   ">-const b = 2<\/span>/)
    assert.match(html, /<span class="dc" data-g="13 12"> const d = 4<\/span>/)
    assert.match(html, /<tr class="dk"><td colspan="4">@@ -10,4 \+10,3 @@ export<\/td><\/tr>/)
    assert.deepEqual(rows(html), [
      ["10", "dc:const a = 1", "10", "dc:const a = 1"],
      ["11", "dd:const b = 2", "11", "da:const b = 20"],
      ["12", "dd:const c = 3", "", "de:"],
      ["13", "dc:const d = 4", "12", "dc:const d = 4"],
    ])
  })

  it("renders a before/after-shape FileDiff in both views, with line numbers from each side", () => {
    const d = Diff.normalize({
      file: "docs/a.md",
      before: "line one\nline two\nline three\n",
      after: "line one\nline 2\nline three\nline four\n",
    })
    assert.deepEqual([d.additions, d.deletions], [2, 1])
    const html = Diff.html(d.text)
    assert.match(
      html,
      /<span class="dd" data-g="2  ">-line two<\/span>\n<span class="da" data-g="  2">\+line 2<\/span>/,
    )
    assert.deepEqual(rows(html), [
      ["1", "dc:line one", "1", "dc:line one"],
      ["2", "dd:line two", "2", "da:line 2"],
      ["3", "dc:line three", "3", "dc:line three"],
      ["", "de:", "4", "da:line four"],
    ])
  })

  it("numbers a new file from 1 on the right and keeps the no-newline note", () => {
    const html = split("--- /dev/null\n+++ a.txt\n@@ -0,0 +1,2 @@\n+hello\n+world\n\\ No newline at end of file\n")
    assert.deepEqual(rows(html), [
      ["", "de:", "1", "da:hello"],
      ["", "de:", "2", "da:world"],
    ])
    assert.match(html, /<tr class="dh"><td colspan="4">\\ No newline at end of file<\/td><\/tr>/)
  })

  it("keeps hunks apart and ignores text between them", () => {
    const html = split("@@ -1,1 +1,1 @@\n-a\n+b\ntrailing junk\n@@ -20 +20 @@\n-y\n+z\n")
    assert.equal(html.match(/class="dk"/g)?.length, 2)
    assert.deepEqual(rows(html), [
      ["1", "dd:a", "1", "da:b"],
      ["20", "dd:y", "20", "da:z"],
    ])
  })

  it("offers no split view for text without hunks", () => {
    assert.equal(split("*** Begin Patch\n*** Update File: a\n-x\n+y\n*** End Patch"), "")
    assert.match(Diff.html("*** Begin Patch\n*** End Patch"), /^<div class="diff-view"><pre class="diff">/)
  })

  it("escapes every line in both views", () => {
    const html = Diff.html(
      Diff.normalize({ file: "x", before: "<script>alert(1)</script>\n", after: '"><img src=x onerror=alert(1)>\n' })
        .text,
    )
    assert.doesNotMatch(html, /<script|<img/)
    assert.match(html, /<td class="dd">&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/td>/)
    assert.match(html, /<td class="da">&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;<\/td>/)
  })

  it("highlights both views by the file's language, carrying state across lines", () => {
    const text =
      "--- a.ts\n+++ a.ts\n@@ -1,3 +1,3 @@\n /* a comment\n-   spanning */ let x = 1\n+   spanning */ let x = 2\n"
    const html = Diff.html(text, "src/a.ts")
    // The removed and added lines are still inside the comment that opened on the line above.
    assert.match(
      html,
      /<span class="dd"[^>]*>-<span class="hljs-comment">   spanning \*\/<\/span> <span class="hljs-keyword">let<\/span> x = <span class="hljs-number">1<\/span><\/span>/,
    )
    assert.match(
      html,
      /<td class="da"><span class="hljs-comment">   spanning \*\/<\/span> <span class="hljs-keyword">let<\/span> x = <span class="hljs-number">2<\/span><\/td>/,
    )
    // Hunk lines are never highlighted; file headers are left out (the file's row names it);
    // an unknown language leaves lines plain.
    assert.match(html, /<span class="dk">@@ -1,3 \+1,3 @@<\/span>/)
    assert.doesNotMatch(html, /--- a\.ts/)
    assert.deepEqual(highlight(text.split("\n"), "notes.unknownext"), [])
  })

  it("cuts highlighted HTML into lines with balanced spans", () => {
    assert.deepEqual(lines('<span class="c">a\nb</span> c\n<span class="k">d</span>'), [
      '<span class="c">a</span>',
      '<span class="c">b</span> c',
      '<span class="k">d</span>',
    ])
    for (const line of lines(highlight(["@@ -1,2 +1,2 @@", ' `a ${"<b>"}', "-x`", "+y`"], "t.js").join("\n"))) {
      assert.equal(line.match(/<span/g)?.length ?? 0, line.match(/<\/span>/g)?.length ?? 0)
    }
    assert.doesNotMatch(
      Diff.html("@@ -1 +1 @@\n-\"<img src=x onerror=alert(1)>\"\n+'<script>'\n", "x.js"),
      /<img|<script/,
    )
  })
})
