/**
 * A throwaway PostgreSQL for tests: TEST_POSTGRES_URL when given, else a cluster made with
 * `initdb` in a temp dir, run as user `postgres` when we are root (PostgreSQL refuses root),
 * on a free port on 127.0.0.1. scripts/test.sh starts one for the whole run; a test file run
 * on its own starts its own and stops it at exit.
 *
 *   node test/support/postgres.ts start DIR   prints the admin URL (cluster keeps running)
 *   node test/support/postgres.ts stop DIR
 */
import { execFileSync, spawnSync } from "node:child_process"
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import pg from "pg"
import { freePort } from "./net.ts"

/** Debian keeps each PostgreSQL major in /usr/lib/postgresql/<major>/bin: the newest first. */
const versioned = (() => {
  try {
    return readdirSync("/usr/lib/postgresql")
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => `/usr/lib/postgresql/${v}/bin`)
  } catch {
    return []
  }
})()
const BIN_DIRS = [...versioned, "/usr/local/bin", "/usr/bin"]

function bin(name: string): string {
  for (const dir of BIN_DIRS) if (existsSync(join(dir, name))) return join(dir, name)
  throw new Error(
    `PostgreSQL's ${name} was not found (looked in ${BIN_DIRS.join(", ")}); install postgresql or set TEST_POSTGRES_URL`,
  )
}

const isRoot = () => process.getuid?.() === 0

function asPostgres(cmd: string, args: string[]) {
  const [file, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args]
  const r = spawnSync(file, argv, { encoding: "utf8", timeout: 60_000 })
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`)
  return r.stdout
}

export async function startCluster(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true })
  if (isRoot()) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim())
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim())
    chownSync(dir, uid, gid)
  }
  const data = join(dir, "data")
  asPostgres(bin("initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
    "--no-sync",
  ])
  const port = await freePort()
  // Sockets in the cluster dir; TCP only on loopback; fsync kept on (crash tests rely on it).
  const opts = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c max_connections=200`
  asPostgres(bin("pg_ctl"), ["-D", data, "-l", join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"])
  return `postgres://postgres@127.0.0.1:${port}/postgres`
}

export function stopCluster(dir: string) {
  try {
    asPostgres(bin("pg_ctl"), ["-D", join(dir, "data"), "-m", "immediate", "-w", "stop"])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

let shared: Promise<string> | undefined

/** The admin URL of a PostgreSQL for this test process. */
export function adminUrl(): Promise<string> {
  if (process.env.TEST_POSTGRES_URL) return Promise.resolve(process.env.TEST_POSTGRES_URL)
  shared ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "agentshare-pg-"))
    const url = await startCluster(dir)
    process.once("exit", () => stopCluster(dir))
    return url
  })()
  return shared
}

/** A fresh, empty database on that server, and a function that drops it. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = await adminUrl()
  const name = `agentshare_t${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const client = new pg.Client(admin)
  await client.connect()
  await client.query(`create database ${name}`)
  await client.end()
  const url = new URL(admin)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client(admin)
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}

/** Whether PostgreSQL can be used here; under CI=true it must be. */
export function available(): { ok: true } | { ok: false; reason: string } {
  if (process.env.TEST_POSTGRES_URL) return { ok: true }
  try {
    bin("initdb")
    bin("pg_ctl")
    return { ok: true }
  } catch (error) {
    return { ok: false, reason: (error as Error).message }
  }
}

if (import.meta.main) {
  const [verb, dir] = process.argv.slice(2)
  if (verb === "start" && dir) console.log(await startCluster(dir))
  else if (verb === "stop" && dir) stopCluster(dir)
  else {
    console.error("usage: node test/support/postgres.ts start|stop DIR")
    process.exitCode = 2
  }
}
