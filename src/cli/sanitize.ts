/**
 * Text from a share, a session or a server, made safe to print: a terminal acts on escape
 * sequences and control characters wherever they come from, so a session title could write the
 * clipboard (OSC 52), retitle the window, clear the screen or overwrite the line before it. Every
 * line the CLI prints goes through here (ui.ts); the only controls it writes are its own (the
 * progress bar's carriage return, its OSC 52 copy), and those bypass it.
 */

/**
 * ECMA-48 sequences, whole, so their payload (a title, base64 for the clipboard) is not printed
 * either: control strings (OSC, DCS, SOS, PM, APC, in 7-bit and C1 form) up to BEL or ST; CSI
 * with its parameters; any other escape with its intermediates. A control string's body stops
 * at the next ESC or C1 character, so an unterminated one costs linear time, and its
 * introducer is removed below while its text stays.
 */
const SEQUENCE =
  /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x1b\x80-\x9f\x07]*(?:\x07|\x1b\\|\x9c)|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|\x1b[\x20-\x2f]*[\x30-\x7e]/g
/** C0 controls but tab and newline, DEL, C1 controls (a bare CR too: it rewrites the line). */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g

/** `text` without escape sequences or control characters; newlines and tabs stay. */
export function text(value: string): string {
  return value.replace(SEQUENCE, "").replace(CONTROL, "")
}

/** `text` on one line, for a table cell or a field inside a sentence: newlines and tabs become spaces. */
export function line(value: string): string {
  return text(value).replace(/[\t\n]/g, " ")
}

/** Characters JSON.stringify leaves as they are that a terminal may still act on. */
const UNESCAPED = /[\x7f-\x9f\u2028\u2029]/g

/** JSON.stringify, with DEL, the C1 controls and the line separators escaped too: the same value, nothing a terminal acts on. */
export function json(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    UNESCAPED,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  )
}
