// The document viewer (viewer/templates/viewer/viewer.html): pdf.js from the npm package, served
// as our static files. The PDF is fetched in 64 KB ranges (disableAutoFetch, disableStream), so the
// first page shows before the whole file has arrived; pages are drawn when they come near the
// screen and dropped when far away. No inline code or styles (CSP script-src 'self'): sizes are
// set through element.style, which the policy allows. Words come from the page (json_script).
//
// The contract with the apps that plug in (notes, restricted documents), see viewer/views.py:
// events viewer:ready, viewer:pagerendered, viewer:pagechange on `document`, and
// window.hkgViewer.goToPage(n).

const root = document.getElementById("viewer");
const S = JSON.parse(document.getElementById("viewer-strings").textContent);
const container = document.getElementById("viewer-pages");
const thumbs = document.getElementById("viewer-thumbs");
const notes = document.getElementById("viewer-notes");
const pageInput = document.getElementById("viewer-page");
const countLabel = document.getElementById("viewer-count");
const zoomLabel = document.getElementById("viewer-zoom");
const searchForm = document.getElementById("viewer-search");
const queryInput = document.getElementById("viewer-query");
const searchStatus = document.getElementById("viewer-search-status");
const loading = document.getElementById("viewer-loading");
const watermark = document.getElementById("viewer-watermark");

const documentId = Number(root.dataset.documentId);
const versionId = Number(root.dataset.versionId);
const MIN_SCALE = 0.25;
const MAX_SCALE = 5;
const KEEP_RENDERED = 12; // pages kept drawn around the one read; the rest give their memory back
const PIXEL_RATIO = Math.min(window.devicePixelRatio || 1, 2);

let pdfjs = null;
let pdf = null;
let pageCount = 0;
let baseSize = { width: 595, height: 842 };
const sizes = {}; // page number -> {width, height} at scale 1, once known
const pages = []; // index n-1 -> {div, scale, task, textLayer, strs, divs}
let zoom = 1; // times the width-fitting scale
let scale = 1;
let current = 1;
let observer = null;
let thumbObserver = null;
const textCache = {}; // page number -> Promise<{text, starts, lengths}>
let matches = [];
let matchIndex = -1;
let lastQuery = "";

function fmt(template, values) {
  if (typeof values !== "object") { return template.replace("%s", values); }
  return template.replace(/%\((\w+)\)s/g, (all, key) => String(values[key]));
}

function emit(name, detail) {
  document.dispatchEvent(new CustomEvent(name, { detail }));
}

function fitScale() {
  const width = container.clientWidth - 16;
  const fit = width > 0 ? width / baseSize.width : 1;
  return Math.min(Math.max(fit * zoom, MIN_SCALE), MAX_SCALE);
}

function sizeOf(n) { return sizes[n] || baseSize; }

function layoutPage(n) {
  const entry = pages[n - 1];
  const size = sizeOf(n);
  entry.div.style.width = Math.floor(size.width * scale) + "px";
  entry.div.style.height = Math.floor(size.height * scale) + "px";
  entry.div.style.setProperty("--scale-factor", String(scale));
}

function buildPages() {
  container.textContent = "";
  for (let n = 1; n <= pageCount; n += 1) {
    const div = document.createElement("div");
    div.className = "page";
    div.dataset.pageNumber = String(n);
    div.setAttribute("role", "region");
    div.setAttribute("aria-label", fmt(S.page, n));
    const label = document.createElement("span");
    label.className = "page-label";
    label.textContent = String(n);
    div.append(label);
    if (watermark) { div.append(watermark.content.firstElementChild.cloneNode(true)); }
    container.append(div);
    pages.push({ div, scale: 0, task: null, textLayer: null, strs: null, divs: null });
  }
}

function discard(entry) {
  if (entry.task) { entry.task.cancel(); entry.task = null; }
  if (entry.textLayer) { entry.textLayer.cancel(); entry.textLayer = null; }
  entry.div.querySelectorAll("canvas, .textLayer").forEach((el) => el.remove());
  entry.scale = 0;
  entry.strs = null;
  entry.divs = null;
}

async function renderPage(n) {
  const entry = pages[n - 1];
  if (!entry || entry.scale === scale) { return; }
  const wanted = scale;
  entry.scale = wanted;
  const page = await pdf.getPage(n);
  if (entry.scale !== wanted) { return; }
  const raw = page.getViewport({ scale: 1 });
  sizes[n] = { width: raw.width, height: raw.height };
  layoutPage(n);
  const viewport = page.getViewport({ scale: wanted });
  const canvas = document.createElement("canvas");
  canvas.width = Math.floor(viewport.width * PIXEL_RATIO);
  canvas.height = Math.floor(viewport.height * PIXEL_RATIO);
  canvas.setAttribute("aria-hidden", "true");
  const textDiv = document.createElement("div");
  textDiv.className = "textLayer";
  const task = page.render({
    canvasContext: canvas.getContext("2d"),
    viewport,
    transform: PIXEL_RATIO !== 1 ? [PIXEL_RATIO, 0, 0, PIXEL_RATIO, 0, 0] : null,
  });
  entry.task = task;
  try {
    await task.promise;
  } catch (error) {
    if (error && error.name === "RenderingCancelledException") { return; }
    throw error;
  }
  if (entry.scale !== wanted) { return; }
  entry.task = null;
  entry.div.querySelectorAll("canvas, .textLayer").forEach((el) => el.remove());
  entry.div.prepend(canvas, textDiv);
  const textLayer = new pdfjs.TextLayer({
    textContentSource: page.streamTextContent({ includeMarkedContent: true }),
    container: textDiv,
    viewport,
  });
  entry.textLayer = textLayer;
  try {
    await textLayer.render();
  } catch (error) {
    return; // cancelled by a zoom or a discard
  }
  if (entry.scale !== wanted) { return; }
  entry.strs = textLayer.textContentItemsStr.slice();
  entry.divs = textLayer.textDivs;
  entry.div.dataset.rendered = "true";
  highlightPage(n);
  emit("viewer:pagerendered", {
    pageNumber: n, pageElement: entry.div, textLayerElement: textDiv, scale: wanted,
  });
}

function renderNear(n) {
  const wanted = [];
  for (let k = n - 1; k <= n + 2; k += 1) { if (k >= 1 && k <= pageCount) { wanted.push(k); } }
  wanted.forEach((k) => { renderPage(k).catch(showError); });
  pages.forEach((entry, i) => {
    if (entry.scale && Math.abs(i + 1 - n) > KEEP_RENDERED) { discard(entry); }
  });
}

function setCurrent(n) {
  if (n === current) { return; }
  current = n;
  pageInput.value = String(n);
  thumbs.querySelectorAll("[aria-current]").forEach((el) => el.removeAttribute("aria-current"));
  const thumb = thumbs.querySelector(`[data-page="${n}"]`);
  if (thumb) { thumb.setAttribute("aria-current", "page"); }
  emit("viewer:pagechange", { pageNumber: n });
}

function onScroll() {
  // The page read is the one crossing a line a third down the visible area.
  const line = container.scrollTop + container.clientHeight / 3;
  let low = 0;
  let high = pages.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    const div = pages[mid].div;
    if (div.offsetTop + div.offsetHeight < line) { low = mid + 1; } else { high = mid; }
  }
  setCurrent(low + 1);
}

function goToPage(n, highlightMatch) {
  const number = Math.min(Math.max(Math.round(Number(n)) || 1, 1), pageCount);
  const div = pages[number - 1].div;
  container.scrollTop = div.offsetTop - 8;
  setCurrent(number);
  renderNear(number);
  if (highlightMatch) { scrollToMatch(); }
  return number;
}

function relayout() {
  const anchor = current;
  const within = pages.length ? (container.scrollTop - pages[anchor - 1].div.offsetTop) / pages[anchor - 1].div.offsetHeight : 0;
  scale = fitScale();
  zoomLabel.textContent = Math.round(scale * 100 / (96 / 72)) + "%";
  for (let n = 1; n <= pageCount; n += 1) { layoutPage(n); }
  if (pages.length) {
    const div = pages[anchor - 1].div;
    container.scrollTop = div.offsetTop + within * div.offsetHeight;
  }
  pages.forEach((entry) => { if (entry.scale && entry.scale !== scale) { discard(entry); } });
  renderNear(anchor);
}

function setZoom(value) {
  zoom = value;
  relayout();
}

// ---- thumbnails, drawn when their column is open and they come into view ----------------------
function buildThumbs() {
  for (let n = 1; n <= pageCount; n += 1) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "viewer-thumb";
    button.dataset.page = String(n);
    button.setAttribute("aria-label", fmt(S.page, n));
    const blank = document.createElement("span");
    blank.className = "viewer-thumb-blank";
    const label = document.createElement("span");
    label.textContent = String(n);
    button.append(blank, label);
    thumbs.append(button);
  }
  thumbObserver = new IntersectionObserver((entries) => {
    entries.forEach((item) => {
      if (!item.isIntersecting || item.target.dataset.drawn) { return; }
      item.target.dataset.drawn = "1";
      drawThumb(item.target).catch(() => { delete item.target.dataset.drawn; });
    });
  }, { root: thumbs, rootMargin: "200px" });
  thumbs.querySelectorAll(".viewer-thumb").forEach((el) => thumbObserver.observe(el));
}

async function drawThumb(button) {
  const page = await pdf.getPage(Number(button.dataset.page));
  const viewport = page.getViewport({ scale: 140 / page.getViewport({ scale: 1 }).width });
  const canvas = document.createElement("canvas");
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.setAttribute("aria-hidden", "true");
  await page.render({ canvasContext: canvas.getContext("2d"), viewport }).promise;
  button.querySelector(".viewer-thumb-blank")?.replaceWith(canvas);
}

// ---- search: text of each page from pdf.js, diacritics and case ignored ----------------------
function foldChar(c) {
  if (c === "đ" || c === "Đ") { return "d"; }
  if (/\s/.test(c)) { return " "; }
  const base = c.normalize("NFD")[0].toLowerCase();
  return base.length === 1 ? base : c;
}

function fold(text) { return Array.from(text, foldChar).join(""); }

function pageText(n) {
  if (!textCache[n]) {
    textCache[n] = pdf.getPage(n).then((page) => page.getTextContent()).then((content) => {
      let text = "";
      const starts = [];
      const lengths = [];
      content.items.forEach((item) => {
        if (item.str === undefined) { return; }
        starts.push(text.length);
        lengths.push(item.str.length);
        text += item.str;
        if (item.hasEOL) { text += " "; }
      });
      // foldChar keeps one character for one (UTF-16 units of Vietnamese letters are single).
      return { text: fold(text), starts, lengths };
    });
  }
  return textCache[n];
}

async function search(query) {
  const wanted = fold(query.trim()).replace(/ +/g, " ");
  clearHighlights();
  matches = [];
  matchIndex = -1;
  lastQuery = wanted;
  if (!wanted) { searchStatus.textContent = ""; return; }
  searchStatus.textContent = S.searching;
  for (let n = 1; n <= pageCount; n += 1) {
    if (lastQuery !== wanted) { return; } // a newer search started
    const { text } = await pageText(n);
    let at = text.indexOf(wanted);
    while (at !== -1) {
      matches.push({ page: n, start: at, end: at + wanted.length });
      at = text.indexOf(wanted, at + wanted.length);
    }
  }
  if (!matches.length) {
    searchStatus.textContent = fmt(S.notFound, query.trim());
    return;
  }
  // The first match on or after the page being read.
  matchIndex = Math.max(matches.findIndex((m) => m.page >= current), 0);
  showMatch();
}

function showMatch() {
  const match = matches[matchIndex];
  searchStatus.textContent = fmt(S.found, { n: matchIndex + 1, total: matches.length });
  pages.forEach((entry, i) => { if (entry.divs) { highlightPage(i + 1); } });
  goToPage(match.page, true);
}

function stepMatch(delta) {
  if (!matches.length) { if (queryInput.value.trim()) { search(queryInput.value); } return; }
  matchIndex = (matchIndex + delta + matches.length) % matches.length;
  showMatch();
}

function clearHighlights() {
  pages.forEach((entry) => {
    if (!entry.divs) { return; }
    entry.divs.forEach((div, i) => {
      if (div.dataset.marked) { div.textContent = entry.strs[i]; delete div.dataset.marked; }
    });
  });
}

async function highlightPage(n) {
  const entry = pages[n - 1];
  if (!entry || !entry.divs) { return; }
  const onPage = matches.filter((m) => m.page === n);
  entry.divs.forEach((div, i) => {
    if (div.dataset.marked) { div.textContent = entry.strs[i]; delete div.dataset.marked; }
  });
  if (!onPage.length) { return; }
  const { starts, lengths } = await pageText(n);
  // Per text piece, the parts to mark: [from, to, selected].
  const marks = new Map();
  onPage.forEach((m) => {
    const selected = matches[matchIndex] === m;
    starts.forEach((start, i) => {
      const from = Math.max(m.start, start);
      const to = Math.min(m.end, start + lengths[i]);
      if (from < to) {
        if (!marks.has(i)) { marks.set(i, []); }
        marks.get(i).push([from - start, to - start, selected]);
      }
    });
  });
  marks.forEach((parts, i) => {
    const div = entry.divs[i];
    const str = entry.strs[i];
    if (!div || str === undefined) { return; }
    parts.sort((a, b) => a[0] - b[0]);
    div.textContent = "";
    let at = 0;
    parts.forEach(([from, to, selected]) => {
      if (from > at) { div.append(document.createTextNode(str.slice(at, from))); }
      const span = document.createElement("span");
      span.className = selected ? "highlight selected" : "highlight";
      span.textContent = str.slice(from, to);
      div.append(span);
      at = to;
    });
    if (at < str.length) { div.append(document.createTextNode(str.slice(at))); }
    div.dataset.marked = "1";
  });
}

function scrollToMatch() {
  const match = matches[matchIndex];
  if (!match) { return; }
  const tryScroll = (tries) => {
    const entry = pages[match.page - 1];
    const selected = entry.div.querySelector(".highlight.selected");
    if (selected) {
      const top = entry.div.offsetTop + selected.offsetTop + (selected.offsetParent?.offsetTop || 0);
      container.scrollTop = Math.max(top - container.clientHeight / 3, 0);
      return;
    }
    if (tries > 0) { setTimeout(() => tryScroll(tries - 1), 150); }
  };
  tryScroll(20);
}

// ---- controls ---------------------------------------------------------------------------------
function toggle(button, panel, open) {
  const show = open === undefined ? button.getAttribute("aria-pressed") !== "true" : open;
  button.setAttribute("aria-pressed", show ? "true" : "false");
  return show;
}

function onAction(action, button) {
  switch (action) {
    case "prev": goToPage(current - 1); break;
    case "next": goToPage(current + 1); break;
    case "zoom-in": setZoom(Math.min(zoom * 1.25, 8)); break;
    case "zoom-out": setZoom(Math.max(zoom / 1.25, 0.2)); break;
    case "fit": setZoom(1); break;
    case "thumbs": {
      thumbs.hidden = !toggle(button);
      if (!thumbs.hidden && !thumbs.childElementCount) { buildThumbs(); }
      relayout();
      break;
    }
    case "search": {
      searchForm.hidden = !toggle(button);
      if (!searchForm.hidden) { queryInput.focus(); }
      break;
    }
    case "match-prev": stepMatch(-1); break;
    case "match-next": stepMatch(1); break;
    case "notes": {
      notes.classList.toggle("viewer-notes-closed", !toggle(button));
      relayout();
      break;
    }
    default: break;
  }
}

function showError(error) {
  if (error && error.name === "RenderingCancelledException") { return; }
  console.error(error); // eslint-disable-line no-console
  loading.hidden = false;
  loading.textContent = S.loadFailed;
  loading.classList.add("text-warning");
  if (!loading.isConnected) { container.prepend(loading); }
}

function bind() {
  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-viewer-action]");
    if (button) { onAction(button.dataset.viewerAction, button); }
  });
  document.getElementById("viewer-goto").addEventListener("submit", (event) => {
    event.preventDefault();
    const wanted = Number(pageInput.value);
    if (!(wanted >= 1 && wanted <= pageCount)) {
      pageInput.setCustomValidity(fmt(S.outOfRange, pageCount));
      pageInput.reportValidity();
      return;
    }
    pageInput.setCustomValidity("");
    goToPage(wanted);
  });
  pageInput.addEventListener("change", () => {
    const wanted = Number(pageInput.value);
    if (wanted >= 1 && wanted <= pageCount) { pageInput.setCustomValidity(""); goToPage(wanted); }
  });
  searchForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = queryInput.value;
    if (fold(query.trim()).replace(/ +/g, " ") === lastQuery && matches.length) { stepMatch(1); } else { search(query); }
  });
  thumbs.addEventListener("click", (event) => {
    const thumb = event.target.closest(".viewer-thumb");
    if (!thumb) { return; }
    goToPage(Number(thumb.dataset.page));
    if (window.matchMedia("(max-width: 767.98px)").matches) {
      onAction("thumbs", root.querySelector('[data-viewer-action="thumbs"]'));
    }
  });
  let ticking = false;
  container.addEventListener("scroll", () => {
    if (ticking) { return; }
    ticking = true;
    requestAnimationFrame(() => { ticking = false; onScroll(); renderNear(current); });
  }, { passive: true });
  // A swipe sideways turns the page (one hand on a tablet or a phone); a vertical one scrolls.
  let touch = null;
  container.addEventListener("touchstart", (event) => {
    touch = event.touches.length === 1 ? { x: event.touches[0].clientX, y: event.touches[0].clientY } : null;
  }, { passive: true });
  container.addEventListener("touchend", (event) => {
    if (!touch || event.changedTouches.length !== 1 || container.scrollWidth > container.clientWidth + 4) { touch = null; return; }
    const dx = event.changedTouches[0].clientX - touch.x;
    const dy = event.changedTouches[0].clientY - touch.y;
    touch = null;
    if (Math.abs(dx) > 60 && Math.abs(dy) < 40 && !window.getSelection().toString()) {
      goToPage(current + (dx < 0 ? 1 : -1));
    }
  }, { passive: true });
  container.addEventListener("keydown", (event) => {
    if (event.target !== container) { return; }
    if (event.key === "PageDown" || event.key === "ArrowRight") { event.preventDefault(); goToPage(current + 1); }
    if (event.key === "PageUp" || event.key === "ArrowLeft") { event.preventDefault(); goToPage(current - 1); }
  });
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(relayout, 150);
  });
  window.addEventListener("hashchange", () => {
    const page = /page=(\d+)/.exec(window.location.hash);
    if (page) { goToPage(Number(page[1])); }
  });
}

// Where pdf.js reads the file. With Range, the first request asks for the first chunk only and
// learns the size from Content-Range; pdf.js then asks for the chunks it needs through a range
// transport, each one request with its Range header. (pdf.js's own loader would start with a
// request for the whole file and cancel it once it had read the headers: on a fast link most of
// the file has arrived by then.) Without Range, or for a file of one chunk, the whole file.
const CHUNK = 65536;

async function fetchRange(url, first, last) {
  const response = await fetch(url, {
    credentials: "same-origin",
    headers: { Range: `bytes=${first}-${last}` },
  });
  if (!response.ok) { throw new Error(`HTTP ${response.status}`); }
  return response;
}

async function openSource(url, ranged) {
  if (!ranged) {
    const whole = await fetch(url, { credentials: "same-origin" });
    if (!whole.ok) { throw new Error(`HTTP ${whole.status}`); }
    return { data: new Uint8Array(await whole.arrayBuffer()) };
  }
  const first = await fetchRange(url, 0, CHUNK - 1);
  const initial = new Uint8Array(await first.arrayBuffer());
  const total = Number((/\/(\d+)\s*$/.exec(first.headers.get("Content-Range") || "") || [])[1]);
  if (first.status !== 206 || !total || initial.length >= total) { return { data: initial }; }
  const transport = new pdfjs.PDFDataRangeTransport(total, initial);
  transport.requestDataRange = (begin, end) => {
    fetchRange(url, begin, end - 1)
      .then((response) => response.arrayBuffer())
      .then((buffer) => transport.onDataRange(begin, new Uint8Array(buffer)))
      .catch(showError);
  };
  return { range: transport, length: total };
}

async function open() {
  if (notes && !notes.hidden && window.matchMedia("(max-width: 1199.98px)").matches) {
    notes.classList.add("viewer-notes-closed");
  } else if (notes && !notes.hidden) {
    root.querySelector('[data-viewer-action="notes"]')?.setAttribute("aria-pressed", "true");
  }
  pdfjs = await import(root.dataset.pdfjs);
  pdfjs.GlobalWorkerOptions.workerSrc = root.dataset.worker;
  const source = await openSource(root.dataset.pdfUrl, root.dataset.range === "true");
  pdf = await pdfjs.getDocument({
    ...source,
    disableAutoFetch: true,
    disableStream: true,
    rangeChunkSize: CHUNK,
    isEvalSupported: false,
    cMapUrl: root.dataset.cmaps,
    cMapPacked: true,
    standardFontDataUrl: root.dataset.fonts,
    wasmUrl: root.dataset.wasm,
  }).promise;
  pageCount = pdf.numPages;
  const first = await pdf.getPage(1);
  const raw = first.getViewport({ scale: 1 });
  baseSize = { width: raw.width, height: raw.height };
  sizes[1] = baseSize;
  countLabel.textContent = fmt(S.pageOf, pageCount);
  pageInput.max = String(pageCount);
  buildPages();
  bind();
  scale = fitScale();
  relayout();
  const wanted = /page=(\d+)/.exec(window.location.hash);
  current = 0;
  goToPage(wanted ? Number(wanted[1]) : 1);
  window.hkgViewer = {
    goToPage: (n) => goToPage(n),
    currentPage: () => current,
    pageCount,
    documentId,
    versionId,
  };
  root.dataset.ready = "true";
  emit("viewer:ready", { documentId, versionId, pageCount });
}

open().catch(showError);
