/**
 * The OpenCode session data model as it crosses the wire in share items (OpenCode 1.18, with
 * the fields older and newer releases add). Every object is loose: unknown fields from newer
 * clients are kept, and only what agentshare relies on is required.
 */
import { z } from "zod"
import { Source } from "./agents.ts"

const Id = z.string().min(1).max(256)
const Time = z.number()

export const Tokens = z.looseObject({
  total: z.number().optional(),
  input: z.number(),
  output: z.number(),
  reasoning: z.number(),
  cache: z.looseObject({ read: z.number(), write: z.number() }),
})
export type Tokens = z.infer<typeof Tokens>

/** One file's change: the `patch` shape (1.18) or the older `before`/`after` shape. */
export const FileDiff = z.looseObject({
  file: z.string(),
  patch: z.string().optional(),
  before: z.string().optional(),
  after: z.string().optional(),
  additions: z.number().optional(),
  deletions: z.number().optional(),
  status: z.string().optional(),
})
export type FileDiff = z.infer<typeof FileDiff>

export const Session = z.looseObject({
  id: Id,
  slug: z.string().optional(),
  projectID: z.string().optional(),
  directory: z.string().optional(),
  parentID: z.string().optional(),
  title: z.string().optional(),
  version: z.string().optional(),
  agent: z.string().optional(),
  cost: z.number().optional(),
  tokens: Tokens.optional(),
  summary: z
    .looseObject({
      additions: z.number().optional(),
      deletions: z.number().optional(),
      files: z.number().optional(),
      diffs: z.array(FileDiff).optional(),
    })
    .optional(),
  share: z.looseObject({ url: z.string() }).optional(),
  time: z.looseObject({ created: Time.optional(), updated: Time.optional() }).optional(),
  revert: z.looseObject({ messageID: z.string() }).optional(),
  /** OpenCode V2: where the session runs; its messages come in one `messages` item. */
  location: z.looseObject({ directory: z.string() }).optional(),
  /** agentshare's: the agent that wrote the session (absent on OpenCode's own items). */
  source: Source.optional(),
})
export type Session = z.infer<typeof Session>

export const AssistantError = z.looseObject({
  name: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
})
export type AssistantError = z.infer<typeof AssistantError>

export const Message = z.looseObject({
  id: Id,
  sessionID: Id,
  role: z.string(),
  parentID: z.string().optional(),
  agent: z.string().optional(),
  mode: z.string().optional(),
  modelID: z.string().optional(),
  providerID: z.string().optional(),
  model: z.looseObject({ providerID: z.string(), modelID: z.string() }).optional(),
  cost: z.number().optional(),
  tokens: Tokens.optional(),
  finish: z.string().optional(),
  error: AssistantError.optional(),
  summary: z.union([z.boolean(), z.looseObject({ diffs: z.array(FileDiff).optional() })]).optional(),
  time: z.looseObject({ created: Time.optional(), completed: Time.optional() }).optional(),
})
export type Message = z.infer<typeof Message>

export const ToolState = z.looseObject({
  status: z.string(),
  input: z.unknown().optional(),
  output: z.string().optional(),
  error: z.string().optional(),
  title: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  time: z.looseObject({ start: Time.optional(), end: Time.optional() }).optional(),
})
export type ToolState = z.infer<typeof ToolState>

export const Part = z.looseObject({
  id: Id,
  sessionID: Id,
  messageID: Id,
  type: z.string(),
  text: z.string().optional(),
  tool: z.string().optional(),
  callID: z.string().optional(),
  state: ToolState.optional(),
  time: z.looseObject({ start: Time.optional(), end: Time.optional() }).optional(),
})
export type Part = z.infer<typeof Part>

export const Model = z.looseObject({
  id: z.string(),
  providerID: z.string().optional(),
  name: z.string().optional(),
})
export type Model = z.infer<typeof Model>
