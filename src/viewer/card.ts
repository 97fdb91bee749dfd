/**
 * The link-preview card of a share (og:image, 1200×630 PNG): title, agent, models, turns and
 * files changed, drawn with satori (layout to SVG) and resvg (SVG to PNG) from a font that
 * ships with the package (Inter, SIL Open Font License), so nothing is fetched at run time.
 * A share is hostile input: the title is cut and clamped to three lines, every other field to
 * a short line, so a card costs the same whatever the share holds.
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { Resvg } from "@resvg/resvg-js"
import satori from "satori"
import * as Changes from "./changes.ts"
import * as Header from "./header.ts"
import type { Transcript } from "./model.ts"
import * as Paths from "./paths.ts"

export const WIDTH = 1200
export const HEIGHT = 630

type Font = { name: string; data: Buffer; weight: 400 | 700; style: "normal" }

let fonts: Font[] | undefined

/** Latin, Latin Extended, Greek and Cyrillic in two weights; read once, on the first card. */
function load(): Font[] {
  if (fonts) return fonts
  const dir = join(dirname(createRequire(import.meta.url).resolve("@fontsource/inter/package.json")), "files")
  fonts = []
  for (const subset of ["latin", "latin-ext", "greek", "cyrillic"])
    for (const weight of [400, 700] as const) {
      fonts.push({
        name: "Inter",
        data: readFileSync(join(dir, `inter-${subset}-${weight}-normal.woff`)),
        weight,
        style: "normal",
      })
    }
  return fonts
}

/** Printable text of at most `max` characters, on one line. */
export function clean(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = s
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
  const chars = [...flat]
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : flat
}

export type Facts = { title: string; agent: string; models: string; turns: number; files: number; project: string }

export function facts(t: Transcript): Facts {
  const paths = Paths.of(t)
  return {
    title: clean(Paths.scrub(Header.title(t), paths), 140),
    agent: clean(Header.agent(t), 40),
    models: clean(
      Header.models(t)
        .map((m) => m.name)
        .slice(0, 3)
        .join(", "),
      70,
    ),
    turns: t.root.turns.length,
    files: Changes.count(t),
    project: clean(Header.project(t), 40),
  }
}

type Node = { type: string; props: { style?: Record<string, unknown>; children?: (Node | string)[] | Node | string } }
const el = (type: string, style: Record<string, unknown>, children: (Node | string)[] | string): Node => ({
  type,
  props: { style, children },
})

export async function png(f: Facts): Promise<Buffer> {
  const stat = (value: string, label: string) =>
    el("div", { display: "flex", flexDirection: "column", marginRight: 56 }, [
      el("div", { fontSize: 40, fontWeight: 700, color: "#e6edf3" }, value),
      el("div", { fontSize: 24, color: "#9aa4af" }, label),
    ])
  const line = [f.agent, f.models].filter(Boolean).join("  ·  ")
  // Sizes are explicit: satori lays text out in the box it is given, and wraps only inside one.
  const inner = { width: WIDTH - 128, height: HEIGHT - 112 }
  const tree = el(
    "div",
    {
      width: WIDTH,
      height: HEIGHT,
      display: "flex",
      background: "linear-gradient(135deg, #0d1117 0%, #10253f 100%)",
      color: "#e6edf3",
      fontFamily: "Inter",
    },
    [
      el(
        "div",
        {
          ...inner,
          marginLeft: 64,
          marginTop: 56,
          display: "flex",
          flexDirection: "column",
          justifyContent: "space-between",
        },
        [
          el("div", { display: "flex", alignItems: "center", fontSize: 28, fontWeight: 700, color: "#9aa4af" }, [
            el(
              "div",
              { width: 36, height: 36, borderRadius: 9, background: "#0b5cd5", marginRight: 14, display: "flex" },
              [],
            ),
            "agentshare",
            ...(f.project ? [el("div", { marginLeft: 18, fontWeight: 400 }, `/ ${f.project}`)] : []),
          ]),
          el("div", { display: "flex", flexDirection: "column", width: inner.width }, [
            el(
              "div",
              {
                display: "block",
                width: inner.width,
                fontSize: 60,
                fontWeight: 700,
                lineHeight: 1.15,
                lineClamp: 3,
                wordBreak: "break-word",
                overflow: "hidden",
                maxHeight: 210,
              },
              f.title || "Shared session",
            ),
            ...(line
              ? [
                  el(
                    "div",
                    {
                      display: "block",
                      width: inner.width,
                      marginTop: 20,
                      fontSize: 30,
                      color: "#9aa4af",
                      lineClamp: 1,
                      overflow: "hidden",
                    },
                    line,
                  ),
                ]
              : []),
          ]),
          el("div", { display: "flex", alignItems: "flex-end" }, [
            stat(String(f.turns), f.turns === 1 ? "turn" : "turns"),
            stat(String(f.files), f.files === 1 ? "file changed" : "files changed"),
            el("div", { display: "flex", marginLeft: "auto", fontSize: 22, color: "#9aa4af" }, "shared session"),
          ]),
        ],
      ),
    ],
  )
  const svg = await satori(tree as never, { width: WIDTH, height: HEIGHT, fonts: load() })
  return new Resvg(svg, { fitTo: { mode: "width", value: WIDTH } }).render().asPng()
}

/** The favicon as a PNG (for /favicon.ico: clients that never read the <link>). */
export function icon(svg: string, size = 32): Buffer {
  return new Resvg(svg, { fitTo: { mode: "width", value: size } }).render().asPng()
}
