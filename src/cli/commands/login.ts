/**
 * `agentshare login`: links this machine's owner token to your SSO account, through a loopback
 * redirect (RFC 8252): the CLI listens on 127.0.0.1 and starts the run at the server (POST
 * /auth/cli, which answers the link and a secret of this run); the browser logs in at the
 * server's identity provider, the user confirms on a page that names this CLI's port and check
 * phrase, and the browser comes back to the CLI with a one-time code, which the CLI redeems
 * (with its PKCE verifier and the run's secret) for a token of your account.
 */
import { spawn } from "node:child_process"
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { HttpError, request } from "../../client/http.ts"
import { CliLoginResponse, LoginResponse } from "../../schema/index.ts"
import * as Args from "../args.ts"
import type { Env } from "../env.ts"
import { CliError, Exit, usage } from "../exit.ts"
import * as Setup from "../setup.ts"
import * as Ui from "../ui.ts"

export const HELP = `usage: agentshare login [options]

Logs in to the share server's SSO (OpenID Connect) and links this machine's owner token to
your account: after 'agentshare login' on each of your machines, 'agentshare shares' lists the
shares made on all of them, and 'unshare' removes any of them. Shares this machine made under
its earlier token move to your account.

The CLI listens on 127.0.0.1 for the browser to come back, and opens the login page (or prints
it: open it in a browser on this machine). It prints the port it listens on and a check phrase;
after you log in, the page names a port and a phrase: continue only if they are the ones this
command printed.

options:
  --server URL       share server (default: enterprise.url in opencode.json, or AGENTSHARE_URL)
  --no-browser       only print the login URL
  --timeout SECONDS  how long to wait for the login (default 300)
  --json             print the result as JSON
  -h, --help         show this help`

const SPEC = {
  server: { type: "string" },
  browser: { type: "boolean" },
  timeout: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const

const DONE = `<!doctype html><meta charset="utf-8"><title>agentshare login</title><p>Logged in. You can close this tab and return to the terminal.</p>`
const FAILED = `<!doctype html><meta charset="utf-8"><title>agentshare login</title><p>The login did not complete. Return to the terminal.</p>`

type Arrival = { code: string } | { error: string }

/** Waits on 127.0.0.1 for the browser to bring the code back; only a matching state counts. */
function listen(state: string): Promise<{ server: Server; redirect: string; arrived: Promise<Arrival> }> {
  return new Promise((resolve, reject) => {
    let settle: (a: Arrival) => void = () => {}
    const arrived = new Promise<Arrival>((r) => (settle = r))
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1")
      if (url.pathname !== "/callback") return void res.writeHead(404).end()
      const got = Buffer.from(url.searchParams.get("state") ?? "")
      const want = Buffer.from(state)
      const code = url.searchParams.get("code")
      // A request without our state is not the browser we sent: answer it and keep waiting.
      if (got.length !== want.length || !timingSafeEqual(got, want))
        return void res.writeHead(400, { "content-type": "text/html" }).end(FAILED)
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
        .end(code ? DONE : FAILED)
      settle(code ? { code } : { error: url.searchParams.get("error") ?? "no code" })
    })
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port
      resolve({ server, redirect: `http://127.0.0.1:${port}/callback`, arrived })
    })
  })
}

function open(env: Env, url: string) {
  const cmd = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open"
  try {
    const child = spawn(cmd, [url], { stdio: "ignore", detached: true, env: env.vars as NodeJS.ProcessEnv })
    child.on("error", () => {})
    child.unref()
  } catch {}
}

export async function login(args: string[], env: Env): Promise<number> {
  const { flags, positionals } = Args.parse(args, SPEC, "login")
  if (flags.help) {
    Ui.print(env, HELP)
    return Exit.ok
  }
  if (positionals.length > 0) throw usage(`agentshare login: unexpected argument "${positionals[0]}"`)
  const timeout = flags.timeout === undefined ? 300 : Number(flags.timeout)
  if (!Number.isFinite(timeout) || timeout <= 0) throw usage("agentshare login: --timeout must be a number of seconds")
  const server = Setup.server(Setup.modes(env, flags.server))

  const state = randomBytes(24).toString("base64url")
  const verifier = randomBytes(32).toString("base64url")
  const challenge = createHash("sha256").update(verifier).digest("base64url")
  const { server: listener, redirect, arrived } = await listen(state)
  try {
    const run = await request(`${server}/auth/cli`, CliLoginResponse, {
      method: "POST",
      body: { redirect, state, challenge },
    }).catch((error: unknown) => Promise.reject(Setup.failure(error, "login")))
    const port = Number(new URL(redirect).port)
    // The page will name the port the server was given: it must be ours. And the browser opens
    // only a page of this server (xdg-open would run a handler for any other scheme).
    if (run.port !== port)
      throw new CliError(
        Exit.failure,
        `agentshare login: the server answered port ${run.port}, not ${port}; not logging in`,
      )
    if (!URL.canParse(run.url) || new URL(run.url).origin !== new URL(server).origin)
      throw new CliError(
        Exit.failure,
        "agentshare login: the server answered a login link on another site; not logging in",
      )
    Ui.note(env, `Listening on 127.0.0.1 port ${port}, check phrase ${run.phrase}.`)
    Ui.note(env, `Log in at: ${run.url}`)
    Ui.note(env, `After you log in, continue only if the page names port ${port} and the check phrase ${run.phrase}.`)
    if (flags.browser !== false) open(env, run.url)
    let timer: NodeJS.Timeout | undefined
    const expired = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), timeout * 1000)))
    const outcome = await Promise.race([arrived, expired, Setup.interrupted().then(() => "interrupted" as const)])
    clearTimeout(timer)
    if (outcome === "timeout") throw new CliError(Exit.failure, `agentshare login: no login within ${timeout} seconds`)
    if (outcome === "interrupted") throw new CliError(Exit.cancelled, "agentshare login: cancelled")
    if ("error" in outcome)
      throw new CliError(Exit.failure, `agentshare login: the login did not complete (${outcome.error})`)

    const vault = Setup.vault(env)
    const before = vault.owner(server)
    const redeem = (token: string | undefined) =>
      request(`${server}/auth/token`, LoginResponse, {
        method: "POST",
        body: { code: outcome.code, verifier, secret: run.secret },
        token,
      })
    // A token the server no longer knows (its database was replaced) is checked before the
    // code is taken, so the code still works without it.
    const result = await redeem(before?.token)
      .catch((error: unknown) =>
        error instanceof HttpError && error.status === 401 && before ? redeem(undefined) : Promise.reject(error),
      )
      .catch((error: unknown) => Promise.reject(Setup.failure(error, "login")))
    vault.setOwner(server, { ownerID: result.ownerID, token: result.token })
    if (flags.json) Ui.json(env, { server, ownerID: result.ownerID, email: result.email, merged: result.merged })
    else {
      Ui.print(env, `Logged in to ${server} as ${result.email ?? "your SSO account"} (owner ${result.ownerID}).`)
      if (result.merged) Ui.print(env, "The shares this machine made before now belong to your account.")
    }
    return Exit.ok
  } finally {
    listener.closeAllConnections()
    listener.close()
  }
}
