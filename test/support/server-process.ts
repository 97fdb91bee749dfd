/** `agentshare serve` as a child process on 127.0.0.1, for tests that kill and restart it. */
import { spawn, type ChildProcess } from "node:child_process"
import { fileURLToPath } from "node:url"
import { freePort } from "./net.ts"

export { freePort }

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url))

export type ServerProcess = {
  url: string
  port: number
  proc: ChildProcess
  /** SIGKILL: no shutdown code runs. */
  kill(): Promise<void>
  stop(): Promise<void>
}

export async function startServerProcess(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  const p = port ?? (await freePort())
  const proc = spawn(process.execPath, [MAIN, "serve"], {
    // Tests that drive many clients from one address turn the per-IP rate limits off unless they test them.
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(p),
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
      RATE_LIMIT_CREATE: "off",
      RATE_LIMIT_SYNC: "off",
      MAX_STREAMS_PER_ADDRESS: "100000",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  })
  let stderr = ""
  proc.stderr?.on("data", (d) => (stderr = (stderr + d.toString()).slice(-4000)))
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()))
  const url = `http://127.0.0.1:${p}`
  const deadline = Date.now() + 20_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}: ${stderr}`)
    try {
      if ((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) })).ok) break
    } catch {}
    if (Date.now() > deadline) {
      proc.kill("SIGKILL")
      throw new Error(`server did not become ready: ${stderr}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    url,
    port: p,
    proc,
    async kill() {
      proc.kill("SIGKILL")
      await exited
    },
    async stop() {
      if (proc.exitCode === null) proc.kill("SIGTERM")
      const t = setTimeout(() => proc.kill("SIGKILL"), 10_000)
      await exited
      clearTimeout(t)
    },
  }
}
