// Reading controls, added by script because they need it: copy buttons (code blocks, terminal
// blocks, prompts, each turn's last answer), "copy link" on turn and part permalinks, and in the
// bar's menu expand/collapse all tools, hide reasoning, unified/split diffs; previous/next turn
// beside it. Every control sits beside what it acts on, never over content.
// Choices live on <body> (a class or data attribute), so turns that arrive live follow them;
// live.js announces each node it swaps in with a "share:updated" event.
;(function () {
  "use strict"
  var body = document.body
  var share = body.getAttribute("data-share")
  if (!share) return
  var permalink = location.origin + "/share/" + encodeURIComponent(share)
  body.classList.add("js")

  function load(key) {
    try {
      return window.localStorage.getItem("agentshare:" + key)
    } catch (_) {
      return null
    }
  }
  function save(key, value) {
    try {
      window.localStorage.setItem("agentshare:" + key, value)
    } catch (_) {
      /* private mode */
    }
  }

  // `label` names the button for screen readers when its text alone says too little; it
  // always begins with the visible text, so voice control finds the button by what it shows.
  function button(cls, text, label) {
    var b = document.createElement("button")
    b.type = "button"
    b.className = cls
    b.textContent = text
    if (label && label !== text) {
      b.setAttribute("aria-label", label)
      b.title = label
    }
    return b
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text)
    // Plain-http deployments: the older selection API still copies.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea")
      area.value = text
      area.setAttribute("readonly", "")
      area.className = "copy-buffer"
      body.appendChild(area)
      area.select()
      var ok = false
      try {
        ok = document.execCommand("copy")
      } catch (_) {
        ok = false
      }
      area.remove()
      if (ok) resolve()
      else reject(new Error("copy failed"))
    })
  }

  // "Copied" shows until the pointer or focus moves on.
  function copied(b, ok) {
    b.setAttribute("data-copied", ok ? "1" : "0")
    var reset = function () {
      b.removeAttribute("data-copied")
      b.removeEventListener("mouseleave", reset)
      b.removeEventListener("blur", reset)
    }
    b.addEventListener("mouseleave", reset)
    b.addEventListener("blur", reset)
  }

  // Text without our own notes ("… N more characters"); line numbers are never text.
  function textOf(el) {
    var c = el.cloneNode(true)
    var notes = c.querySelectorAll(".muted")
    for (var i = 0; i < notes.length; i++) notes[i].remove()
    return c.textContent
  }

  // Buttons sit in a row of their own above a block (or below a prompt), never over it; a
  // block's own text is all a copy takes.
  function enhance(root) {
    var blocks = root.querySelectorAll(".md pre, pre.code, pre.term")
    for (var i = 0; i < blocks.length; i++) {
      var pre = blocks[i]
      if (pre.parentElement.classList.contains("copy-wrap")) continue
      var wrap = document.createElement("div")
      wrap.className = "copy-wrap"
      pre.replaceWith(wrap)
      wrap.appendChild(pre)
      var what = pre.classList.contains("term") ? "Copy command and output" : "Copy code"
      var lang = /(?:^| )language-([\w+#.-]{1,20})/.exec((pre.querySelector("code") || pre).className)
      var head = document.createElement("span")
      head.className = "lang"
      head.textContent = pre.classList.contains("term") ? "terminal" : lang ? lang[1] : ""
      wrap.appendChild(head)
      wrap.appendChild(button("copy", "Copy", what))
    }
    var heads = root.querySelectorAll(".turn-head > .nav")
    for (var j = 0; j < heads.length; j++) {
      var anchor = heads[j].parentElement.querySelector(".anchor")
      if (!anchor || heads[j].querySelector(".copy-link")) continue
      heads[j].insertBefore(
        button("copy-link", "Link", "Link to turn " + anchor.textContent.replace(/^#/, "") + " (copy)"),
        heads[j].firstChild,
      )
    }
    // A call's link joins the head of the block it opens with, or gets a row of its own.
    var parts = root.querySelectorAll("details[data-part][id] > .tool-body")
    for (var k = 0; k < parts.length; k++) {
      if (parts[k].querySelector(".copy-link")) continue
      var link = button("copy-link", "Link", "Link to this call (copy)")
      var lead = parts[k].firstElementChild
      if (lead && lead.classList.contains("copy-wrap")) {
        lead.insertBefore(link, lead.querySelector(":scope > .copy"))
        continue
      }
      var row = document.createElement("div")
      row.className = "tool-actions"
      row.appendChild(link)
      parts[k].insertBefore(row, parts[k].firstChild)
    }
    // A prompt's copy button sits in its turn's head, beside the turn's link.
    var prompts = root.querySelectorAll(".turn > .msg.user")
    for (var p = 0; p < prompts.length; p++) {
      var nav = prompts[p].parentElement.querySelector(":scope > .turn-head > .nav")
      if (nav && prompts[p].querySelector(":scope > .user-text") && !nav.querySelector(".copy.prompt"))
        nav.insertBefore(button("copy prompt", "Copy prompt"), nav.firstChild)
    }
    var turns = root.matches && root.matches(".turn") ? [root] : root.querySelectorAll(".turn")
    for (var m = 0; m < turns.length; m++) lastAnswer(turns[m])
  }

  // A turn's last answer gets "copy" and "link" below it (a turn that grows into a newer
  // answer arrives re-rendered, so this runs on fresh HTML).
  function lastAnswer(turn) {
    var texts = turn.querySelectorAll(":scope > .msg.assistant > .md.text[id]")
    var last = texts[texts.length - 1]
    if (!last || (last.nextElementSibling && last.nextElementSibling.classList.contains("part-actions"))) return
    var row = document.createElement("div")
    row.className = "part-actions"
    row.appendChild(button("copy answer", "Copy", "Copy response"))
    row.appendChild(button("copy-link", "Link", "Link to this answer (copy)"))
    last.after(row)
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button.copy, button.copy-link")
    if (!b) return
    e.preventDefault()
    var text
    if (b.classList.contains("copy-link")) {
      var owner = b.closest(".turn-head")
        ? b.closest(".turn")
        : b.parentElement.classList.contains("part-actions")
          ? b.parentElement.previousElementSibling
          : b.closest("[data-part][id]")
      if (!owner || !owner.id) return
      text = permalink + "#" + encodeURIComponent(owner.id)
    } else if (b.classList.contains("answer")) {
      // The answer as it reads, without our own buttons and labels (hidden while it is read).
      var answer = b.parentElement.previousElementSibling
      answer.setAttribute("data-copying", "1")
      // What the reader sees (rendered line breaks, no hidden parts), not the DOM's text.
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
      text = answer.innerText
      answer.removeAttribute("data-copying")
    } else if (b.classList.contains("prompt")) {
      text = Array.prototype.map
        .call(b.closest(".turn").querySelectorAll(":scope > .msg.user > .user-text"), function (u) {
          return u.textContent
        })
        .join("\n\n")
    } else {
      text = textOf(b.parentElement.querySelector("pre"))
    }
    copy(text).then(
      function () {
        copied(b, true)
      },
      function () {
        copied(b, false)
      },
    )
  })

  // The reading menu in the bar (server-rendered with its no-script links), and previous/next
  // turn beside it.
  var menu = document.querySelector(".bar .menu")
  var panel = menu && menu.querySelector(".controls")
  var tools = document.querySelector(".bar .bar-tools")
  var prev = button("nav-prev", "↑", "Previous turn")
  var next = button("nav-next", "↓", "Next turn")
  var expand = button("expand-tools", "Expand all tools")
  var collapse = button("collapse-tools", "Collapse all tools")
  var reasoning = button("toggle-reasoning", "Hide reasoning")
  var split = button("toggle-split", "Split diffs side by side")
  reasoning.setAttribute("aria-pressed", "false")
  split.setAttribute("aria-pressed", "false")
  if (panel) {
    var first = panel.firstChild
    ;[expand, collapse, reasoning, split].forEach(function (b) {
      panel.insertBefore(b, first)
    })
    panel.insertBefore(document.createElement("hr"), first)
  }
  // Previous/next turn, except on the Changes view (it has no turns).
  if (tools && document.querySelector("#main") && body.getAttribute("data-view") !== "changes") {
    tools.insertBefore(next, tools.firstChild)
    tools.insertBefore(prev, next)
  }
  // The menu closes on Escape (focus back on it) and on a click outside it.
  if (menu) {
    menu.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && menu.open) {
        menu.open = false
        menu.querySelector("summary").focus()
      }
    })
    document.addEventListener("click", function (e) {
      if (menu.open && !menu.contains(e.target)) menu.open = false
    })
  }

  function setReasoning(hidden) {
    body.classList.toggle("hide-reasoning", hidden)
    reasoning.setAttribute("aria-pressed", String(hidden))
  }
  function setSplit(on) {
    body.classList.toggle("split-diffs", on)
    split.setAttribute("aria-pressed", String(on))
  }
  setReasoning(load("reasoning") === "hidden")
  setSplit(load("diffs") === "split")

  function allTools(open) {
    body.setAttribute("data-tools", open ? "open" : "closed")
    var list = document.querySelectorAll("details.tool, details.gathered")
    for (var i = 0; i < list.length; i++) list[i].open = open
  }
  expand.addEventListener("click", function () {
    allTools(true)
  })
  collapse.addEventListener("click", function () {
    allTools(false)
  })
  reasoning.addEventListener("click", function () {
    var hidden = !body.classList.contains("hide-reasoning")
    setReasoning(hidden)
    save("reasoning", hidden ? "hidden" : "shown")
  })
  split.addEventListener("click", function () {
    var on = !body.classList.contains("split-diffs")
    setSplit(on)
    save("diffs", on ? "split" : "unified")
  })

  // Previous/next turn: relative to the turn at the top of the window, through the outline's
  // links, so they also cross into the pages before and after this one. A share that had no
  // turns when the page loaded has no outline: then the turns on the page are the list.
  function entries() {
    var lis = document.querySelectorAll(".outline li[data-outline]")
    if (lis.length)
      return Array.prototype.map.call(lis, function (li) {
        var a = li.querySelector("a")
        return { id: li.getAttribute("data-outline"), href: a ? a.getAttribute("href") : "" }
      })
    return Array.prototype.map.call(document.querySelectorAll("#main > .turn"), function (t) {
      return { id: t.getAttribute("data-turn"), href: "#" + encodeURIComponent(t.id) }
    })
  }
  function byHash(hash) {
    try {
      return document.getElementById(decodeURIComponent(hash.slice(1)))
    } catch (_) {
      return null
    }
  }
  function current() {
    // The turn just navigated to, while it is in view (the last turns cannot scroll to the top).
    var named = location.hash && byHash(location.hash)
    if (named && named.matches("#main > .turn")) {
      var top = named.getBoundingClientRect().top
      if (top >= -4 && top < window.innerHeight - 40) return named
    }
    var list = document.querySelectorAll("#main > .turn")
    var at = null
    for (var i = 0; i < list.length; i++) {
      if (list[i].getBoundingClientRect().top <= 24) at = list[i]
      else break
    }
    return at
  }
  function position() {
    var items = entries()
    var cur = current()
    var index = -1
    if (cur) {
      for (var i = 0; i < items.length; i++)
        if (items[i].id === cur.getAttribute("data-turn")) {
          index = i
          break
        }
    } else {
      // Above the first turn shown: "next" is that turn.
      var first = document.querySelector("#main > .turn")
      for (var j = 0; first && j < items.length; j++)
        if (items[j].id === first.getAttribute("data-turn")) {
          index = j - 0.5
          break
        }
    }
    return { items: items, index: index }
  }
  function go(step) {
    var p = position()
    var target = p.items[step > 0 ? Math.floor(p.index) + 1 : Math.ceil(p.index) - 1]
    var href = target && target.href
    if (!href) return
    if (href.charAt(0) !== "#") {
      location.href = href
      return
    }
    var el = byHash(href)
    if (!el) return
    el.scrollIntoView()
    el.focus({ preventScroll: true })
    history.replaceState(null, "", href)
    refresh()
  }
  function refresh() {
    var p = position()
    prev.disabled = !p.items.length || Math.ceil(p.index) - 1 < 0
    next.disabled = !p.items.length || Math.floor(p.index) + 1 >= p.items.length
  }
  prev.addEventListener("click", function () {
    go(-1)
  })
  next.addEventListener("click", function () {
    go(1)
  })
  var queued = false
  window.addEventListener(
    "scroll",
    function () {
      if (queued) return
      queued = true
      requestAnimationFrame(function () {
        queued = false
        refresh()
      })
    },
    { passive: true },
  )

  // A block that scrolls (long code, wide tables) takes focus, so arrow keys can scroll it.
  function scrollers(root) {
    var els = root.querySelectorAll("pre, .usage table, .diff-split, .md table")
    for (var i = 0; i < els.length; i++) {
      var el = els[i]
      if (el.hasAttribute("tabindex") || !el.offsetParent) continue
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) el.tabIndex = 0
    }
  }
  document.addEventListener(
    "toggle",
    function (e) {
      if (e.target.open) scrollers(e.target)
    },
    true,
  )
  window.addEventListener("resize", function () {
    scrollers(document)
  })

  document.addEventListener("share:updated", function (e) {
    if (e.target.nodeType === 1 && !e.target.matches("li")) enhance(e.target)
    refresh()
  })
  enhance(document)
  scrollers(document)
  refresh()
})()
