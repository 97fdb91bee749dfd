/**
 * One session, one link: the share a session already has on a server, so that `share`,
 * `share --watch`, `watch` and the hooks keep completing that link instead of making another.
 * It is the newest share of the session in this machine's vault, else the one OpenCode's own
 * `/share` made (its `session_share` table holds the share's id, secret and URL), adopted into
 * the vault. A share the server no longer has is forgotten.
 */
import * as Client from "../client/index.ts"
import type { Env } from "./env.ts"
import * as Setup from "./setup.ts"

export type Existing = { share: Client.Vault.Saved; from: "vault" | "opencode" }

/** Whether a share URL OpenCode stored points at `server` (its origin and path prefix). */
export function onServer(url: string, server: string): boolean {
  return url.startsWith(`${Client.Api.base(server)}/share/`)
}

/** The share of `sessionID` on `server` to reuse, checked live on the server; undefined when there is none. */
export async function existing(
  env: Env,
  server: string,
  sessionID: string,
  db?: Client.Database.Database,
): Promise<Existing | undefined> {
  const vault = Setup.vault(env)
  for (const saved of vault.of(server, sessionID)) {
    const state = await Client.Api.state(server, saved.id).catch((error: unknown) => {
      throw Setup.failure(error, `could not check the existing share ${saved.url}`)
    })
    if (state === "live") return { share: saved, from: "vault" }
    vault.forget(saved.id)
  }
  const stock = stockShare(db, sessionID, server)
  if (!stock) return undefined
  const state = await Client.Api.state(server, stock.id).catch((error: unknown) => {
    throw Setup.failure(error, `could not check OpenCode's share ${stock.url}`)
  })
  if (state !== "live") return undefined
  vault.add({
    id: stock.id,
    url: stock.url,
    secret: stock.secret,
    sessionID,
    server,
    createdAt: stock.created,
    stock: true,
  })
  return { share: vault.of(server, sessionID).find((s) => s.id === stock.id)!, from: "opencode" }
}

/** The share OpenCode's own `/share` made for `sessionID` on `server`, from its `session_share` table. */
export function stockShare(
  db: Client.Database.Database | undefined,
  sessionID: string,
  server: string,
): Client.Database.StockShare | undefined {
  if (!db) return undefined
  try {
    return db.stockShares().find((s) => s.sessionID === sessionID && onServer(s.url, server))
  } catch {
    // An OpenCode older than its session_share table.
    return undefined
  }
}
