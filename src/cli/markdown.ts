/** `export --format md`: the share page's own Markdown renderer (src/viewer), over the items the CLI read. */
import { keyItem, type SyncItem } from "../schema/index.ts"
import * as Model from "../viewer/model.ts"
import * as Transcript from "../viewer/transcript.ts"

/** The transcript `/share/:id.md` would print for these items; `url` is the share's link. */
export function render(items: SyncItem[], url: string): string {
  const root = items.find((i) => i.type === "session")
  const rootID =
    root &&
    typeof root.data === "object" &&
    root.data !== null &&
    typeof (root.data as { id?: unknown }).id === "string"
      ? (root.data as { id: string }).id
      : ""
  const rows: Model.Item[] = []
  for (const item of items) {
    const keyed = keyItem(item, rootID)
    if (keyed.ok)
      rows.push({
        key: keyed.item.key,
        type: keyed.item.type,
        sessionID: keyed.item.sessionID,
        seq: 0,
        data: keyed.item.data,
      })
  }
  return Transcript.markdown(Model.build(rows, rootID), url)
}
