/**
 * What the render thread (render-thread.ts) makes of a share's transcript for each route: the
 * page, the live fragment, the Markdown, the embed, the card's facts, the oEmbed title, and the
 * turn list live viewers are told about. Each takes only plain values (what the route read
 * from the request and the share record), so they cross to the thread as they are.
 */
import * as Card from "../../viewer/card.ts"
import * as Header from "../../viewer/header.ts"
import type { Transcript } from "../../viewer/model.ts"
import * as Page from "../../viewer/page.ts"
import * as Paths from "../../viewer/paths.ts"
import * as Markdown from "../../viewer/transcript.ts"

export type FragmentInput = {
  ids: string[]
  /** The `from` and `to` of the query, as sent. */
  from?: string
  to?: string
  redactions: number
  liveness: Header.Liveness
  base: string
}

/** Each op's input and output. */
export type Ops = {
  page: { input: Omit<Page.PageInput, "transcript">; output: string }
  fragment: { input: FragmentInput; output: string }
  markdown: { input: { url: string }; output: string }
  embed: { input: Omit<Page.EmbedInput, "transcript">; output: string }
  card: { input: null; output: Card.Facts }
  title: { input: null; output: string }
  turns: { input: null; output: null }
}
export type Op = keyof Ops

/** Markdown transcripts by version and link: agents polling a share re-read the same text. */
const markdowns = new WeakMap<Transcript, { url: string; md: string }>()

function fragment(t: Transcript, input: FragmentInput): string {
  const total = t.root.turns.length
  const from = Math.max(0, Math.min(Number(input.from) || 0, total))
  const to = Math.max(from, Math.min(Number(input.to) || total, total))
  return Page.fragment(t, input.ids, { from, to, latest: to >= total }, input.redactions, input.liveness, input.base)
}

function markdown(t: Transcript, url: string): string {
  let memo = markdowns.get(t)
  if (memo?.url !== url) markdowns.set(t, (memo = { url, md: Markdown.markdown(t, url) }))
  return memo.md
}

export function run<K extends Op>(t: Transcript, op: K, input: Ops[K]["input"]): Ops[K]["output"] {
  const ops: { [O in Op]: (input: Ops[O]["input"]) => Ops[O]["output"] } = {
    page: (i) => Page.share({ ...i, transcript: t }),
    fragment: (i) => fragment(t, i),
    markdown: (i) => markdown(t, i.url),
    embed: (i) => Page.embed({ ...i, transcript: t }),
    card: () => Card.facts(t),
    title: () => Card.clean(Paths.scrub(Header.title(t), Paths.of(t)), 200),
    turns: () => null,
  }
  return ops[op](input)
}
