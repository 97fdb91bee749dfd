/** Exit codes every command uses, and the error that carries one to the CLI entry. */

export const Exit = {
  ok: 0,
  /** The server refused, the network failed, or a file could not be read. */
  failure: 1,
  /** Bad arguments. */
  usage: 2,
  /** Sharing is disabled by configuration or environment. */
  disabled: 3,
  /** No such session or share. */
  notFound: 4,
  /** The user declined the confirmation (or none could be asked). */
  cancelled: 5,
  /** The share exists but some items could not be uploaded. */
  partial: 6,
  /** Secrets were found in what was about to be uploaded, and nothing (more) of it was. */
  secrets: 7,
} as const

export class CliError extends Error {
  readonly code: number
  constructor(code: number, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = "CliError"
    this.code = code
  }
}

export const usage = (message: string) => new CliError(Exit.usage, message)
export const notFound = (message: string) => new CliError(Exit.notFound, message)
