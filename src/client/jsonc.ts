/** JSON with comments and trailing commas, as OpenCode reads `opencode.json{,c}`. */

/** Removes `//` and `/* *\/` comments and trailing commas outside strings, then parses. */
export function parse(text: string): unknown {
  let out = ""
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text[i]
    if (c === '"') {
      const start = i
      i += 1
      while (i < n && text[i] !== '"') i += text[i] === "\\" ? 2 : 1
      out += text.slice(start, i + 1)
      i += 1
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < n && text[i] !== "\n") i += 1
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2)
      i = end < 0 ? n : end + 2
    } else if (c === ",") {
      let j = i + 1
      // Look past whitespace and comments for a closing bracket: then this comma is trailing.
      for (;;) {
        while (j < n && /\s/.test(text[j])) j += 1
        if (text[j] === "/" && text[j + 1] === "/") while (j < n && text[j] !== "\n") j += 1
        else if (text[j] === "/" && text[j + 1] === "*") j = text.indexOf("*/", j + 2) < 0 ? n : text.indexOf("*/", j + 2) + 2
        else break
      }
      if (text[j] !== "}" && text[j] !== "]") out += c
      i += 1
    } else {
      out += c
      i += 1
    }
  }
  return JSON.parse(out.replace(/^\uFEFF/, ""))
}
