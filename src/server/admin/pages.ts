/** The admin area's HTML, rendered on the server: no script at all, forms with CSRF tokens. */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import * as Assets from "../../viewer/assets.ts"
import { escape } from "../../viewer/escape.ts"
import type { AdminShare, AuditRow, DayViews, Usage } from "../../store/index.ts"
import { ACTIONS, ACTOR_KINDS } from "../governance/audit.ts"

const css = readFileSync(new URL("./admin.css", import.meta.url), "utf8")
/** Served under a content-hashed name, like the viewer's assets. */
export const style = { body: css, path: `/admin/assets/admin.${createHash("sha256").update(css).digest("hex").slice(0, 12)}.css` }

const time = (ms: number | null | undefined) => (ms == null ? "—" : new Date(ms).toISOString().slice(0, 16).replace("T", " "))

export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ["KiB", "MiB", "GiB", "TiB"]
  let v = bytes / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++ }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`
}

/** A share is viewed under the stricter of the server's policy and its own. */
const effective = (server: string, share: string) => (server === "sso" || share === "sso" ? "sso" : "public")

const hidden = (csrf: string) => `<input type="hidden" name="_csrf" value="${escape(csrf)}">`

/** Who is logged in, and the CSRF token of their session's forms. */
export type Signed = { csrf: string; who: string }

function document(title: string, body: string, signed?: Signed): string {
  const nav = signed
    ? `<nav><span class="brand">agentshare admin</span><a href="/admin">Shares</a><a href="/admin/audit">Audit log</a><span class="muted">${escape(signed.who)}</span><form method="post" action="/admin/logout">${hidden(signed.csrf)}<button type="submit">Log out</button></form></nav>`
    : `<nav><span class="brand">agentshare admin</span></nav>`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escape(title)} | agentshare admin</title>
<link rel="stylesheet" href="${Assets.style.path}">
<link rel="stylesheet" href="${style.path}">
</head><body><div class="admin">${nav}<main id="main">${body}</main></div></body></html>`
}

/** The login page: the token form and/or a link to log in through SSO, as the server allows. */
export function login(o: { token: boolean; sso: boolean; message?: string | undefined }): string {
  const note = o.message ? `<p class="notice" role="alert">${escape(o.message)}</p>` : ""
  const sso = o.sso ? `<p><a class="button" href="/auth/login?return=%2Fadmin">Log in with SSO</a></p>` : ""
  const form = o.token ? `<form method="post" action="/admin/login" class="inline"><label for="token">Admin token</label> <input id="token" name="token" type="password" autocomplete="current-password" required> <button type="submit">Log in</button></form>` : ""
  return document("Log in", `<h1>Admin login</h1>${note}${sso}${o.sso && o.token ? "<p>or</p>" : ""}${form}`)
}

export type Dashboard = {
  signed: Signed
  usage: Usage
  createAccess: string
  killSwitch: boolean
  effective: string
  viewAccess: string
  q: string
  shares: AdminShare[]
  total: number
  offset: number
  limit: number
  notice?: string
}

export function dashboard(d: Dashboard): string {
  const u = d.usage
  const stats = `<dl class="stats">${[["Shares", String(u.shares)], ["Storage used", size(u.bytes)], ["Items", String(u.items)], ["Owners", String(u.owners)], ["Removed (tombstones)", String(u.tombstones)], ["Audit entries", String(u.audit)]]
    .map(([k, v]) => `<div class="stat"><dt>${k}</dt><dd>${v}</dd></div>`).join("")}</dl>`
  const state = d.effective === "disabled" ? `<span class="off">disabled</span>` : `<span class="on">${escape(d.effective)}</span>`
  const toggle = d.killSwitch
    ? `<button type="submit" name="killSwitch" value="off">Turn the kill switch off</button>`
    : `<button type="submit" name="killSwitch" value="on" class="danger">Turn the kill switch on (stop new shares)</button>`
  const policy = `<div class="panel" id="policy"><p>Share creation: ${state} · configured CREATE_ACCESS=${escape(d.createAccess)} · kill switch ${d.killSwitch ? '<span class="off">on</span>' : "off"} · viewing: ${escape(d.viewAccess)}</p>
<form method="post" action="/admin/policy" class="inline">${hidden(d.signed.csrf)}${toggle}</form>
<form method="post" action="/admin/purge" class="inline">${hidden(d.signed.csrf)}<button type="submit">Purge expired shares now</button></form></div>`
  const notice = d.notice ? `<p class="notice" role="status">${escape(d.notice)}</p>` : ""
  const search = `<form method="get" action="/admin" class="inline" role="search"><label for="q">Search</label> <input id="q" name="q" value="${escape(d.q)}" placeholder="title, share id, owner id or session id"> <button type="submit">Search</button></form>`
  const rows = d.shares.map((s) => `<tr><td><a href="/admin/shares/${encodeURIComponent(s.id)}">${escape(s.title ?? "(untitled)")}</a><br><code class="muted">${escape(s.id)}</code></td><td><code>${escape(s.ownerID ?? "—")}</code></td><td class="num">${size(s.bytes)}</td><td class="num">${s.views}</td><td>${time(s.createdAt)}</td><td>${time(s.updatedAt)}</td><td>${s.expiresAt === null ? "never" : time(s.expiresAt)}</td><td>${escape(effective(d.viewAccess, s.access))}</td></tr>`).join("")
  const table = `<table><thead><tr><th>Title</th><th>Owner</th><th>Size</th><th>Views</th><th>Created</th><th>Last sync</th><th>Expires</th><th>Access</th></tr></thead><tbody>${rows || '<tr><td colspan="8" class="muted">No shares match.</td></tr>'}</tbody></table>`
  const next = d.offset + d.limit < d.total ? ` · <a href="/admin?q=${encodeURIComponent(d.q)}&amp;offset=${d.offset + d.limit}">next page</a>` : ""
  const prev = d.offset > 0 ? ` · <a href="/admin?q=${encodeURIComponent(d.q)}&amp;offset=${Math.max(0, d.offset - d.limit)}">previous page</a>` : ""
  return document("Shares", `<h1>Shares</h1>${notice}${stats}${policy}<h2>Shares</h2>${search}<p class="muted">${d.total} share(s)${d.total ? `, showing ${d.offset + 1}–${d.offset + d.shares.length}` : ""}${prev}${next}</p>${table}`, d.signed)
}

export function share(s: AdminShare, days: DayViews[], audit: AuditRow[], signed: Signed, viewAccess: string): string {
  const facts: [string, string][] = [
    ["Title", escape(s.title ?? "(untitled)")],
    ["Share id", `<code>${escape(s.id)}</code>`],
    ["Session", `<code>${escape(s.sessionID)}</code>`],
    ["Owner", `<code>${escape(s.ownerID ?? "—")}</code>`],
    ["Size", `${size(s.bytes)} in ${s.items} item(s)`],
    ["Secrets redacted", String(s.redactions)],
    ["Views", String(s.views)],
    ["Created", time(s.createdAt)],
    ["Last sync", time(s.updatedAt)],
    ["Expires", s.expiresAt === null ? "never" : time(s.expiresAt)],
    ["Access", escape(effective(viewAccess, s.access))],
  ]
  const table = `<table><tbody>${facts.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join("")}</tbody></table>`
  const open = `<p><a href="/share/${encodeURIComponent(s.id)}">Open the share</a></p>`
  const takedown = `<div class="panel"><form method="post" action="/admin/shares/${encodeURIComponent(s.id)}/takedown" class="inline">${hidden(signed.csrf)}<button type="submit" class="danger">Take down this share</button> <span class="muted">Deletes its data; its link answers 410 “removed by an administrator”.</span></form></div>`
  const views = days.length
    ? `<table><thead><tr><th>Day (UTC)</th><th>Views</th><th>Unique</th></tr></thead><tbody>${days.map((d) => `<tr><td>${escape(d.day)}</td><td class="num">${d.views}</td><td class="num">${d.uniques}</td></tr>`).join("")}</tbody></table>`
    : `<p class="muted">No views yet.</p>`
  return document(s.title ?? s.id, `<h1>${escape(s.title ?? "(untitled)")}</h1>${open}${table}${takedown}<h2>Views per day</h2>${views}<h2>Audit</h2>${auditTable(audit)}`, signed)
}

function auditTable(rows: AuditRow[]): string {
  if (!rows.length) return `<p class="muted">No entries.</p>`
  const value = (k: string, v: unknown) => (k.endsWith("At") && typeof v === "number" ? time(v) : String(v))
  const detail = (d: AuditRow["detail"]) => (d ? escape(Object.entries(d).map(([k, v]) => `${k}=${value(k, v)}`).join(" ")) : "")
  return `<table><thead><tr><th>Time (UTC)</th><th>Action</th><th>Share</th><th>Actor</th><th>IP hash</th><th>Detail</th></tr></thead><tbody>${rows.map((r) => `<tr><td>${time(r.at)}</td><td>${escape(r.action)}</td><td>${r.shareID ? `<a href="/admin/shares/${encodeURIComponent(r.shareID)}"><code>${escape(r.shareID)}</code></a>` : "—"}</td><td>${escape(r.actorKind)}${r.actorID ? ` <code>${escape(r.actorID)}</code>` : ""}</td><td><code>${escape(r.ipHash ?? "—")}</code></td><td>${detail(r.detail)}</td></tr>`).join("")}</tbody></table>`
}

export type AuditQuery = { action: string; share: string; actor: string; actorId: string; from: string; to: string }

export function audit(rows: AuditRow[], q: AuditQuery, signed: Signed, more: string | undefined): string {
  const option = (value: string, selected: string) => `<option value="${escape(value)}"${value === selected ? " selected" : ""}>${escape(value || "any")}</option>`
  const form = `<form method="get" action="/admin/audit" class="inline">
<label for="action">Action</label> <select id="action" name="action">${["", ...ACTIONS].map((a) => option(a, q.action)).join("")}</select>
<label for="share">Share</label> <input id="share" name="share" value="${escape(q.share)}">
<label for="actor">Actor</label> <select id="actor" name="actor">${["", ...ACTOR_KINDS].map((a) => option(a, q.actor)).join("")}</select>
<input name="actorId" value="${escape(q.actorId)}" placeholder="actor id" aria-label="actor id">
<label for="from">From</label> <input id="from" name="from" type="date" value="${escape(q.from)}">
<label for="to">To</label> <input id="to" name="to" type="date" value="${escape(q.to)}">
<button type="submit">Filter</button></form>`
  const params = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== "")).toString()
  const exportLink = `<p><a href="/admin/audit.jsonl${params ? `?${escape(params)}` : ""}">Export these entries as JSON Lines</a></p>`
  const next = more ? `<p><a href="/admin/audit?${escape(more)}">Next entries</a></p>` : ""
  return document("Audit log", `<h1>Audit log</h1>${form}${exportLink}${auditTable(rows)}${next}`, signed)
}
