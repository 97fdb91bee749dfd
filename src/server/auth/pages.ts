/**
 * The few human pages of logging in: refused (403), logging out (a CSRF-checked form), logged
 * out, and `agentshare login`'s confirmation. Their forms post to this server only: the routes
 * send them with `form-action 'self'` (the confirmation also allows its loopback, see cli.ts).
 */
import * as Layout from "../../viewer/layout.ts"
import { escape } from "../../viewer/escape.ts"

const page = (title: string, body: string, noindex = true) =>
  Layout.document({ title, noindex }, `<main id="main" class="status-page"><h1>${escape(title)}</h1>${body}</main>`)

const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escape(value)}">`

/** The logout form of a session: a POST with its CSRF token (a GET or a cross-site post logs nobody out). */
const logoutForm = (csrf: string, label = "Log out") =>
  `<form method="post" action="/auth/logout">${hidden("_csrf", csrf)}<button type="submit">${escape(label)}</button></form>`

export function denied(input: { reason: string; email: string | null; csrf: string }): string {
  const who = input.email
    ? `You are logged in as ${escape(input.email)}, but ${escape(input.reason)}.`
    : `You are logged in, but ${escape(input.reason)}.`
  return page(
    "Access denied",
    `<p>${who}</p><p>Ask the person who shared this link, or log out and log in with another account.</p>${logoutForm(input.csrf, "Log out")}<p class="muted">HTTP 403</p>`,
  )
}

export function failed(message: string, status = 400): string {
  return page("Login failed", `<p>${escape(message)}</p><p class="muted">HTTP ${status}</p>`)
}

/** GET /auth/logout: asks, since only the POST logs out. */
export function logout(input: { email: string | null; csrf: string } | undefined): string {
  if (!input) return page("Not logged in", "<p>You are not logged in to this share server.</p>")
  const who = input.email ? ` as ${escape(input.email)}` : ""
  return page("Log out", `<p>You are logged in to this share server${who}.</p>${logoutForm(input.csrf)}`)
}

export const loggedOut = () => page("Logged out", "<p>You are logged out of this share server.</p>")

export const unavailable = () =>
  page(
    "Login unavailable",
    '<p>The identity provider could not be reached. Try again shortly.</p><p class="muted">HTTP 503</p>',
  )

/** `agentshare login`: nothing goes to the CLI before the user says the port and phrase are theirs. */
export function confirm(input: { port: number; phrase: string; email: string | null; csrf: string }): string {
  const who = input.email ? `You are logged in as <strong>${escape(input.email)}</strong>. ` : ""
  return page(
    "Log in the agentshare CLI?",
    `<p>${who}Continuing gives the <strong>agentshare CLI on this computer, port ${input.port}</strong> a token of your account: it can then list and delete your shares.</p>
<p>Check phrase: <span class="check">${escape(input.phrase)}</span></p>
<p><strong>Continue only if you just ran <code>agentshare login</code> and it printed port ${input.port} and this check phrase.</strong> If someone sent you this link, cancel.</p>
<form method="post" action="/auth/cli/confirm">${hidden("_csrf", input.csrf)}<button type="submit" class="primary">Continue</button></form>
<form method="post" action="/auth/cli/cancel">${hidden("_csrf", input.csrf)}<button type="submit">Cancel</button></form>`,
  )
}

export const cancelled = () =>
  page(
    "Login cancelled",
    "<p>No login code was issued. If you did run <code>agentshare login</code>, stop it with Ctrl-C and run it again.</p>",
  )
