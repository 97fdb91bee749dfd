/** One function per share API call, each parsing its answer with the schema the server uses. */
import { z } from "zod"
import {
  CreateResponse,
  OkResponse,
  OwnedSharesResponse,
  OwnerRemoveResponse,
  OwnerResponse,
  SyncItem,
  SyncResponse,
  type Access,
  type OwnedShare,
} from "../schema/index.ts"
import { HttpError, request } from "./http.ts"

/** What the client keeps for a share: enough to sync to it and to remove it. */
export type ShareRef = { id: string; secret: string; url: string; sessionID: string }

/** The server's origin with any trailing slash removed; a path prefix is kept (as OpenCode does). */
export function base(server: string): string {
  return server.replace(/\/+$/, "")
}

const path = (server: string, ...parts: string[]) => `${base(server)}/${parts.map(encodeURIComponent).join("/")}`

export type CreateOptions = {
  /** `7d`, `12h`: asks a server with retention for an expiry; `expiresAt` answers it. */
  expiresIn?: string | undefined
  /** `sso`: viewable only after an SSO login, from creation on; `access` answers it. */
  access?: Access | undefined
}

export async function create(
  server: string,
  sessionID: string,
  token?: string,
  options: CreateOptions = {},
): Promise<ShareRef & { expiresAt?: number | null; access?: Access }> {
  const body = {
    sessionID,
    ...(options.expiresIn === undefined ? {} : { expiresIn: options.expiresIn }),
    ...(options.access === undefined ? {} : { access: options.access }),
  }
  const r = await request(`${base(server)}/api/share`, CreateResponse, { method: "POST", body, token })
  return { ...r, sessionID }
}

export function sync(server: string, share: ShareRef, data: SyncItem[]): Promise<SyncResponse> {
  return request(path(server, "api", "share", share.id, "sync"), SyncResponse, {
    method: "POST",
    body: { secret: share.secret, data },
  })
}

export async function remove(server: string, share: Pick<ShareRef, "id" | "secret">): Promise<void> {
  await request(path(server, "api", "share", share.id), z.unknown(), {
    method: "DELETE",
    body: { secret: share.secret },
  })
}

/** The share's items as `opencode import` reads them: the root session's five known types. */
export function data(server: string, id: string): Promise<SyncItem[]> {
  return request(path(server, "api", "share", id, "data"), z.array(SyncItem), { method: "GET" })
}

/** Asks the server for a new owner token (done once, then kept by the caller). */
export function owner(server: string): Promise<OwnerResponse> {
  return request(`${base(server)}/api/owner`, OwnerResponse, { method: "POST", body: {} })
}

export type OwnedShareList = OwnedShare[]

export async function owned(server: string, token: string): Promise<OwnedShare[]> {
  return (await request(`${base(server)}/api/owner/shares`, OwnedSharesResponse, { method: "GET", token })).shares
}

/** Deletes the owner's shares by id, or all of them; answers the ids actually removed. */
export async function disown(
  server: string,
  token: string,
  which: { ids: string[] } | { all: true },
): Promise<string[]> {
  return (
    await request(`${base(server)}/api/owner/shares`, OwnerRemoveResponse, { method: "DELETE", body: which, token })
  ).removed
}

/** Makes an ownerless share (one a stock client created) the owner's, proven by its secret. */
export async function claim(server: string, token: string, share: Pick<ShareRef, "id" | "secret">): Promise<void> {
  await request(path(server, "api", "owner", "shares", share.id, "claim"), OkResponse, {
    method: "POST",
    body: { secret: share.secret },
    token,
  })
}

/** Whether a share is still served: "live", "removed" (410) or "missing" (404). */
export async function state(server: string, id: string): Promise<"live" | "removed" | "missing"> {
  try {
    await request(path(server, "api", "share", id), z.unknown(), { method: "GET", timeoutMs: 10_000 })
    return "live"
  } catch (error) {
    if (error instanceof HttpError && error.status === 410) return "removed"
    if (error instanceof HttpError && error.status === 404) return "missing"
    throw error
  }
}
