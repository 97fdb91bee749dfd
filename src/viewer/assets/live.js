// The share page's only script (served from our origin; the CSP allows nothing else).
// Reading needs none of it: it adds live updates, local times, keyboard navigation and
// permalink fallbacks. Everything it inserts is HTML the server rendered and escaped. A share
// that is working is asked again once it should have gone quiet (IDLE_AFTER), so an open page
// turns from "working…" to ended on its own; a removed share's content leaves the page.
;(function () {
  "use strict"
  var body = document.body
  var share = body.getAttribute("data-share")
  if (!share) return
  var base = "/share/" + encodeURIComponent(share)
  var seq = Number(body.getAttribute("data-seq")) || 0
  var latest = body.getAttribute("data-latest") === "1"
  var from = Number(body.getAttribute("data-from")) || 0
  var to = Number(body.getAttribute("data-to")) || 0
  var live = document.querySelector(".live")
  var label = live && live.querySelector(".live-label")
  var source = null
  var stopped = false
  var busy = false
  var pending = new Set()
  var pendingSeq = 0
  var retry = 1000
  var idleTimer = null

  function state(name, text) {
    body.setAttribute("data-live", name)
    if (live) live.setAttribute("data-state", name)
    if (label) label.textContent = text
  }

  function localTimes(root) {
    var els = root.querySelectorAll("time[datetime]")
    for (var i = 0; i < els.length; i++) {
      var d = new Date(els[i].getAttribute("datetime"))
      if (!isNaN(d.getTime())) {
        els[i].title = d.toISOString()
        var today = d.toDateString() === new Date().toDateString()
        els[i].textContent =
          els[i].getAttribute("data-style") === "time" && today
            ? d.toLocaleTimeString(undefined, { timeStyle: "short" })
            : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })
      }
    }
  }

  // A permalink to a turn or part that is not on this page: ask the server for its page.
  function followHash() {
    var id = decodeURIComponent(location.hash.slice(1))
    if (!/^[tmp]-/.test(id) || document.getElementById(id)) return
    var q = new URLSearchParams(location.search)
    if (q.get("at")) return
    location.replace(base + "?at=" + encodeURIComponent(id) + location.hash)
  }

  function main() {
    return document.getElementById("main")
  }

  // When the server said a working share turns quiet, ask for its working turns and header
  // again: the server decides (its clock, its last sync), the page only asks.
  function idleAt(ms) {
    if (idleTimer) clearTimeout(idleTimer)
    idleTimer = null
    if (!(ms > 0) || stopped) return
    idleTimer = setTimeout(
      function () {
        idleTimer = null
        var working = document.querySelectorAll("#main > .turn[data-running]")
        for (var i = 0; i < working.length; i++) pending.add(working[i].getAttribute("data-turn"))
        pending.add("")
        pull()
      },
      Math.min(ms + 250, 2147483647),
    )
  }

  function turns() {
    return main().querySelectorAll(":scope > .turn")
  }

  // Each <details> by its id, else by its place among the id-less ones under the nearest
  // element with an id (file lists, diffs), so a replaced node can find its twin.
  function detailsByKey(root) {
    var map = new Map()
    var counts = new Map()
    var all = root.querySelectorAll("details")
    for (var i = 0; i < all.length; i++) {
      var d = all[i]
      var key = d.id
      if (!key) {
        var owner = d.parentElement && d.parentElement.closest("[id]")
        var at = owner ? owner.id : ""
        var n = counts.get(at) || 0
        counts.set(at, n + 1)
        key = at + "/" + n
      }
      map.set(key, d)
    }
    return map
  }

  // A replaced node keeps what the reader chose: a <details> they toggled (or all tools, after
  // "expand/collapse all") stays as it was; otherwise an open one stays open and the server's
  // choice stands. New tools follow "expand/collapse all".
  function keepOpen(oldEl, newEl) {
    var before = oldEl ? detailsByKey(oldEl) : new Map()
    var mode = body.getAttribute("data-tools")
    detailsByKey(newEl).forEach(function (d, key) {
      var old = before.get(key)
      var tool = d.classList.contains("tool") || d.classList.contains("gathered")
      if (old && old.hasAttribute("data-user")) {
        d.open = old.open
        d.setAttribute("data-user", "1")
      } else if (mode && tool) d.open = mode === "open"
      else if (old && old.open) d.open = true
    })
  }

  function updated(node) {
    node.dispatchEvent(new CustomEvent("share:updated", { bubbles: true }))
  }

  // Remember which <details> the reader opened or closed themselves.
  document.addEventListener("click", function (e) {
    var s = e.target.closest && e.target.closest("summary")
    if (s && s.parentElement && s.parentElement.tagName === "DETAILS" && !e.target.closest("button"))
      s.parentElement.setAttribute("data-user", "1")
  })

  function apply(html) {
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html")
    var tpls = doc.querySelectorAll("template")
    var fresh = false
    for (var i = 0; i < tpls.length; i++) {
      var t = tpls[i]
      var kind = t.getAttribute("data-kind")
      var node = document.importNode(t.content, true).firstElementChild
      if (!node) continue
      if (kind === "header") {
        var old = document.getElementById("top")
        if (old) {
          keepOpen(old, node)
          old.replaceWith(node)
          localTimes(node)
          updated(node)
        }
        var s = Number(t.getAttribute("data-seq"))
        if (s > seq) seq = s
        idleAt(Number(node.getAttribute("data-idle-in")) || 0)
      } else if (kind === "turn") {
        var id = t.getAttribute("data-id")
        var index = Number(t.getAttribute("data-index"))
        var existing = document.getElementById("t-" + id)
        if (existing) {
          keepOpen(existing, node)
          existing.replaceWith(node)
          observe(node)
        } else if (latest && index >= from) {
          var m = main()
          var after = m.querySelector(":scope > .pager:last-child")
          var empty = m.querySelector(".empty")
          if (empty) empty.remove()
          keepOpen(null, node)
          m.insertBefore(node, after && after.getAttribute("aria-label") === "Later turns" ? after : null)
          node.classList.add("fresh")
          observe(node)
          to = Math.max(to, index + 1)
          fresh = true
        } else {
          notice()
          continue
        }
        localTimes(node)
        updated(node)
      } else if (kind === "outline") {
        var oid = t.getAttribute("data-id")
        var list = document.querySelector(".outline ol")
        var item = list && list.querySelector('li[data-outline="' + CSS.escape(oid) + '"]')
        if (item) item.replaceWith(node)
        else if (list) list.appendChild(node)
        var sum = document.querySelector(".outline summary")
        if (sum && list) sum.textContent = "Turns (" + list.children.length + ")"
        updated(node)
      }
    }
    body.setAttribute("data-seq", String(seq))
    if (fresh && nearBottom) window.scrollTo({ top: document.documentElement.scrollHeight })
  }

  function notice() {
    if (document.querySelector(".new-activity")) return
    var p = document.createElement("p")
    p.className = "new-activity banner"
    var a = document.createElement("a")
    a.href = base
    a.textContent = "New turns were added — go to the latest"
    p.appendChild(a)
    main().insertBefore(p, main().firstChild)
  }

  var nearBottom = false
  window.addEventListener(
    "scroll",
    function () {
      nearBottom = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 200
    },
    { passive: true },
  )

  // Fetch fragments one request at a time; changes that arrive meanwhile are merged.
  function pull() {
    if (busy || stopped || pending.size === 0) return
    busy = true
    var ids = Array.from(pending)
    pending.clear()
    var q = new URLSearchParams()
    ids.forEach(function (id) {
      q.append("turn", id)
    })
    // The last turn shown gains a "next" link when a turn is appended after it.
    var shown = turns()
    if (latest && shown.length) q.append("turn", shown[shown.length - 1].getAttribute("data-turn"))
    q.set("from", String(from))
    // A page showing the latest turns keeps showing them as more arrive.
    q.set("to", latest ? "1000000000" : String(to))
    fetch(base + "/fragment?" + q.toString(), { headers: { accept: "text/html" } })
      .then(function (r) {
        if (r.status === 404 || r.status === 410) {
          removed()
          return ""
        }
        if (!r.ok) throw new Error("HTTP " + r.status)
        return r.text()
      })
      .then(function (html) {
        if (html) apply(html)
      })
      .catch(function () {
        ids.forEach(function (id) {
          pending.add(id)
        })
      })
      .then(function () {
        busy = false
        if (pending.size) pull()
      })
  }

  var WHY = {
    unshared: "This share was removed by its owner.",
    "unshared by owner": "This share was removed by its owner.",
    taken_down: "This share was removed by an administrator.",
    expired: "This share has expired.",
  }

  // Pulled means gone: the conversation leaves the page and the notice takes its place.
  function removed(e) {
    if (stopped) return
    stopped = true
    if (source) source.close()
    if (idleTimer) clearTimeout(idleTimer)
    var reason = ""
    try {
      reason = e && e.data ? JSON.parse(e.data).reason : ""
    } catch (_) {
      reason = ""
    }
    state("removed", "This share was removed.")
    body.setAttribute("data-removed", "1")
    var page = document.querySelector(".page")
    var notice = document.createElement("main")
    notice.id = "main"
    notice.className = "status-page removed"
    notice.setAttribute("role", "alert")
    var h = document.createElement("h1")
    h.textContent = "Share removed"
    var p = document.createElement("p")
    p.textContent =
      (Object.prototype.hasOwnProperty.call(WHY, reason) ? WHY[reason] : "This share was removed or has expired.") +
      " Its content is no longer available."
    var home = document.createElement("p")
    var a = document.createElement("a")
    a.href = "/"
    a.textContent = "What is this server?"
    home.appendChild(a)
    notice.appendChild(h)
    notice.appendChild(p)
    notice.appendChild(home)
    if (page) page.replaceWith(notice)
    var tabs = document.querySelector(".bar .tabs")
    if (tabs) tabs.remove()
    var tools = document.querySelector(".bar .bar-tools")
    if (tools) tools.remove()
    document.title = "Share removed | agentshare"
  }

  function connect() {
    if (stopped) return
    state("connecting", "Connecting…")
    source = new EventSource(base + "/events?since=" + seq)
    source.onopen = function () {
      retry = 1000
      state("open", "Live: updates appear as they happen.")
    }
    source.addEventListener("sync", function (e) {
      var data
      try {
        data = JSON.parse(e.data)
      } catch (_) {
        return
      }
      if (data && data.reload) {
        location.reload()
        return
      }
      if (!data || !Array.isArray(data.turns)) return
      data.turns.forEach(function (id) {
        if (typeof id === "string") pending.add(id)
      })
      if (typeof data.seq === "number") pendingSeq = Math.max(pendingSeq, data.seq)
      // The header (totals, files changed) changes with any sync.
      if (data.turns.length === 0) pending.add("")
      pull()
    })
    source.addEventListener("removed", removed)
    // The instance is shutting down: the browser reconnects on its own (to another instance).
    source.addEventListener("reconnect", function () {
      state("connecting", "Server restarting; reconnecting…")
    })
    source.onerror = function () {
      if (stopped) return
      if (source.readyState === EventSource.CLOSED) {
        // The server refused the stream: find out whether the share is gone, else retry.
        fetch(base + ".json", { method: "HEAD" }).then(
          function (r) {
            if (r.status === 404 || r.status === 410) removed()
            else {
              state("connecting", "Reconnecting…")
              setTimeout(connect, retry)
              retry = Math.min(retry * 2, 30000)
            }
          },
          function () {
            state("error", "Offline; retrying…")
            setTimeout(connect, retry)
            retry = Math.min(retry * 2, 30000)
          },
        )
      } else state("connecting", "Reconnecting…")
    }
  }

  // Inside another site's iframe, a link to anywhere else opens a new tab: our full pages may
  // not be framed.
  if (body.classList.contains("embed")) {
    document.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a[href]")
      if (a && a.getAttribute("href").charAt(0) !== "#") {
        a.target = "_blank"
        a.rel = "noopener"
      }
    })
  }

  // j / k: next / previous turn.
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) return
    if (e.key !== "j" && e.key !== "k") return
    var list = turns()
    var y = window.scrollY + 10
    var target = null
    for (var i = 0; i < list.length; i++) {
      var top = list[i].getBoundingClientRect().top + window.scrollY
      if (e.key === "j" && top > y + 5) {
        target = list[i]
        break
      }
      if (e.key === "k" && top < y - 5) target = list[i]
    }
    if (target) {
      target.focus({ preventScroll: true })
      target.scrollIntoView()
      history.replaceState(null, "", "#" + target.id)
    }
  })

  // Highlight the outline entry of the turn in view.
  var io = null
  function observe(node) {
    if (io) io.observe(node)
  }
  if ("IntersectionObserver" in window) {
    io = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (en) {
          if (!en.isIntersecting) return
          var cur = document.querySelector(".outline li.current")
          if (cur) cur.classList.remove("current")
          var li = document.querySelector(
            '.outline li[data-outline="' + CSS.escape(en.target.getAttribute("data-turn")) + '"]',
          )
          if (li) li.classList.add("current")
        })
      },
      { rootMargin: "0px 0px -70% 0px" },
    )
    turns().forEach(function (t) {
      io.observe(t)
    })
  }

  if (window.matchMedia("(max-width: 860px)").matches) {
    var od = document.querySelector(".outline details")
    if (od) od.open = false
  }
  localTimes(document)
  idleAt(Number(body.getAttribute("data-idle-in")) || 0)
  followHash()
  window.addEventListener("hashchange", followHash)
  connect()
})()
