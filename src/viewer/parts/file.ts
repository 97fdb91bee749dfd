/** File parts: user attachments. Raster images embedded as data: URIs are shown inline (CSP
 * allows data: images, which cannot run script); anything else is a chip. */
import { escape } from "../escape.ts"
import { get, str, type Rec } from "../read.ts"

const IMAGE = /^data:image\/(png|jpeg|gif|webp|avif);base64,[A-Za-z0-9+/=\s]+$/

export function file(part: Rec): string {
  const mime = str(part.mime)
  const url = str(part.url)
  const name = str(part.filename) || str(get(part, "source", "path")) || "attachment"
  const id = escape(str(part.id))
  if (mime.startsWith("image/") && url.length < 8_000_000 && IMAGE.test(url)) {
    return `<figure class="attachment" id="p-${id}" data-part><img src="${escape(url)}" alt="${escape(name)}" loading="lazy"><figcaption>${escape(name)}</figcaption></figure>`
  }
  return `<span class="chip" id="p-${id}" data-part><span class="muted">file</span> ${escape(name)}${mime ? ` <span class="muted">${escape(mime)}</span>` : ""}</span>`
}
