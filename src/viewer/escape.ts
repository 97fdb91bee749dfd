/** HTML escaping: every byte of a share is hostile input. */
const MAP: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }

export function escape(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (ch) => MAP[ch])
}
