/** Any other tool (MCP, plugins, skill, invalid): its name, every argument and the output. */
import { str } from "../read.ts"
import { args, frame, output, type Tool } from "./frame.ts"

export function generic(t: Tool): string {
  const first = ["description", "query", "url", "path", "filePath", "pattern", "name"]
    .map((k) => str(t.input[k]))
    .find(Boolean)
  const body = args(t.input) + output(t.output)
  return frame(t, { label: t.name, subtitle: t.title || first || "", body, cls: "generic" })
}
