/** The few human pages of logging in: refused (403), logged out, and "back to your terminal". */
import * as Layout from "../../viewer/layout.ts"
import { escape } from "../../viewer/escape.ts"

const page = (title: string, body: string, noindex = true) => Layout.document({ title, noindex }, `<main id="main" class="status-page"><h1>${escape(title)}</h1>${body}</main>`)

export function denied(input: { reason: string; email: string | null }): string {
  const who = input.email ? `You are logged in as ${escape(input.email)}, but ${escape(input.reason)}.` : `You are logged in, but ${escape(input.reason)}.`
  return page("Access denied", `<p>${who}</p><p>Ask the person who shared this link, or <a href="/auth/logout">log out</a> and log in with another account.</p><p class="muted">HTTP 403</p>`)
}

export function failed(message: string): string {
  return page("Login failed", `<p>${escape(message)}</p><p class="muted">HTTP 400</p>`)
}

export const loggedOut = () => page("Logged out", "<p>You are logged out of this share server.</p>")

export const unavailable = () => page("Login unavailable", "<p>The identity provider could not be reached. Try again shortly.</p><p class=\"muted\">HTTP 503</p>")
