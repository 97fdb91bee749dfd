/** The main thread's side of the SQLite writer thread (writer.ts): each write is a message, answered once it is committed. */
import { Worker } from "node:worker_threads"
import { QuotaExceeded, ShareNotFound, ShareTooLarge } from "../shares.ts"
import type { SqliteOptions } from "./database.ts"
import type { Failure, Reply } from "./writer.ts"

export type Remote = {
  call<T>(part: string, verb: string, args: unknown[]): Promise<T>
  close(): Promise<void>
}

/** What the writer threw, as the store's own errors where it was one of them. */
function rebuild(f: Failure): Error {
  if (f.name === "ShareTooLarge") return new ShareTooLarge(f.limit ?? 0)
  if (f.name === "QuotaExceeded") return new QuotaExceeded(f.scope === "owner" ? "owner" : "address", f.limit ?? 0)
  if (f.name === "ShareNotFound") return Object.assign(new ShareNotFound(""), { message: f.message })
  return Object.assign(new Error(f.message), { name: f.name, code: f.code })
}

/** Starts the writer and waits until its migrations ran. */
export async function start(path: string, options: SqliteOptions): Promise<Remote> {
  const worker = new Worker(new URL("./writer.ts", import.meta.url), { workerData: { path, options } })
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let ids = 0
  let dead: Error | undefined
  await new Promise<void>((resolve, reject) => {
    const first = (m: { ready?: boolean; message?: string }) => {
      worker.off("error", fail)
      if (m.ready) resolve()
      else reject(new Error("SQLite migration failed", { cause: new Error(m.message) }))
    }
    const fail = (e: Error) => reject(e)
    worker.once("message", first)
    worker.once("error", fail)
  })
  worker.on("message", (m: Reply | "closed") => {
    if (m === "closed") return
    const p = pending.get(m.id)
    if (!p) return
    pending.delete(m.id)
    if (m.ok) p.resolve(m.value)
    else p.reject(rebuild(m.error))
  })
  const fail = (e: Error) => {
    dead = e
    for (const p of pending.values()) p.reject(e)
    pending.clear()
  }
  worker.on("error", fail)
  worker.on("exit", () => fail(dead ?? new Error("the SQLite writer stopped")))
  return {
    call<T>(part: string, verb: string, args: unknown[]): Promise<T> {
      if (dead) return Promise.reject(dead)
      const id = ++ids
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
        worker.postMessage({ id, part, verb, args })
      })
    },
    async close() {
      if (dead) return
      const closed = new Promise<void>((resolve) => worker.once("message", (m) => m === "closed" && resolve()))
      worker.postMessage("close")
      await Promise.race([closed, new Promise((r) => setTimeout(r, 5000))])
      await worker.terminate()
    },
  }
}
