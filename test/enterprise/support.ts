/** Helpers for the enterprise tests: requests from a given client address, a movable clock. */
import { enterpriseDefaults, type EnterpriseSettings as Settings } from "../../src/server/config.ts"
import type { Backend } from "../support/backends.ts"
import { testApp, type TestApp } from "../support/app.ts"

export const ADMIN_TOKEN = "admin-token-for-tests-0123456789"

/** A clock tests move by hand. */
export function clock(start = Date.UTC(2026, 10, 22, 12, 0, 0)) {
  let t = start
  const now = () => t
  return Object.assign(now, {
    advance: (ms: number) => {
      t += ms
    },
    set: (ms: number) => {
      t = ms
    },
  })
}

export type Clock = ReturnType<typeof clock>

/** An in-process app with enterprise settings over the defaults (rate limits off unless given). */
export function enterpriseApp(
  settings: Partial<Settings> = {},
  now: () => number = Date.now,
  backend?: Backend,
): Promise<TestApp> {
  return testApp(
    { enterprise: enterpriseDefaults({ rateLimitCreate: null, rateLimitSync: null, ...settings }) },
    now,
    backend,
  )
}

export type Call = { body?: unknown; ip?: string; headers?: Record<string, string> }

/** A request as if from `ip` (the TCP peer @hono/node-server reports). */
export function call(t: TestApp, method: string, path: string, options: Call = {}): Promise<Response> {
  const { body, ip, headers } = options
  const env = ip ? { incoming: { socket: { remoteAddress: ip } } } : undefined
  return Promise.resolve(
    t.app.request(
      path,
      {
        method,
        headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      },
      env,
    ),
  )
}

export async function create(
  t: TestApp,
  options: Call & { sessionID?: string; expiresIn?: string | number | null } = {},
) {
  const { sessionID = "ses_ent", expiresIn, ...rest } = options
  const res = await call(t, "POST", "/api/share", {
    ...rest,
    body: { sessionID, ...(expiresIn === undefined ? {} : { expiresIn }) },
  })
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as { id: string; url: string; secret: string; expiresAt?: number | null }
}

/** A sync of a session with a title and one user message holding `text`. */
export function sync(
  t: TestApp,
  share: { id: string; secret: string },
  text: string,
  options: Call & { sessionID?: string } = {},
) {
  const { sessionID = "ses_ent", ...rest } = options
  return call(t, "POST", `/api/share/${share.id}/sync`, {
    ...rest,
    body: {
      secret: share.secret,
      data: [
        { type: "session", data: { id: sessionID, title: "Enterprise title", time: { created: 1, updated: 2 } } },
        { type: "message", data: { id: "msg_1", sessionID, role: "user", time: { created: 3 } } },
        { type: "part", data: { id: "prt_1", sessionID, messageID: "msg_1", type: "text", text } },
      ],
    },
  })
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
