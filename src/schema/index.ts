/**
 * Schemas: the only definition of every shape that crosses a process boundary (the OpenCode
 * data model, share API bodies, error bodies) and the limits that go with them. No I/O.
 */
export * from "./api.ts"
export * from "./errors.ts"
export * from "./item.ts"
export * from "./limits.ts"
export * from "./opencode.ts"
export * from "./export.ts"
export * from "./owner.ts"
export * from "./takedown.ts"
export * from "./access.ts"
export * from "./duration.ts"
export * from "./agents.ts"
export * from "./admin.ts"
export * as Read from "./read.ts"
export * from "./live.ts"
export * from "./embed.ts"
