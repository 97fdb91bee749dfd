/** JSON with comments and trailing commas, as OpenCode reads `opencode.json{,c}`: jsonc-parser, the parser VS Code (and OpenCode) use. */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser"

/** The value of a JSONC text; throws with the first problem's kind and line:column. */
export function parse(text: string): unknown {
  const errors: ParseError[] = []
  const value: unknown = parseJsonc(text.replace(/^\uFEFF/, ""), errors, {
    allowTrailingComma: true,
    disallowComments: false,
    allowEmptyContent: false,
  })
  const first = errors[0]
  if (first) {
    const before = text.slice(0, first.offset)
    const line = before.split("\n").length
    const column = first.offset - before.lastIndexOf("\n")
    throw new SyntaxError(`${printParseErrorCode(first.error)} at line ${line}, column ${column}`)
  }
  return value
}
