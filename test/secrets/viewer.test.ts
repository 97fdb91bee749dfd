/**
 * How the share page shows redactions: every `[redacted:<rule>]` marker in text, markdown,
 * tool output, tool input and diffs is a distinct, escaped badge, and the page says how many
 * secrets were redacted on upload (in aggregate only), also in the live fragment's header.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import * as Redacted from "../../src/viewer/redacted.ts"
import * as S from "../viewer/support.ts"

// Fake keys in real formats; split so no scanner flags this file.
const AWS = "AKIA" + "Q3EGRHJ5KVMXTN4W"
const OPENAI = "sk-proj-" + "Zt8kQ2mV9xLp4RwN7bYc3HdF6jGs1TqU5eAo0iKl" + "T3BlbkFJ" + "Xw2Ry7Pn4Mk9Lb6Vc3Zq8Hs5Jd1Ft0Gu"
const BADGE = (rule: string) =>
  `<span class="redacted" title="A secret (${rule}) was redacted here">[redacted:${rule}]</span>`

const real = S.realItems()
const root = (real.find((i) => i.type === "session")!.data as { id: string }).id
const message = (
  real.find((i) => i.type === "message" && (i.data as { role: string }).role === "assistant")!.data as { id: string }
).id
const part = (id: string, data: Record<string, unknown>): S.Item => ({
  type: "part",
  data: { id, sessionID: root, messageID: message, ...data },
})
const tool = (id: string, name: string, state: Record<string, unknown>) =>
  part(id, {
    type: "tool",
    tool: name,
    callID: `call_${id}`,
    state: { status: "completed", title: name, time: { start: 1, end: 2 }, ...state },
  })

const PARTS: S.Item[] = [
  part("prt_zzz01text", {
    type: "text",
    text: `Set it like this:\n\n\`\`\`bash\nexport OPENAI_API_KEY=${OPENAI}\n\`\`\`\n\nand **keep** \`${AWS}\` private.`,
    time: { start: 1, end: 2 },
  }),
  part("prt_zzz02reason", { type: "reasoning", text: `The key ${OPENAI} is in .env.`, time: { start: 1, end: 2 } }),
  tool("prt_zzz03bash", "bash", {
    input: { command: "cat .env", description: "Show env" },
    output: `AWS_ACCESS_KEY_ID=${AWS}\n`,
    metadata: { output: `AWS_ACCESS_KEY_ID=${AWS}\n`, exit: 0 },
  }),
  tool("prt_zzz04edit", "edit", {
    input: { filePath: "/p/.env", oldString: "A=1", newString: `OPENAI_API_KEY=${OPENAI}` },
    output: "",
    metadata: { diff: `--- .env\n+++ .env\n@@ -1 +1 @@\n-A=1\n+OPENAI_API_KEY=${OPENAI}\n` },
  }),
  tool("prt_zzz05mcp", "mcp_fetch", {
    input: { url: "https://api.example.com", key: AWS },
    output: "ok",
    metadata: {},
  }),
]

describe("redactions on the share page", () => {
  let srv: Awaited<ReturnType<typeof S.server>>
  let share: S.Share
  let clean: S.Share
  let html = ""
  let count = 0

  before(async () => {
    srv = await S.server()
    share = await S.publish(srv.url, [...real, ...PARTS])
    clean = await S.publish(srv.url, real)
    html = await (await fetch(`${srv.url}/share/${share.id}`)).text()
    count = ((await (await fetch(`${srv.url}/api/share/${share.id}`)).json()) as { redactions: number }).redactions
  })
  after(() => srv.close())

  const section = (id: string) => {
    const start = html.indexOf(`id="p-${id}"`)
    assert.ok(start >= 0, `${id} is on the page`)
    return html.slice(start, html.indexOf(`id="p-`, start + 10))
  }

  it("never shows the secrets themselves", () => {
    assert.ok(!html.includes(AWS) && !html.includes(OPENAI))
    assert.ok(!html.includes(AWS.slice(4, 16)) && !html.includes(OPENAI.slice(8, 30)))
  })

  it("draws each marker as a badge in markdown text, code blocks and inline code", () => {
    const s = section("prt_zzz01text")
    assert.ok(s.includes(`<code>${BADGE("aws-access-key")}</code>`), s)
    assert.ok(s.includes(BADGE("openai")), s)
    assert.ok(section("prt_zzz02reason").includes(`The key ${BADGE("openai")} is in .env.`))
  })

  it("draws markers in tool output, tool input and diffs", () => {
    assert.ok(section("prt_zzz03bash").includes(`AWS_ACCESS_KEY_ID=${BADGE("aws-access-key")}`))
    const diff = section("prt_zzz04edit")
    assert.match(
      diff,
      new RegExp(`<span class="da"[^>]*>\\+OPENAI_API_KEY=${BADGE("openai").replace(/[[\]().]/g, "\\$&")}</span>`),
    )
    assert.ok(section("prt_zzz05mcp").includes(BADGE("aws-access-key")))
  })

  it("says how many secrets were redacted on upload, and nothing about which or where", () => {
    // Distinct secrets per item: text 2, reasoning 1, bash 1 (its output and metadata.output hold
    // the same key), edit 1 (the new string and the diff), mcp 1.
    assert.equal(count, 6, `the server counted ${count}`)
    const notice = /<p class="redactions" role="note">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? ""
    assert.equal(notice, `<span class="redacted">[redacted]</span> ${count} secrets were redacted on upload.`)
  })

  it("puts the notice in the live fragment's header too", async () => {
    const fragment = await (
      await fetch(`${srv.url}/share/${share.id}/fragment?turn=${encodeURIComponent(message)}`)
    ).text()
    assert.match(
      fragment,
      new RegExp(`<template data-kind="header"[^>]*>[\\s\\S]*${count} secrets were redacted on upload`),
    )
  })

  it("shows no notice and no badge on a share without redactions", async () => {
    const page = await (await fetch(`${srv.url}/share/${clean.id}`)).text()
    assert.ok(!page.includes('class="redactions"'))
    assert.ok(!page.includes('class="redacted"'))
  })

  it("leaves markers in attributes and hostile look-alikes alone", () => {
    const input = `<a href="/x?q=[redacted:openai]" title="[redacted:openai]">[redacted:openai]</a> [redacted:&lt;img src=x&gt;] [redacted:a&quot; onclick=&quot;x]`
    assert.equal(
      Redacted.mark(input),
      `<a href="/x?q=[redacted:openai]" title="[redacted:openai]">${BADGE("openai")}</a> [redacted:&lt;img src=x&gt;] [redacted:a&quot; onclick=&quot;x]`,
    )
    assert.equal(Redacted.notice(0), "")
    assert.equal(Redacted.notice(Number.NaN), "")
    assert.match(Redacted.notice(1), /1 secret was redacted on upload\./)
  })

  it("renders a hostile rule id in a share escaped, never as markup", async () => {
    const hostile = await S.publish(srv.url, [
      ...real,
      part("prt_zzz06hostile", {
        type: "text",
        text: `[redacted:x"><img src=x onerror=alert(1)>] and [redacted:ok-rule]`,
        time: { start: 1, end: 2 },
      }),
    ])
    const page = await (await fetch(`${srv.url}/share/${hostile.id}`)).text()
    assert.ok(!page.includes("<img src=x"))
    assert.ok(page.includes(BADGE("ok-rule")))
  })
})
