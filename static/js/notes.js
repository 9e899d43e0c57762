// Personal notes in the document viewer: highlight selected text, pin a note on a page, list the
// document's notes (mine, then my unit's shared ones) and draw them on every rendered page.
// Talks to the viewer through its DOM events (viewer:ready, viewer:pagerendered,
// viewer:pagechange) and window.hkgViewer.goToPage(n). Text is always set with textContent: a
// note's "<script>" stays text. No inline handlers or styles (CSP); positions are set through
// element.style, which the policy allows.
(function () {
  "use strict";

  var panel = document.getElementById("notes-panel");
  if (!panel) { return; }
  var S = JSON.parse(document.getElementById("notes-strings").textContent);
  var url = panel.dataset.url;
  var csrf = panel.dataset.csrf;
  var versionId = panel.dataset.version || null;
  var notes = [];
  var pages = {}; // page number -> page element
  var currentPage = 1;
  var pinMode = false;
  var pending = null; // the note being written: {page, rects, clientId} or {note}
  var saving = false;

  var hlButton = panel.querySelector('[data-notes-action="highlight"]');
  var pinButton = panel.querySelector('[data-notes-action="pin"]');
  var hint = document.getElementById("notes-hint");
  var errorBox = document.getElementById("notes-error");
  var form = document.getElementById("notes-form");
  var formTitle = document.getElementById("notes-form-title");
  var textField = document.getElementById("notes-text");
  var shareField = document.getElementById("notes-share");
  var defaultHint = hint.textContent;
  // The viewer's notes region and its toggle: on a phone or a tablet the region lies over the
  // pages, so it steps aside while a pin is placed and comes back with the form.
  var aside = document.getElementById("viewer-notes");
  var toggle = document.querySelector('[data-viewer-action="notes"]');
  // Floating bar over the pages: "Tô sáng" for a selection, "Huỷ" while pinning; it works with
  // the region closed too.
  var float = document.createElement("div");
  float.className = "notes-float";
  float.hidden = true;
  float.setAttribute("role", "toolbar");
  float.setAttribute("aria-label", S.tools);
  var floatHint = document.createElement("span");
  floatHint.className = "notes-float-hint";
  floatHint.setAttribute("aria-live", "polite");
  var floatHighlight = document.createElement("button");
  floatHighlight.type = "button";
  floatHighlight.className = "btn btn-warning notes-btn";
  floatHighlight.dataset.notesAction = "highlight";
  floatHighlight.textContent = S.highlight;
  var floatCancel = document.createElement("button");
  floatCancel.type = "button";
  floatCancel.className = "btn btn-light notes-btn";
  floatCancel.dataset.notesAction = "cancel-pin";
  floatCancel.textContent = S.cancel;
  float.append(floatHint, floatHighlight, floatCancel);
  document.body.appendChild(float);

  function panelOverlays() { return !!aside && window.getComputedStyle(aside).position === "fixed"; }
  function panelOpen() { return !!aside && !aside.hidden && !aside.classList.contains("viewer-notes-closed"); }
  function setPanel(open) { if (toggle && aside && panelOpen() !== open) { toggle.click(); } }

  function showFloat(mode) {
    float.hidden = !mode;
    floatHighlight.hidden = mode !== "highlight";
    floatCancel.hidden = mode !== "pin";
    floatHint.textContent = mode === "pin" ? S.pinHint : "";
    floatHint.hidden = mode !== "pin";
  }

  function fmt(template, value) { return template.replace("%s", value); }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function showError(message) {
    errorBox.textContent = message || "";
    errorBox.classList.toggle("d-none", !message);
  }

  function say(message) { hint.textContent = message || defaultHint; }

  function request(method, target, body) {
    var options = { method: method, credentials: "same-origin", headers: { "X-CSRFToken": csrf, "Accept": "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(target, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error(data.error || (response.status === 404 ? S.gone : S.failed));
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  function load() {
    return request("GET", url).then(function (data) {
      notes = data.notes;
      shareField.disabled = !data.mayShare;
      render();
    }).catch(function (error) {
      if (error.status !== undefined || navigator.onLine) { showError(error.message); }
    }).then(withPending);
  }

  // ---- the panel's list ---------------------------------------------------------------------
  function item(note) {
    var li = document.createElement("li");
    li.className = "notes-item" + (note.page === currentPage ? " notes-current" : "");
    li.dataset.noteId = note.id;
    var go = document.createElement("button");
    go.type = "button";
    go.className = "notes-go";
    go.dataset.page = note.page;
    var head = document.createElement("span");
    head.className = "notes-head";
    var badge = document.createElement("span");
    badge.className = "badge text-bg-primary";
    badge.textContent = fmt(S.page, note.page);
    head.appendChild(badge);
    var kind = document.createElement("span");
    kind.className = "badge " + (note.kind === "highlight" ? "text-bg-warning" : "text-bg-info");
    kind.textContent = note.kind === "highlight" ? S.highlight : S.pin;
    head.appendChild(kind);
    if (otherVersion(note)) {
      var version = document.createElement("span");
      version.className = "badge text-bg-secondary";
      version.textContent = fmt(S.otherVersion, note.versionNumber);
      head.appendChild(version);
    }
    if (note.pending) {
      var waiting = document.createElement("span");
      waiting.className = "badge text-bg-secondary notes-pending";
      waiting.textContent = S.pending;
      if (note.error) { waiting.title = note.error; }
      head.appendChild(waiting);
    }
    if (note.mine && note.shared) {
      var shared = document.createElement("span");
      shared.className = "badge text-bg-success";
      shared.textContent = S.shared;
      head.appendChild(shared);
    }
    if (!note.mine) {
      var by = document.createElement("span");
      by.className = "small text-body-secondary";
      by.textContent = fmt(S.by, note.author);
      head.appendChild(by);
    }
    go.appendChild(head);
    if (note.quote) {
      var quote = document.createElement("q");
      quote.className = "notes-quote";
      quote.textContent = note.quote;
      go.appendChild(quote);
    }
    if (note.text) {
      var text = document.createElement("span");
      text.className = "notes-text";
      text.textContent = note.text;
      go.appendChild(text);
    }
    var when = document.createElement("span");
    when.className = "small text-body-secondary";
    when.textContent = note.updated;
    go.appendChild(when);
    li.appendChild(go);
    if (note.mine && !note.pending) {
      var actions = document.createElement("div");
      actions.className = "notes-actions";
      [["edit", S.edit, "btn-outline-primary"], ["delete", S.delete, "btn-outline-danger"]].forEach(function (a) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-sm notes-btn " + a[2];
        button.dataset.notesAction = a[0];
        button.textContent = a[1];
        actions.appendChild(button);
      });
      li.appendChild(actions);
    }
    return li;
  }

  function render() {
    var mine = document.getElementById("notes-mine");
    var shared = document.getElementById("notes-shared");
    mine.replaceChildren();
    shared.replaceChildren();
    notes.forEach(function (note) { (note.mine ? mine : shared).appendChild(item(note)); });
    [[mine, S.none], [shared, S.noneShared]].forEach(function (pair) {
      if (!pair[0].children.length) {
        var empty = document.createElement("li");
        empty.className = "small text-body-secondary";
        empty.textContent = pair[1];
        pair[0].appendChild(empty);
      }
    });
    Object.keys(pages).forEach(function (n) { draw(Number(n)); });
  }

  // Made on another version than the one shown: still listed, and drawn on the same page number.
  function otherVersion(note) {
    return versionId ? String(note.versionId) !== String(versionId) : note.otherVersion;
  }

  function find(id) {
    for (var i = 0; i < notes.length; i++) { if (notes[i].id === id) { return notes[i]; } }
    return null;
  }

  // ---- drawing on the pages -----------------------------------------------------------------
  function place(element, rect) {
    element.style.left = rect[0] * 100 + "%";
    element.style.top = rect[1] * 100 + "%";
    if (rect[2]) { element.style.width = rect[2] * 100 + "%"; }
    if (rect[3]) { element.style.height = rect[3] * 100 + "%"; }
  }

  function draw(n) {
    var page = pages[n];
    if (!page || !page.isConnected) { return; }
    var layer = page.querySelector(":scope > .notes-layer");
    if (!layer) {
      layer = document.createElement("div");
      layer.className = "notes-layer";
      page.appendChild(layer);
      if (window.getComputedStyle(page).position === "static") { page.classList.add("notes-positioned"); }
    }
    layer.replaceChildren();
    notes.forEach(function (note) {
      if (note.page !== n) { return; }
      var extra = (note.mine ? "" : " notes-theirs") + (otherVersion(note) ? " notes-old" : "");
      if (note.kind === "highlight") {
        note.rects.forEach(function (rect) {
          var mark = document.createElement("div");
          mark.className = "notes-hl" + extra;
          mark.dataset.noteId = note.id;
          place(mark, rect);
          layer.appendChild(mark);
        });
      } else {
        var pinMark = document.createElement("button");
        pinMark.type = "button";
        pinMark.className = "notes-pin" + extra;
        pinMark.dataset.noteId = note.id;
        pinMark.setAttribute("aria-label", S.pin + ": " + note.text.slice(0, 80));
        pinMark.title = note.text.slice(0, 200);
        var icon = document.createElement("i");
        icon.className = "bi bi-pin-angle-fill";
        icon.setAttribute("aria-hidden", "true");
        pinMark.appendChild(icon);
        place(pinMark, note.rects[0]);
        layer.appendChild(pinMark);
      }
    });
  }

  function pageOf(node) {
    for (var n in pages) {
      if (pages[n] && pages[n].contains(node)) { return Number(n); }
    }
    return null;
  }

  function clamp(v) { return Math.min(1, Math.max(0, v)); }

  // The page's drawing area on screen: inside its border (pdf.js pages have one), the box the
  // notes layer (inset: 0) covers.
  function frame(n) {
    var el = pages[n];
    var box = el.getBoundingClientRect();
    return { left: box.left + el.clientLeft, top: box.top + el.clientTop, width: el.clientWidth, height: el.clientHeight };
  }

  // ---- highlighting a selection -------------------------------------------------------------
  function selectionOnPage() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return null; }
    var range = selection.getRangeAt(0);
    var n = pageOf(range.startContainer);
    if (n === null || pageOf(range.endContainer) !== n) { return null; }
    var quote = selection.toString().replace(/\s+/g, " ").trim();
    if (!quote) { return null; }
    var box = frame(n);
    var rects = [];
    Array.prototype.forEach.call(range.getClientRects(), function (r) {
      if (r.width < 1 || r.height < 1 || rects.length >= 60) { return; }
      var x = clamp((r.left - box.left) / box.width);
      var y = clamp((r.top - box.top) / box.height);
      var w = clamp((r.left + r.width - box.left) / box.width) - x;
      var h = clamp((r.top + r.height - box.top) / box.height) - y;
      if (w > 0 && h > 0) { rects.push([round(x), round(y), round(w), round(h)]); }
    });
    if (!rects.length) { return null; }
    return { page: n, quote: quote.slice(0, 1000), rects: rects };
  }

  function round(v) { return Math.floor(v * 10000) / 10000; }

  function onSelection() {
    var ready = !saving && selectionOnPage() !== null;
    hlButton.disabled = !ready;
    if (ready) { say(S.selectHint); }
    if (!pinMode) { showFloat(ready && !panelOpen() ? "highlight" : null); }
  }

  function saveHighlight() {
    var chosen = selectionOnPage();
    if (!chosen || saving) { return; }
    create({ kind: "highlight", page: chosen.page, quote: chosen.quote, rects: chosen.rects, text: "", clientId: uuid() })
      .then(function () { window.getSelection().removeAllRanges(); hlButton.disabled = true; showFloat(null); })
      .catch(function () { setPanel(true); });
  }

  function create(body) {
    saving = true;
    body.versionId = versionId;
    showError("");
    return request("POST", url, body).then(function (data) {
      notes = notes.filter(function (n) { return n.id !== data.note.id; });
      notes.push(data.note);
      notes.sort(order);
      render();
      say(S.saved);
      return data.note;
    }).catch(function (error) {
      // No network (a fetch that never reached the server): kept on the device and sent when
      // back online (offline.js), the same clientId making sure it is saved once.
      if (error.status === undefined && window.hkgOffline && body.clientId) {
        return window.hkgOffline.queueNote(url, body).then(function () {
          var note = pendingNote({ body: body });
          notes.push(note);
          notes.sort(order);
          render();
          say(S.queued);
          return note;
        });
      }
      showError(error.message);
      throw error;
    }).finally(function () { saving = false; });
  }

  // A note made offline, shown as waiting to be sent until the server has it.
  function pendingNote(item) {
    var b = item.body;
    return {
      id: "pending-" + b.clientId, clientId: b.clientId, kind: b.kind, page: b.page, quote: b.quote || "",
      text: b.text || "", rects: b.rects || [], shared: !!b.shared, mine: true, pending: true,
      error: item.error || "", versionId: b.versionId, otherVersion: false, updated: item.at || "",
    };
  }

  function withPending() {
    if (!window.hkgOffline) { return Promise.resolve(); }
    return window.hkgOffline.pendingNotes(url).then(function (items) {
      var known = {};
      notes.forEach(function (n) { if (n.clientId) { known[n.clientId] = true; } });
      items.forEach(function (item) {
        if (!known[item.body.clientId]) { notes.push(pendingNote(item)); }
      });
      notes.sort(order);
      render();
    });
  }
  document.addEventListener("offline:notes-sent", function () { load(); });

  function order(a, b) {
    if (a.mine !== b.mine) { return a.mine ? -1 : 1; }
    return a.page - b.page || (a.pending ? 1 : 0) - (b.pending ? 1 : 0) || a.id - b.id;
  }

  // ---- pinning and editing ------------------------------------------------------------------
  function setPinMode(on) {
    pinMode = on;
    pinButton.setAttribute("aria-pressed", on ? "true" : "false");
    pinButton.classList.toggle("active", on);
    document.body.classList.toggle("notes-pinning", on);
    say(on ? S.pinHint : "");
    if (on && panelOverlays()) { setPanel(false); }
    showFloat(on && !panelOpen() ? "pin" : null);
  }

  function openForm(title, text, shared) {
    formTitle.textContent = title;
    textField.value = text || "";
    shareField.checked = !!shared;
    form.classList.remove("d-none");
    textField.focus();
  }

  function closeForm() {
    pending = null;
    form.classList.add("d-none");
    form.querySelector('button[type="submit"]').disabled = false;
  }

  function onPageTap(event) {
    if (!pinMode || form.contains(event.target) || float.contains(event.target)) { return; }
    var n = pageOf(event.target);
    if (n === null) { return; }
    event.preventDefault();
    event.stopPropagation();
    var box = frame(n);
    var x = round(clamp((event.clientX - box.left) / box.width));
    var y = round(clamp((event.clientY - box.top) / box.height));
    setPinMode(false);
    setPanel(true);
    pending = { page: n, rects: [[x, y]], clientId: uuid() };
    openForm(fmt(S.newPin, n), "", false);
  }

  function submitForm(event) {
    event.preventDefault();
    if (!pending || saving) { return; }
    var submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    var text = textField.value;
    var done;
    if (pending.note) {
      var note = pending.note;
      saving = true;
      showError("");
      done = request("POST", note.updateUrl, { text: text, shared: shareField.checked }).then(function (data) {
        notes = notes.map(function (n) { return n.id === data.note.id ? data.note : n; });
        render();
        say(S.saved);
      }).catch(function (error) {
        showError(error.message);
        if (error.status === 404) { load(); }
        throw error;
      }).finally(function () { saving = false; });
    } else {
      if (!text.trim()) { showError(S.textRequired); submit.disabled = false; return; }
      done = create({ kind: "pin", page: pending.page, rects: pending.rects, text: text, shared: shareField.checked, clientId: pending.clientId });
    }
    // On an error the form stays with what was typed (and the same id, so a retry saves once).
    done.then(closeForm, function () { submit.disabled = false; });
  }

  function remove(note) {
    if (!window.confirm(S.confirmDelete)) { return; }
    request("POST", note.deleteUrl).then(function () {
      notes = notes.filter(function (n) { return n.id !== note.id; });
      render();
      say(S.deleted);
    }).catch(function (error) { showError(error.message); if (error.status === 404) { load(); } });
  }

  function goTo(n) {
    if (window.hkgViewer && window.hkgViewer.goToPage) { window.hkgViewer.goToPage(n); }
  }

  // ---- wiring -----------------------------------------------------------------------------
  function onClick(event) {
    var action = event.target.closest("[data-notes-action]");
    var li = event.target.closest("[data-note-id]");
    var note = li ? find(Number(li.dataset.noteId)) : null;
    if (action) {
      var name = action.dataset.notesAction;
      if (name === "highlight") { saveHighlight(); }
      else if (name === "pin") { closeForm(); setPinMode(!pinMode); }
      else if (name === "cancel") { closeForm(); say(""); }
      else if (name === "cancel-pin") { setPinMode(false); }
      else if (name === "edit" && note) { pending = { note: note }; openForm(fmt(S.editNote, note.page), note.text, note.shared); }
      else if (name === "delete" && note) { remove(note); }
      return;
    }
    var go = event.target.closest(".notes-go");
    if (go) { goTo(Number(go.dataset.page)); }
  }
  panel.addEventListener("click", onClick);
  float.addEventListener("click", onClick);
  // Keep the selection when the highlight button is pressed (a tap would otherwise clear it).
  hlButton.addEventListener("mousedown", function (event) { event.preventDefault(); });
  hlButton.addEventListener("pointerdown", function (event) { event.preventDefault(); });
  floatHighlight.addEventListener("mousedown", function (event) { event.preventDefault(); });
  floatHighlight.addEventListener("pointerdown", function (event) { event.preventDefault(); });
  form.addEventListener("submit", submitForm);
  document.addEventListener("selectionchange", onSelection);
  document.addEventListener("click", onPageTap, true);
  // A pin drawn on a page opens its note in the panel.
  document.addEventListener("click", function (event) {
    var mark = event.target.closest(".notes-pin");
    if (!mark || pinMode) { return; }
    var li = panel.querySelector('.notes-item[data-note-id="' + mark.dataset.noteId + '"]');
    if (li) { li.scrollIntoView({ block: "nearest" }); li.querySelector(".notes-go").focus(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && pinMode) { setPinMode(false); }
  });

  document.addEventListener("viewer:ready", function (event) {
    if (event.detail && event.detail.versionId) { versionId = event.detail.versionId; render(); }
  });
  document.addEventListener("viewer:pagerendered", function (event) {
    var d = event.detail || {};
    if (!d.pageNumber || !d.pageElement) { return; }
    pages[d.pageNumber] = d.pageElement;
    draw(d.pageNumber);
  });
  document.addEventListener("viewer:pagechange", function (event) {
    currentPage = (event.detail && event.detail.pageNumber) || currentPage;
    panel.querySelectorAll(".notes-item").forEach(function (li) {
      var note = find(Number(li.dataset.noteId));
      li.classList.toggle("notes-current", !!note && note.page === currentPage);
    });
  });

  load();
})();
