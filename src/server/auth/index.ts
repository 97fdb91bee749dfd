/**
 * SSO-only viewing (docs/ENTERPRISE.md, "SSO"): the OIDC relying party, sealed session
 * cookies, the view-access guard every read route goes through, and the accounts that
 * `agentshare login` links owner tokens to.
 */
export * as Guard from "./guard.ts"
export * as Policy from "./policy.ts"
export * as Session from "./session.ts"
export * as Accounts from "./accounts.ts"
