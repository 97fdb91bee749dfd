/**
 * SSO-only viewing (docs/ENTERPRISE.md, "SSO"): the OIDC relying party, sealed session
 * cookies (revoked on the server at logout), the view-access guard every read route goes
 * through, `agentshare login`'s confirmed loopback flow, and the accounts it links owner
 * tokens to.
 */
export * as Guard from "./guard.ts"
export * as Policy from "./policy.ts"
export * as Session from "./session.ts"
export * as Accounts from "./accounts.ts"
export * as Cli from "./cli.ts"
