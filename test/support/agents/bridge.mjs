#!/usr/bin/env node
// bridge.mjs --socket PATH --port-file F --pid-file P --max-seconds N — inside the agents'
// network namespace, where only loopback exists: listens on 127.0.0.1:0 and carries each
// connection to a Unix socket on the shared filesystem, which the test (outside) carries on to
// the real agentshare server. So an agent's hooks and their detached follower reach the server
// while nothing else can leave. It outlives the agent's run (the follower flushes after it) and
// exits when the test kills it or after --max-seconds. Dependency-free, like the fake servers.
import fs from "node:fs"
import net from "node:net"

const args = process.argv.slice(2)
const opt = (name) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const socket = opt("socket")
const maxSeconds = Number(opt("max-seconds") ?? "600")
const server = net.createServer((conn) => {
  const up = net.connect(socket)
  conn.pipe(up).pipe(conn)
  const close = () => {
    conn.destroy()
    up.destroy()
  }
  conn.on("error", close)
  up.on("error", close)
})
server.listen(0, "127.0.0.1", () => {
  fs.writeFileSync(opt("pid-file"), String(process.pid))
  fs.writeFileSync(opt("port-file"), String(server.address().port))
})
setTimeout(() => process.exit(0), maxSeconds * 1000).unref()
