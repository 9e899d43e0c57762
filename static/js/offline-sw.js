// Reading anywhere, even offline: what the service worker does (loaded by /sw.js after Workbox's
// modules). What a device keeps is decided by the pages (offline.js) from the server's keep-list;
// the worker answers from what is kept when the network does not:
// - a kept meeting's PDFs, whole or the byte ranges pdf.js asks for (workbox-range-requests);
// - a kept meeting pack (one PDF of the meeting's documents), read the same way;
// - the signed-in pages the server marks (X-Offline-Page), kept as they are visited, per account;
// - a kept document's notes (its last list), and the static files (Workbox's stale-while-revalidate).
// Caches are named per account: hkg-<account>-pages, hkg-<account>-m<meeting>; "hkg-static" holds
// only our public static files.
/* global workbox */
"use strict";

const { registerRoute } = workbox.routing;
const { StaleWhileRevalidate } = workbox.strategies;
const { createPartialResponse } = workbox.rangeRequests;

const ACCOUNT = /^[A-Za-z0-9_]{1,40}$/;
const PDF = /^\/tai-lieu\/phien-ban\/\d+\/(pdf\/|dau-chim\.pdf)$/;
const NOTES = /^\/ghi-chu\/tai-lieu\/\d+\/$/;
const WHOLE = /^\/cuoc-hop\/\d+\/tron-bo\.pdf$/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

// Another account signed in on this device: whatever the previous one kept goes.
async function forgetOthers(account) {
  const names = await caches.keys();
  await Promise.all(
    names
      .filter((name) => name.startsWith("hkg-") && name !== "hkg-static" && !name.startsWith(`hkg-${account}-`))
      .map((name) => caches.delete(name)),
  );
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "account" && ACCOUNT.test(data.account || "")) {
    event.waitUntil(forgetOthers(data.account));
  } else if (data.type === "signed-out") {
    event.waitUntil(caches.keys().then((names) => Promise.all(names.map((n) => caches.delete(n)))));
  }
});

// A kept PDF from the cache (pdf.js reads it in ranges), else from the network as usual.
async function keptPdf({ request }) {
  const kept = await caches.match(request.url, { ignoreVary: true });
  if (!kept) { return fetch(request); }
  if (!request.headers.has("range")) { return kept; }
  // A range ending past the file is answered up to its end (RFC 9110, 14.1.2), as our server
  // does; Workbox's createPartialResponse answers it 416, so the end is clamped first.
  const size = Number(kept.headers.get("Content-Length")) || (await kept.clone().blob()).size;
  const asked = /^bytes=(\d+)-(\d*)$/.exec(request.headers.get("range").trim());
  let ranged = request;
  if (asked && asked[2] && Number(asked[2]) >= size) {
    ranged = new Request(request.url, { headers: { Range: `bytes=${asked[1]}-${size - 1}` } });
  }
  return createPartialResponse(ranged, kept);
}

// A kept meeting pack: its address stays the same when its content changes (new versions), so
// the network first while there is one (pages refresh the kept copy); the kept copy without.
async function keptWhole({ request }) {
  try {
    return await fetch(request);
  } catch (error) {
    const kept = await caches.match(request.url, { ignoreVary: true });
    if (!kept) { throw error; }
    return keptPdf({ request });
  }
}

// Pages: the network first; a page the server marks as keepable is kept in its account's cache.
// Workbox's NetworkFirst writes to one cache named in advance; the account a page belongs to is
// known only from its response, hence this small handler.
async function page({ request }) {
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const kept = await caches.match(request.url, { ignoreVary: true });
    if (kept) { return fromDevice(kept); }
    throw error;
  }
  const account = response.headers.get("X-Offline-Account") || "";
  if (response.ok && ACCOUNT.test(account)) {
    await forgetOthers(account);
    if (response.headers.get("X-Offline-Page") === "1") {
      const cache = await caches.open(`hkg-${account}-pages`);
      await cache.put(request.url, response.clone());
    }
  }
  return response;
}

// A page answered from the device says so (offline.js then shows "Đang ngoại tuyến — bản lưu
// lúc ...", also where the browser believes it is online but the server cannot be reached).
async function fromDevice(kept) {
  const html = await kept.text();
  const marked = html.replace("<body ", '<body data-offline-served="true" ');
  const headers = new Headers(kept.headers);
  headers.delete("Content-Length");
  headers.delete("Content-Encoding");
  return new Response(marked, { status: kept.status, statusText: kept.statusText, headers });
}

// A kept document's notes: the network first; its last list, kept with the meeting, offline.
async function notes({ request }) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      for (const name of await caches.keys()) {
        if (!/^hkg-[A-Za-z0-9_]+-m\d+$/.test(name)) { continue; }
        const cache = await caches.open(name);
        if (await cache.match(request.url)) { await cache.put(request.url, response.clone()); }
      }
    }
    return response;
  } catch (error) {
    const kept = await caches.match(request.url, { ignoreVary: true });
    if (kept) { return kept; }
    throw error;
  }
}

const sameOrigin = (url) => url.origin === self.location.origin;
registerRoute(({ url, request }) => sameOrigin(url) && request.mode === "navigate", page);
registerRoute(({ url }) => sameOrigin(url) && PDF.test(url.pathname), keptPdf);
registerRoute(({ url }) => sameOrigin(url) && WHOLE.test(url.pathname), keptWhole);
registerRoute(({ url }) => sameOrigin(url) && NOTES.test(url.pathname), notes);
registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname.startsWith("/static/"),
  new StaleWhileRevalidate({ cacheName: "hkg-static" }),
);
