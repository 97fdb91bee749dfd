/** The view counter's state, made once per server in `start()`: today's salt and the views counted since the last flush. */

export type Pending = { shareID: string; day: string; views: number; visitors: Set<string>; ip: string | undefined }

export type Counter = {
  salt: { day: string; salt: string } | undefined
  entries: Map<string, Pending>
  timer?: NodeJS.Timeout
  flushing?: Promise<void>
}

export const create = (): Counter => ({ salt: undefined, entries: new Map() })
