#!/usr/bin/env node
// Runs the TypeScript CLI under Node >= 24 (native type stripping). When started by an older
// system Node, re-executes itself with the Node 24 the package pins (npm package `node`).
import { spawnSync } from "node:child_process"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

const main = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url))
if (Number(process.versions.node.split(".")[0]) >= 24) {
  await import(main)
} else {
  let node
  try {
    node = createRequire(import.meta.url).resolve("node/bin/node")
  } catch {
    console.error(
      `agentshare needs Node 24 or newer (this is ${process.version}); run 'npm install' in the agentshare folder first`,
    )
    process.exit(1)
  }
  const r = spawnSync(node, [main, ...process.argv.slice(2)], { stdio: "inherit" })
  process.exit(r.status ?? 1)
}
