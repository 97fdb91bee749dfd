/** A minimal Server-Sent Events reader over fetch, for tests and the bench. */
export type Event = { event: string; data: string; id?: string; comment?: boolean }

export class Stream {
  private buffer = ""
  private queue: Event[] = []
  private waiters: (() => void)[] = []
  private done = false
  readonly controller = new AbortController()
  response!: Response

  static async open(url: string, headers: Record<string, string> = {}): Promise<Stream> {
    const s = new Stream()
    s.response = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: s.controller.signal })
    if (s.response.ok && s.response.body) void s.pump(s.response.body)
    return s
  }

  private async pump(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder()
    try {
      for await (const chunk of body) {
        this.buffer += decoder.decode(chunk, { stream: true })
        let i: number
        while ((i = this.buffer.indexOf("\n\n")) >= 0) {
          const block = this.buffer.slice(0, i)
          this.buffer = this.buffer.slice(i + 2)
          this.queue.push(parse(block))
        }
        this.wake()
      }
    } catch {
      // aborted by close()
    }
    this.done = true
    this.wake()
  }

  private wake() {
    for (const w of this.waiters.splice(0)) w()
  }

  /** The next event of `type` (skipping others), or undefined once the stream ends. */
  async next(type: string): Promise<Event | undefined> {
    for (;;) {
      const i = this.queue.findIndex((e) => e.event === type)
      if (i >= 0) return this.queue.splice(0, i + 1)[i]
      if (this.done) return undefined
      await new Promise<void>((resolve) => this.waiters.push(resolve))
    }
  }

  /** Whether the server ended the stream. */
  async ended(): Promise<boolean> {
    while (!this.done) await new Promise<void>((resolve) => this.waiters.push(resolve))
    return true
  }

  close() {
    this.controller.abort()
  }
}

function parse(block: string): Event {
  const e: Event = { event: "message", data: "" }
  const data: string[] = []
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) {
      e.event = "comment"
      e.comment = true
      continue
    }
    const [k, ...rest] = line.split(":")
    const v = rest.join(":").replace(/^ /, "")
    if (k === "event") e.event = v
    else if (k === "data") data.push(v)
    else if (k === "id") e.id = v
  }
  e.data = data.join("\n")
  return e
}
