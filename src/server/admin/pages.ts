/** The admin area's HTML, rendered on the server: no script at all, forms with CSRF tokens. */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import * as Assets from "../../viewer/assets.ts"
import { escape } from "../../viewer/escape.ts"
import type { AdminShare, AuditRow, DayViews, Usage } from "../../store/index.ts"
import { ACTIONS, ACTOR_KINDS } from "../governance/audit.ts"

const css = readFileSync(new URL("./admin.css", import.meta.url), "utf8")
/** Served under a content-hashed name, like the viewer's assets. */
export const style = {
  body: css,
  path: `/admin/assets/admin.${createHash("sha256").update(css).digest("hex").slice(0, 12)}.css`,
}

const time = (ms: number | null | undefined) =>
  ms == null ? "—" : new Date(ms).toISOString().slice(0, 16).replace("T", " ")

export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ["KiB", "MiB", "GiB", "TiB"]
  let v = bytes / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`
}

/** A share is viewed under the stricter of the server's policy and its own. */
const effective = (server: string, share: string) => (server === "sso" || share === "sso" ? "sso" : "public")

const hidden = (csrf: string) => `<input type="hidden" name="_csrf" value="${escape(csrf)}">`

/** Who is logged in, and the CSRF token of their session's forms. */
export type Signed = { csrf: string; who: string }

/** An id in one piece: never broken across lines (long hashes are cut, whole in the tooltip). */
const id = (value: string, max = 28) =>
  `<code class="id" title="${escape(value)}">${escape(value.length > max ? `${value.slice(0, max - 1)}…` : value)}</code>`

/** Who owns a share: its owner (a link to their shares), or what a share without one is. */
const owner = (ownerID: string | null) =>
  ownerID
    ? `<a href="/admin?owner=${encodeURIComponent(ownerID)}">${id(ownerID)}</a>`
    : `<span class="stock" title="Made by a client that sends no owner token, such as OpenCode's own /share: only the secret that client holds, or a takedown, removes it">stock client, no owner</span>`

function document(title: string, body: string, signed?: Signed): string {
  const brand = `<a class="brand" href="/admin"><img class="logo" src="${Assets.favicon.path}" alt="" width="20" height="20">agentshare admin</a>`
  const nav = signed
    ? `<nav>${brand}<a href="/admin">Shares</a><a href="/admin/audit">Audit log</a><span class="who muted">${escape(signed.who)}</span><form method="post" action="/admin/logout">${hidden(signed.csrf)}<button type="submit">Log out</button></form></nav>`
    : `<nav>${brand}</nav>`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="${Assets.favicon.path}" type="image/svg+xml">
<title>${escape(title)} | agentshare admin</title>
<link rel="stylesheet" href="${Assets.style.path}">
<link rel="stylesheet" href="${style.path}">
</head><body><div class="admin">${nav}<main id="main">${body}</main></div></body></html>`
}

/** The login page: the token form and/or a link to log in through SSO, as the server allows. */
export function login(o: { token: boolean; sso: boolean; message?: string | undefined }): string {
  const note = o.message ? `<p class="notice error" role="alert" id="login-error">${escape(o.message)}</p>` : ""
  const sso = o.sso ? `<p><a class="button" href="/auth/login?return=%2Fadmin">Log in with SSO</a></p>` : ""
  const invalid = o.message ? ' aria-invalid="true" aria-describedby="login-error"' : ""
  const form = o.token
    ? `<form method="post" action="/admin/login" class="inline login"><label for="token">Admin token</label> <input id="token" name="token" type="password" autocomplete="current-password" required${invalid}> <button type="submit">Log in</button></form>`
    : ""
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
  /** A refused action, said as an error (the kill switch without its confirmation). */
  error?: string
}

export function dashboard(d: Dashboard): string {
  const u = d.usage
  const stats = `<dl class="stats">${[
    ["Shares", String(u.shares)],
    ["Storage used", size(u.bytes)],
    ["Items", String(u.items)],
    ["Owners", String(u.owners)],
    ["Removed (tombstones)", String(u.tombstones)],
    ["Audit entries", String(u.audit)],
  ]
    .map(([k, v]) => `<div class="stat"><dt>${k}</dt><dd>${v}</dd></div>`)
    .join("")}</dl>`
  const state =
    d.effective === "disabled" ? `<span class="off">disabled</span>` : `<span class="on">${escape(d.effective)}</span>`
  // Turning it on stops every new share on every instance: it asks first, without script.
  const toggle = d.killSwitch
    ? `<form method="post" action="/admin/policy" class="inline">${hidden(d.signed.csrf)}<button type="submit" name="killSwitch" value="off">Turn the kill switch off</button></form>`
    : `<details class="confirm"><summary class="button danger">Turn the kill switch on…</summary><form method="post" action="/admin/policy">${hidden(d.signed.csrf)}<input type="hidden" name="killSwitch" value="on"><p>Every instance will refuse new shares until someone turns it off. Existing shares keep syncing and being viewed.</p><p><label><input type="checkbox" name="confirm" value="yes" required> Yes, stop new shares on this server</label></p><button type="submit" class="danger">Turn the kill switch on</button></form></details>`
  const policy = `<div class="panel" id="policy"><p>Share creation: ${state} · configured CREATE_ACCESS=${escape(d.createAccess)} · kill switch ${d.killSwitch ? '<span class="off">on</span>' : "off"} · viewing: ${escape(d.viewAccess)}</p>
${toggle}
<form method="post" action="/admin/purge" class="inline">${hidden(d.signed.csrf)}<button type="submit">Purge expired shares now</button></form></div>`
  const notice =
    (d.notice ? `<p class="notice" role="status">${escape(d.notice)}</p>` : "") +
    (d.error ? `<p class="notice error" role="alert">${escape(d.error)}</p>` : "")
  const search = `<form method="get" action="/admin" class="inline" role="search"><label for="q">Search</label> <input id="q" name="q" value="${escape(d.q)}" placeholder="title, share id, owner id or session id"> <button type="submit">Search</button></form>`
  const rows = d.shares
    .map(
      (s) =>
        `<tr><td data-label="Title"><a href="/admin/shares/${encodeURIComponent(s.id)}">${escape(s.title ?? "(untitled)")}</a><br>${id(s.id)}</td><td data-label="Owner">${owner(s.ownerID)}</td><td class="num" data-label="Size">${size(s.bytes)}</td><td class="num" data-label="Views">${s.views}</td><td data-label="Created">${time(s.createdAt)}</td><td data-label="Last sync">${time(s.updatedAt)}</td><td data-label="Expires">${s.expiresAt === null ? "never" : time(s.expiresAt)}</td><td data-label="Access">${escape(effective(d.viewAccess, s.access))}</td></tr>`,
    )
    .join("")
  const table = `<table class="list"><thead><tr><th>Title</th><th>Owner</th><th>Size</th><th>Views</th><th>Created</th><th>Last sync</th><th>Expires</th><th>Access</th></tr></thead><tbody>${rows || '<tr><td colspan="8" class="muted">No shares match.</td></tr>'}</tbody></table>`
  const next =
    d.offset + d.limit < d.total
      ? ` · <a href="/admin?q=${encodeURIComponent(d.q)}&amp;offset=${d.offset + d.limit}">next page</a>`
      : ""
  const prev =
    d.offset > 0
      ? ` · <a href="/admin?q=${encodeURIComponent(d.q)}&amp;offset=${Math.max(0, d.offset - d.limit)}">previous page</a>`
      : ""
  return document(
    "Shares",
    `<h1>Shares</h1>${notice}${stats}${policy}<h2>Shares</h2>${search}<p class="muted">${d.total} share(s)${d.total ? `, showing ${d.offset + 1}–${d.offset + d.shares.length}` : ""}${prev}${next}</p>${table}`,
    d.signed,
  )
}

export function share(s: AdminShare, days: DayViews[], audit: AuditRow[], signed: Signed, viewAccess: string): string {
  const facts: [string, string][] = [
    ["Title", escape(s.title ?? "(untitled)")],
    ["Share id", id(s.id, 64)],
    ["Session", id(s.sessionID)],
    ["Owner", owner(s.ownerID)],
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
  return document(
    s.title ?? s.id,
    `<h1>${escape(s.title ?? "(untitled)")}</h1>${open}${table}${takedown}<h2>Views per day</h2>${views}<h2>Audit</h2>${auditTable(audit)}`,
    signed,
  )
}

function auditTable(rows: AuditRow[]): string {
  if (!rows.length) return `<p class="muted">No entries.</p>`
  const value = (k: string, v: unknown) => (k.endsWith("At") && typeof v === "number" ? time(v) : String(v))
  const detail = (d: AuditRow["detail"]) =>
    d
      ? escape(
          Object.entries(d)
            .map(([k, v]) => `${k}=${value(k, v)}`)
            .join(" "),
        )
      : ""
  return `<table class="list"><thead><tr><th>Time (UTC)</th><th>Action</th><th>Share</th><th>Actor</th><th>IP hash</th><th>Detail</th></tr></thead><tbody>${rows.map((r) => `<tr><td data-label="Time (UTC)">${time(r.at)}</td><td data-label="Action">${escape(r.action)}</td><td data-label="Share">${r.shareID ? `<a href="/admin/shares/${encodeURIComponent(r.shareID)}">${id(r.shareID)}</a>` : "—"}</td><td data-label="Actor"><span>${escape(r.actorKind)}${r.actorID ? ` ${id(r.actorID)}` : ""}</span></td><td data-label="IP hash">${r.ipHash ? id(r.ipHash, 12) : "—"}</td><td data-label="Detail" class="detail">${detail(r.detail)}</td></tr>`).join("")}</tbody></table>`
}

export type AuditQuery = { action: string; share: string; actor: string; actorId: string; from: string; to: string }

export function audit(rows: AuditRow[], q: AuditQuery, signed: Signed, more: string | undefined): string {
  const option = (value: string, selected: string) =>
    `<option value="${escape(value)}"${value === selected ? " selected" : ""}>${escape(value || "any")}</option>`
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
