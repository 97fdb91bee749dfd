#!/usr/bin/env node
// runner.mjs SPEC.json — runs one real agent against one scripted fake model, both on this
// machine's loopback: starts the fake server (port 0), writes the spec's files with {{PORT}}
// filled in, runs the agent with exactly the spec's environment, stops the server, and exits
// with the agent's status. agents.ts runs it inside a network namespace when it can, so that
// nothing can leave the machine; the spec's settings alone also keep every agent offline.
// Dependency-free on purpose: it is harness code, like the fake servers.
import { spawn } from "node:child_process"
import fs from "node:fs"

const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8"))
const fill = (s) => (typeof s === "string" ? s.replaceAll("{{PORT}}", String(port)) : s)
let port = 0

const server = spawn(
  process.execPath,
  [
    spec.server,
    "--port-file",
    spec.portFile,
    "--log",
    spec.serverLog,
    "--max-seconds",
    String(Math.ceil(spec.timeoutMs / 1000) + 30),
    "--step-delay-ms",
    String(spec.stepDelayMs ?? 0),
  ],
  {
    stdio: ["ignore", "ignore", fs.openSync(`${spec.serverLog}.stderr`, "a")],
    env: { PATH: process.env.PATH ?? "", ...(spec.serverEnv ?? {}) },
  },
)
const stopServer = () => {
  try {
    server.kill("SIGKILL")
  } catch {}
}
process.on("exit", stopServer)

const deadline = Date.now() + 10_000
while (!port) {
  try {
    port = Number(fs.readFileSync(spec.portFile, "utf8"))
  } catch {}
  if (port) break
  if (Date.now() > deadline || server.exitCode !== null) {
    console.error("runner: the fake server did not start")
    process.exit(90)
  }
  await new Promise((r) => setTimeout(r, 25))
}

// A bridge to the agentshare server outside (bridge.mjs), for the agent's hooks: started
// detached so it outlives this run, which the hooks' follower does.
let bridgePort = 0
if (spec.bridge) {
  const b = spec.bridge
  spawn(
    process.execPath,
    [
      b.script,
      "--socket",
      b.socket,
      "--port-file",
      b.portFile,
      "--pid-file",
      b.pidFile,
      "--max-seconds",
      String(b.maxSeconds),
    ],
    { stdio: "ignore", detached: true, env: { PATH: process.env.PATH ?? "" } },
  ).unref()
  const until = Date.now() + 10_000
  while (!bridgePort) {
    try {
      bridgePort = Number(fs.readFileSync(b.portFile, "utf8"))
    } catch {}
    if (bridgePort) break
    if (Date.now() > until) {
      console.error("runner: the bridge did not start")
      process.exit(91)
    }
    await new Promise((r) => setTimeout(r, 25))
  }
}
const fillAll = (s) => (typeof s === "string" ? fill(s).replaceAll("{{BRIDGE_PORT}}", String(bridgePort)) : s)

for (const f of spec.files ?? []) fs.writeFileSync(f.path, fillAll(f.content))
const env = Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, fillAll(v)]))
const out = fs.openSync(spec.stdout, "w")
const err = fs.openSync(spec.stderr, "w")
// spec.tty: the agent's interactive UI on this terminal (the runner runs in a tmux pane), in this
// process group so that it keeps the terminal as its controlling one.
const agent = spawn(spec.command, spec.args.map(fillAll), {
  cwd: spec.cwd,
  env,
  stdio: spec.tty ? "inherit" : ["ignore", out, err],
  detached: !spec.tty,
})
let timedOut = false
const timer = setTimeout(() => {
  timedOut = true
  try {
    process.kill(-agent.pid, "SIGKILL")
  } catch {}
}, spec.timeoutMs)
const [code, signal] = await new Promise((resolve) => {
  agent.once("error", (e) => {
    fs.writeSync(err, `runner: ${e.message}\n`)
    resolve([127, null])
  })
  agent.once("exit", (c, s) => resolve([c, s]))
})
clearTimeout(timer)
// Whatever the agent left running in its group goes too.
try {
  process.kill(-agent.pid, "SIGKILL")
} catch {}
stopServer()
const status = timedOut ? 124 : (code ?? (signal ? 128 : 1))
if (spec.exitFile) fs.writeFileSync(spec.exitFile, String(status))
if (timedOut) {
  console.error(`runner: the agent did not finish in ${spec.timeoutMs} ms`)
  process.exit(124)
}
process.exit(status)
