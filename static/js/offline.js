// Reading anywhere, even offline: the pages' side. Keeps a meeting on the device (its page, each
// document's viewer page, PDF and notes, in the account's own cache, with a progress bar and the
// space it takes; or, as the reader chooses, the meeting pack as one file with the page that reads
// it), marks kept meetings in the lists, lists and frees them on the account page,
// refreshes them when back online (new documents and versions, access lost, days passed), and
// holds notes made offline in IndexedDB (the idb package) until they are sent, once each (the
// note's clientId is the server's idempotency key). Nothing of one account is left for the next
// on a shared tablet: other accounts' caches and databases are deleted on sight, and signing out
// deletes this one's (besides the server's Clear-Site-Data).
/* global idb */
(function () {
  "use strict";

  var body = document.body;
  var account = body.dataset.offlineAccount;
  if (!account) { return; }
  var S = JSON.parse(document.getElementById("offline-strings").textContent);
  var DB = "hkg-offline-" + account;
  var PREFIX = "hkg-" + account + "-";
  var banner = document.getElementById("offline-banner");
  var notice = document.getElementById("offline-notice");
  var supported = "serviceWorker" in navigator && "caches" in window && "indexedDB" in window && !!window.idb;
  var csrf = (JSON.parse(body.getAttribute("hx-headers") || "{}") || {})["X-CSRFToken"] || "";

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function size(bytes) {
    var lang = document.documentElement.lang || "vi";
    var mb = bytes / (1024 * 1024);
    return mb >= 1
      ? new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(mb) + " MB"
      : new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(Math.max(1, bytes / 1024)) + " KB";
  }
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function when(date) {
    return two(date.getDate()) + "/" + two(date.getMonth() + 1) + "/" + date.getFullYear() + " " + two(date.getHours()) + ":" + two(date.getMinutes());
  }
  function tell(message) {
    if (!notice || !message) { return; }
    notice.textContent = notice.hidden ? message : notice.textContent + " " + message;
    notice.hidden = false;
  }
  var served = body.dataset.offlineServed === "true";
  function showOnline() { if (banner) { banner.hidden = navigator.onLine && !served; } }

  // ---- storage ------------------------------------------------------------------------------
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = idb.openDB(DB, 1, {
        upgrade: function (d) {
          d.createObjectStore("packs", { keyPath: "meeting" });
          d.createObjectStore("outbox", { keyPath: "clientId" });
        },
      });
    }
    return dbPromise;
  }
  // Opening the database creates it: pages only look into it once the account kept something.
  function hasDb() {
    if (!supported || !indexedDB.databases) { return Promise.resolve(false); }
    return indexedDB.databases().then(function (list) {
      return list.some(function (d) { return d.name === DB; });
    });
  }
  function packs() {
    return hasDb().then(function (yes) { return yes ? db().then(function (d) { return d.getAll("packs"); }) : []; });
  }
  function cacheName(meeting) { return PREFIX + "m" + meeting; }

  function forgetOthers() {
    if (!supported) { return Promise.resolve(); }
    var dbs = indexedDB.databases ? indexedDB.databases() : Promise.resolve([]);
    return Promise.all([
      dbs.then(function (list) {
        return Promise.all(list.filter(function (d) {
          return d.name && d.name.indexOf("hkg-offline-") === 0 && d.name !== DB;
        }).map(function (d) { return idb.deleteDB(d.name); }));
      }),
      caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) {
          return n.indexOf("hkg-") === 0 && n !== "hkg-static" && n.indexOf(PREFIX) !== 0;
        }).map(function (n) { return caches.delete(n); }));
      }),
    ]);
  }

  function register() {
    return navigator.serviceWorker.register(body.dataset.offlineSw, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (registration.active) { registration.active.postMessage({ type: "account", account: account }); }
      return registration;
    });
  }

  function get(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error(data.error || ("HTTP " + response.status));
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  // Asks for the reader's meeting pack (packs:prepare); the worker builds it.
  function prepare(url) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "HX-Request": "true" },
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
    });
  }
  function delay(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  // What a kept viewer page loads: its scripts, styles and pdf.js, kept with the static files.
  function assetsOf(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var urls = [];
    page.querySelectorAll("script[src], link[rel=stylesheet][href]").forEach(function (el) {
      urls.push(el.getAttribute("src") || el.getAttribute("href"));
    });
    var viewer = page.getElementById("viewer");
    if (viewer) { urls.push(viewer.dataset.pdfjs, viewer.dataset.worker); }
    return urls.filter(function (u) { return u && u.indexOf("/static/") === 0; });
  }

  // Fetches and keeps `items` ({url, from}) in the meeting's cache; counts bytes, reports progress.
  function keepAll(meeting, items, progress) {
    var done = 0;
    var bytes = 0;
    var assets = {};
    return caches.open(cacheName(meeting)).then(function (cache) {
      var queue = items.slice();
      function next() {
        var item = queue.shift();
        if (!item) { return Promise.resolve(); }
        return fetch(item.from || item.url, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status + " " + (item.from || item.url)); }
          return response.blob().then(function (blob) {
            bytes += blob.size;
            var headers = new Headers(response.headers);
            headers.set("Content-Length", String(blob.size));
            headers.delete("Content-Encoding");
            var kept = new Response(blob, { status: 200, headers: headers });
            var pending = [cache.put(item.url, kept)];
            if (item.html) {
              pending.push(blob.text().then(function (html) { assetsOf(html).forEach(function (u) { assets[u] = true; }); }));
            }
            return Promise.all(pending);
          });
        }).then(function () {
          done += 1;
          progress(done, items.length);
          return next();
        });
      }
      // Two at a time: a tablet on the office's Wi-Fi, without flooding the server.
      return Promise.all([next(), next()]);
    }).then(function () {
      return caches.open("hkg-static").then(function (cache) {
        return Promise.all(Object.keys(assets).map(function (u) {
          return cache.match(u).then(function (hit) { return hit || cache.add(u).catch(function () {}); });
        }));
      });
    }).then(function () { return bytes; });
  }

  function itemsOf(pack, only) {
    var items = [];
    if (!only) {
      items.push({ url: pack.page, html: true });
      pack.assets.forEach(function (u) { items.push({ url: u }); });
    }
    pack.documents.forEach(function (doc) {
      if (only && !only[doc.id]) { return; }
      items.push({ url: doc.viewer, html: true });
      items.push({ url: doc.pdf, from: doc.source });
      items.push({ url: doc.notes });
    });
    return items;
  }

  // The row kept in IndexedDB: what was kept of the meeting, to show it and to refresh it. `whole`:
  // kept as the meeting pack (one file), with its key, instead of the documents one by one.
  function record(pack, bytes, keptAt, whole) {
    var docs = {};
    if (!whole) {
      pack.documents.forEach(function (doc) {
        docs[doc.id] = { version: doc.version, versionNumber: doc.versionNumber, title: doc.title, viewer: doc.viewer, pdf: doc.pdf, notes: doc.notes };
      });
    }
    return {
      meeting: pack.meeting, title: pack.title, page: pack.page, keepUrl: pack.keepUrl, keepUntil: pack.keepUntil,
      keepUntilText: pack.keepUntilText, keptAt: keptAt || when(new Date()), bytes: bytes, docs: docs,
      whole: whole ? { key: whole.key, url: whole.url, viewer: whole.viewer, size: whole.size, pages: whole.pages } : null,
    };
  }

  // The keep-list once the reader's pack is ready: asked for when it is not, then looked at again
  // every few seconds while the worker builds it. Refused (restricted documents not allowed
  // offline, no documents) or failed: the reason, as an error.
  var PACK_WAIT = 10 * 60 * 1000;
  function readyPack(url, pack, waiting) {
    var deadline = Date.now() + PACK_WAIT;
    var asked = false;
    function look(current) {
      var whole = current.meetingPack;
      if (!whole) { throw new Error(S.packNone); }
      if (whole.state === "ready") { return current; }
      if (whole.state === "withheld" || whole.state === "empty" || (whole.state === "failed" && asked)) {
        throw new Error(whole.reason || S.packNone);
      }
      if (Date.now() > deadline) { throw new Error(S.packSlow); }
      waiting();
      var ask = whole.state === "waiting" ? Promise.resolve() : prepare(whole.prepareUrl);
      asked = asked || whole.state !== "waiting";
      return ask.then(function () { return delay(2000); }).then(function () { return get(url); }).then(look);
    }
    return Promise.resolve(pack).then(look);
  }

  function wholeItems(pack) {
    var items = [{ url: pack.page, html: true }, { url: pack.meetingPack.viewer, html: true }, { url: pack.meetingPack.url }];
    pack.assets.forEach(function (u) { items.push({ url: u }); });
    return items;
  }

  // The meeting kept as one file: its page, the pack's reading page and the pack's PDF at the
  // address the pages link to (packs:download), so that it opens without a network.
  function keepWhole(meeting, url, progress, waiting) {
    return get(url).then(function (pack) {
      return readyPack(url, pack, waiting);
    }).then(function (pack) {
      return caches.delete(cacheName(meeting)).then(function () {
        return keepAll(meeting, wholeItems(pack), progress);
      }).then(function (bytes) {
        var row = record(pack, bytes, null, pack.meetingPack);
        return db().then(function (d) { return d.put("packs", row); }).then(function () { return { row: row, pack: pack }; });
      });
    });
  }

  function keep(meeting, url, progress) {
    return get(url).then(function (pack) {
      return caches.delete(cacheName(meeting)).then(function () {
        return keepAll(meeting, itemsOf(pack), progress);
      }).then(function (bytes) {
        var row = record(pack, bytes);
        return db().then(function (d) { return d.put("packs", row); }).then(function () { return { row: row, pack: pack }; });
      });
    });
  }

  function remove(meeting) {
    return caches.delete(cacheName(meeting)).then(function () {
      return hasDb();
    }).then(function (yes) {
      return yes ? db().then(function (d) { return d.delete("packs", meeting); }) : null;
    });
  }

  // ---- back online: what changed, what may no longer be kept ---------------------------------
  // A kept pack whose key changed (new documents or versions): replaced by the new one, asked for
  // and waited for here (the old one stays until then, and if it cannot be had now); no longer
  // to be kept (a restricted document not allowed offline came in): removed, saying why.
  function refreshWhole(row, pack) {
    var whole = pack.meetingPack;
    if (whole && whole.key === row.whole.key) { return Promise.resolve([]); }
    if (!whole || whole.state === "withheld" || whole.state === "empty") {
      return remove(row.meeting).then(function () {
        return [fmt(S.packRemoved, { title: row.title, reason: whole ? whole.reason : S.packNone })];
      });
    }
    return readyPack(row.keepUrl, pack, function () {}).then(function (fresh) {
      return caches.open(cacheName(row.meeting)).then(function (cache) {
        return cache.delete(row.whole.url);
      }).then(function () {
        return keepAll(row.meeting, wholeItems(fresh), function () {});
      }).then(function (bytes) {
        var kept = record(fresh, bytes, row.keptAt, fresh.meetingPack);
        return db().then(function (d) { return d.put("packs", kept); });
      }).then(function () { return [fmt(S.packUpdated, { title: row.title })]; });
    }, function () { return []; });
  }

  function refresh(row) {
    return get(row.keepUrl).then(function (pack) {
      if (row.whole) { return refreshWhole(row, pack); }
      var changes = [];
      var fetchOnly = {};
      var gone = [];
      pack.documents.forEach(function (doc) {
        var had = row.docs[doc.id];
        if (!had) {
          changes.push(fmt(S.newDocument, { title: doc.title }));
          fetchOnly[doc.id] = true;
        } else if (had.version !== doc.version) {
          changes.push(fmt(S.newVersion, { title: doc.title, n: doc.versionNumber }));
          fetchOnly[doc.id] = true;
          gone.push(had.pdf);
        }
      });
      Object.keys(row.docs).forEach(function (id) {
        if (!pack.documents.some(function (doc) { return String(doc.id) === id; })) {
          changes.push(fmt(S.goneDocument, { title: row.docs[id].title }));
          gone.push(row.docs[id].pdf, row.docs[id].viewer, row.docs[id].notes);
        }
      });
      if (!changes.length) { return []; }
      return caches.open(cacheName(row.meeting)).then(function (cache) {
        return Promise.all(gone.map(function (u) { return cache.delete(u); }));
      }).then(function () {
        return keepAll(row.meeting, itemsOf(pack, fetchOnly).concat([{ url: pack.page, html: true }]), function () {});
      }).then(function (bytes) {
        var kept = record(pack, 0, row.keptAt);
        kept.bytes = Math.max(0, row.bytes + bytes);
        return db().then(function (d) { return d.put("packs", kept); });
      }).then(function () { return changes; });
    });
  }

  function syncPacks() {
    return packs().then(function (rows) {
      var now = new Date();
      var expired = rows.filter(function (r) { return new Date(r.keepUntil) < now; });
      var live = rows.filter(function (r) { return new Date(r.keepUntil) >= now; });
      return Promise.all(expired.map(function (r) { return remove(r.meeting); })).then(function () {
        if (!live.length || !navigator.onLine) { return expired.length ? fmt(S.dropped, { n: expired.length }) : ""; }
        var ids = live.map(function (r) { return r.meeting; });
        return get(body.dataset.offlineCheck + "?cuoc-hop=" + ids.join(",")).then(function (answer) {
          var drop = answer.drop || [];
          return Promise.all(drop.map(remove)).then(function () {
            var kept = live.filter(function (r) { return drop.indexOf(r.meeting) < 0; });
            return Promise.all(kept.map(function (r) { return refresh(r).catch(function () { return []; }); }));
          }).then(function (lists) {
            var messages = [];
            var changes = [].concat.apply([], lists);
            if (drop.length + expired.length) { messages.push(fmt(S.dropped, { n: drop.length + expired.length })); }
            if (changes.length) { messages.push(fmt(S.updated, { list: changes.join("; ") })); }
            return messages.join(" ");
          });
        });
      });
    });
  }

  // ---- notes made offline --------------------------------------------------------------------
  function queueNote(url, note) {
    return db().then(function (d) {
      return d.put("outbox", { clientId: note.clientId, url: url, body: note, at: when(new Date()), error: "" });
    }).then(function () { markPending(); });
  }

  function pendingNotes(url) {
    return hasDb().then(function (yes) {
      if (!yes) { return []; }
      return db().then(function (d) { return d.getAll("outbox"); }).then(function (all) {
        return url ? all.filter(function (n) { return n.url === url; }) : all;
      });
    });
  }

  var flushing = null;
  function flush() {
    if (flushing) { return flushing; }
    flushing = pendingNotes().then(function (all) {
      var sent = 0;
      var chain = Promise.resolve();
      function post(item, body) {
        return fetch(item.url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
          body: JSON.stringify(body),
        });
      }
      all.forEach(function (item) {
        chain = chain.then(function () {
          return post(item, item.body).then(function (response) {
            // The document got a new version while the note waited: readers note on the current
            // one only, so the note goes there, on the same page (as notes follow new versions).
            if (response.status === 400 && item.body.versionId) {
              var current = Object.assign({}, item.body);
              delete current.versionId;
              return post(item, current);
            }
            return response;
          }).then(function (response) {
            if (response.ok) {
              sent += 1;
              return db().then(function (d) { return d.delete("outbox", item.clientId); });
            }
            // Refused (the document gone, a rule changed): kept and shown, never dropped unseen.
            return response.json().catch(function () { return {}; }).then(function (data) {
              item.error = data.error || ("HTTP " + response.status);
              return db().then(function (d) { return d.put("outbox", item); });
            });
          });
        });
      });
      return chain.then(function () { return sent; }, function () { return sent; });
    }).then(function (sent) {
      if (sent) {
        tell(fmt(S.sent, { n: sent }));
        document.dispatchEvent(new CustomEvent("offline:notes-sent", { detail: { sent: sent } }));
      }
      markPending();
      return sent;
    }).finally(function () { flushing = null; });
    return flushing;
  }

  function markPending() {
    var box = document.getElementById("offline-pending");
    if (!box) { return; }
    pendingNotes().then(function (all) {
      box.textContent = all.length ? fmt(S.pending, { n: all.length }) : "";
      box.hidden = !all.length;
    });
  }

  // ---- the pages -----------------------------------------------------------------------------
  function keepSection(section) {
    var meeting = Number(section.dataset.meeting);
    var keepButton = section.querySelector('[data-offline-action="keep"]');
    var removeButton = section.querySelector('[data-offline-action="remove"]');
    var bar = section.querySelector("progress");
    var status = section.querySelector("[data-offline-status]");
    var withheld = section.querySelector("[data-offline-withheld]");
    var read = section.querySelector("[data-offline-pack-read]");
    function mode() {
      var chosen = section.querySelector('[data-offline-mode] input[type="radio"]:checked');
      return chosen ? chosen.value : "documents";
    }
    function show(row) {
      removeButton.hidden = !row;
      if (read) { read.hidden = !(row && row.whole); }
      if (row) {
        var choice = section.querySelector('[data-offline-mode] input[value="' + (row.whole ? "pack" : "documents") + '"]');
        if (choice) { choice.checked = true; }
      }
      status.textContent = row ? fmt(row.whole ? S.keptPack : S.kept, { size: size(row.bytes), until: row.keepUntilText }) : "";
    }
    packs().then(function (rows) { show(rows.filter(function (r) { return r.meeting === meeting; })[0]); });
    keepButton.addEventListener("click", function () {
      if (!supported) { status.textContent = S.unsupported; return; }
      if (!navigator.onLine) { status.textContent = S.offline; return; }
      keepButton.disabled = true;
      bar.hidden = false;
      bar.value = 0;
      status.textContent = "";
      function progress(done, total) {
        bar.max = total;
        bar.value = done;
        status.textContent = fmt(S.keeping, { done: done, total: total });
      }
      function waiting() {
        bar.removeAttribute("value");
        status.textContent = S.packWaiting;
      }
      var whole = mode() === "pack";
      register().then(function () {
        return whole
          ? keepWhole(meeting, section.dataset.keepUrl, progress, waiting)
          : keep(meeting, section.dataset.keepUrl, progress);
      }).then(function (result) {
        show(result.row);
        withheld.replaceChildren();
        (whole ? [] : result.pack.withheld).forEach(function (w) {
          var li = document.createElement("li");
          li.textContent = fmt(S.withheld, { title: w.title, reason: w.reason });
          withheld.appendChild(li);
        });
        withheld.hidden = !withheld.children.length;
        section.dataset.offlineKept = "true";
      }).catch(function (error) {
        status.textContent = fmt(S.failed, { error: error.message });
      }).finally(function () {
        keepButton.disabled = false;
        bar.hidden = true;
      });
    });
    removeButton.addEventListener("click", function () {
      remove(meeting).then(function () {
        show(null);
        status.textContent = S.removed;
        delete section.dataset.offlineKept;
      });
    });
  }

  function markLists() {
    var links = document.querySelectorAll("[data-offline-meeting]");
    if (!links.length) { return; }
    packs().then(function (rows) {
      var kept = {};
      rows.forEach(function (r) { kept[r.meeting] = true; });
      links.forEach(function (link) {
        if (!kept[link.dataset.offlineMeeting] || link.nextElementSibling && link.nextElementSibling.classList.contains("offline-kept")) { return; }
        var badge = document.createElement("span");
        badge.className = "badge text-bg-success ms-1 offline-kept";
        var icon = document.createElement("i");
        icon.className = "bi bi-cloud-check";
        icon.setAttribute("aria-hidden", "true");
        badge.append(icon, " " + S.keptBadge);
        link.after(badge);
      });
    });
  }

  function storedList(section) {
    var list = section.querySelector("[data-offline-stored-list]");
    var total = section.querySelector("[data-offline-stored-total]");
    var all = section.querySelector('[data-offline-action="remove-all"]');
    function draw() {
      return packs().then(function (rows) {
        list.replaceChildren();
        var bytes = 0;
        rows.forEach(function (r) {
          bytes += r.bytes;
          var li = document.createElement("li");
          li.className = "list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2";
          var text = document.createElement("div");
          var a = document.createElement("a");
          a.href = r.page;
          a.textContent = r.title;
          var line = document.createElement("div");
          line.className = "small text-body-secondary";
          line.textContent = r.whole
            ? fmt(S.storedPackLine, { at: r.keptAt, size: size(r.bytes), until: r.keepUntilText })
            : fmt(S.storedLine, { at: r.keptAt, size: size(r.bytes), docs: Object.keys(r.docs).length, until: r.keepUntilText });
          text.append(a, line);
          var button = document.createElement("button");
          button.type = "button";
          button.className = "btn btn-outline-danger btn-sm";
          button.textContent = S.remove;
          button.addEventListener("click", function () { remove(r.meeting).then(draw); });
          li.append(text, button);
          list.appendChild(li);
        });
        if (!rows.length) {
          var empty = document.createElement("li");
          empty.className = "list-group-item text-body-secondary small";
          empty.textContent = S.nothing;
          list.appendChild(empty);
        }
        total.textContent = rows.length ? size(bytes) : "";
        all.hidden = !rows.length;
      });
    }
    all.addEventListener("click", function () {
      packs().then(function (rows) { return Promise.all(rows.map(function (r) { return remove(r.meeting); })); }).then(draw);
    });
    draw();
  }

  // Signing out: the notes still waiting are sent first when possible, then everything kept goes.
  function signOut(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.offlineCleared) { return; }
      event.preventDefault();
      (navigator.onLine ? flush().catch(function () {}) : Promise.resolve()).then(function () {
        return pendingNotes();
      }).then(function (left) {
        if (left.length && !window.confirm(fmt(S.signOutPending, { n: left.length }))) { return; }
        return wipe().then(function () {
          form.dataset.offlineCleared = "true";
          form.submit();
        });
      });
    });
  }

  function wipe() {
    if (!supported) { return Promise.resolve(); }
    var steps = [
      caches.keys().then(function (names) { return Promise.all(names.map(function (n) { return caches.delete(n); })); }),
      (dbPromise ? dbPromise.then(function (d) { d.close(); }) : Promise.resolve()).then(function () { return idb.deleteDB(DB); }),
      navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(function (r) {
          if (r.active) { r.active.postMessage({ type: "signed-out" }); }
          return r.unregister();
        }));
      }),
    ];
    return Promise.all(steps).catch(function () {});
  }

  window.hkgOffline = { queueNote: queueNote, pendingNotes: pendingNotes, flush: flush };

  showOnline();
  window.addEventListener("offline", showOnline);
  window.addEventListener("online", function () {
    served = false;
    showOnline();
    syncPacks().then(tell).catch(function () {}).then(flush);
  });
  document.querySelectorAll("form[data-offline-signout]").forEach(signOut);
  if (!supported) { return; }
  forgetOthers().then(function () {
    document.querySelectorAll("[data-offline-keep]").forEach(keepSection);
    document.querySelectorAll("[data-offline-stored]").forEach(storedList);
    markLists();
    markPending();
    return hasDb();
  }).then(function (kept) {
    // The worker on every signed-in page, so that the pages visited open offline from the start;
    // kept meetings are then looked at again below.
    register().catch(function () {});
    if (!kept) { return; }
    // On the pages' loads, kept meetings are looked at again every few minutes at most (each
    // look asks the server once per kept meeting); notes waiting are sent at once.
    var last = Number(sessionStorage.getItem("hkg-offline-synced") || 0);
    if (navigator.onLine && !served) {
      if (Date.now() - last < 5 * 60 * 1000) { return flush(); }
      sessionStorage.setItem("hkg-offline-synced", String(Date.now()));
      return syncPacks().then(tell).then(flush);
    }
  }).catch(function () {});
})();
