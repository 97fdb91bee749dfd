/**
 * A real OpenID provider (the `oidc-provider` package) on 127.0.0.1 for the SSO tests: test
 * users with email and a `groups` claim, its development login and consent forms, and a
 * confidential client whose redirect URIs the test names. `login()` drives those forms with
 * fetch, as a browser would, and answers the redirect to our callback.
 */
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import Provider from "oidc-provider"

export type User = { email: string; emailVerified?: boolean; groups: string[] }

/** alice is in the allowed domain and group; carol in the domain but not the group; mallory in neither; dana only in the admin group. */
export const USERS: Record<string, User> = {
  alice: { email: "alice@corp.example", groups: ["engineering", "everyone"] },
  carol: { email: "carol@corp.example", groups: ["sales"] },
  mallory: { email: "mallory@elsewhere.example", groups: ["engineering"] },
  unverified: { email: "eve@corp.example", emailVerified: false, groups: ["engineering"] },
  /** An administrator who is not in the viewers' group. */
  dana: { email: "dana@corp.example", groups: ["share-admins"] },
}

export const CLIENT_ID = "agentshare-test"
export const CLIENT_SECRET = "test-client-secret-0123456789abcdef"

export type Idp = { issuer: string; close(): Promise<void> }

export async function start(redirectUris: string[]): Promise<Idp> {
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], groups: ["groups"] },
    scopes: ["openid", "email", "groups"],
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["test-cookie-key-0123456789"] },
    pkce: { required: () => true },
    ttl: { Session: 3600, Grant: 3600, AccessToken: 3600, IdToken: 3600, Interaction: 600, AuthorizationCode: 60 },
    async findAccount(_ctx, id) {
      const user = USERS[id]
      if (!user) return undefined
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: user.email,
          email_verified: user.emailVerified ?? true,
          groups: user.groups,
        }),
      }
    },
  })
  provider.on("server_error", (_ctx, error) => console.error("oidc-provider:", error))
  server.on("request", provider.callback())
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A cookie jar for one origin: enough for the provider's own session cookies. */
class Jar {
  private cookies = new Map<string, string>()
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";")
      const at = pair.indexOf("=")
      const name = pair.slice(0, at).trim()
      const value = pair.slice(at + 1).trim()
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ")
  }
}

/**
 * Follows an authorization URL through the provider's login and consent forms as `user` (any
 * password: the dev forms do not check one), and answers the URL the provider finally
 * redirects to outside itself (our /auth/callback?code=…&state=…).
 */
export async function login(authorizeUrl: string, user: string): Promise<URL> {
  const jar = new Jar()
  const origin = new URL(authorizeUrl).origin
  let url = authorizeUrl
  let body: URLSearchParams | undefined
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, {
      method: body ? "POST" : "GET",
      redirect: "manual",
      headers: { cookie: jar.header(), ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      body,
    })
    jar.take(res)
    body = undefined
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get("location")!, url)
      if (next.origin !== origin) return next
      url = next.href
      continue
    }
    const html = await res.text()
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 300)}`)
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1]
    if (!action || !prompt) throw new Error(`no form on the provider's page: ${html.slice(0, 300)}`)
    url = new URL(action.replace(/&amp;/g, "&"), url).href
    body = new URLSearchParams(prompt === "login" ? { prompt, login: user, password: "any" } : { prompt })
  }
  throw new Error("too many redirects at the provider")
}
