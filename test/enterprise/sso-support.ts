/** What the SSO tests share: server settings for the test provider and an in-process login. */
import type { AuthSettings as Settings } from "../../src/server/config.ts"
import type { TestApp } from "../support/app.ts"
import * as Oidc from "../support/oidc.ts"

export const SESSION_SECRET = "session-secret-for-tests-0123456789abcdef"

export function settings(
  issuer: string,
  viewAccess: "public" | "sso",
  over: Partial<NonNullable<Settings["oidc"]>> = {},
): Settings {
  return {
    viewAccess,
    oidc: {
      issuer,
      clientId: Oidc.CLIENT_ID,
      clientSecret: Oidc.CLIENT_SECRET,
      scopes: "openid email groups",
      allowedDomains: ["corp.example"],
      requiredGroup: "engineering",
      groupsClaim: "groups",
      ...over,
    },
    sessionSecret: SESSION_SECRET,
    sessionTtlMs: 3600_000,
  }
}

/** `name=value` of each cookie a response sets. */
export function cookies(res: Response): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";")
    const at = pair.indexOf("=")
    out.set(pair.slice(0, at), pair.slice(at + 1))
  }
  return out
}

/** Logs `user` in through the real provider and answers the callback's response. */
export async function callback(t: TestApp, user: string, back = "/"): Promise<Response> {
  const start = await t.app.request(`/auth/login?return=${encodeURIComponent(back)}`)
  if (start.status !== 302) throw new Error(`login answered ${start.status}: ${await start.text()}`)
  const flow = [...cookies(start)].map(([k, v]) => `${k}=${v}`).join("; ")
  const to = await Oidc.login(start.headers.get("location")!, user)
  return t.app.request(to.pathname + to.search, { headers: { cookie: flow } })
}

/** The `cookie` header of a logged-in session of `user`. */
export async function session(t: TestApp, user: string): Promise<string> {
  const res = await callback(t, user)
  const c = cookies(res).get("agentshare_session")
  if (!c) throw new Error(`no session cookie (status ${res.status})`)
  return `agentshare_session=${c}`
}
