/**
 * The share client: an ordered, coalescing sync queue per share (`Share.client`), the raw API
 * calls (`Api`), readers that turn local sessions into share items (OpenCode's database:
 * `Database`, `Session`; Claude Code, Codex and Gemini CLI session files: `Agents`), and how
 * OpenCode and agentshare resolve the share mode and server (`Modes`), and which shares are
 * syncing right now (`Live`). Imports only `schema`.
 */
export * as Share from "./share.ts"
export * as Queue from "./queue.ts"
export * as Api from "./api.ts"
export { HttpError, NetworkError, retryable } from "./http.ts"
export type { ShareRef } from "./api.ts"
export * as Follow from "./follow.ts"
export * as Modes from "./modes.ts"
export * as Jsonc from "./jsonc.ts"
export * as Vault from "./vault.ts"
export * as Live from "./live.ts"
export * as Database from "./local/database.ts"
export * as Items from "./local/items.ts"
export * as Session from "./local/session.ts"
export * as Exported from "./local/exported.ts"
export * as Agents from "./local/agents/index.ts"
