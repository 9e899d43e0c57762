"""A PDF the product writes, drawn page by page into test-output/screenshots/ to be looked at.

Chromium draws it with pdf.js, the document viewer's own copy served by the site, inside a page of
the site (so its Content-Security-Policy holds: the module, its worker and the PDF all come from
the site itself, and no eval is asked for). What lands in the screenshots is what a reader's
browser shows, rules and fonts included."""

from pathlib import Path

from playwright.sync_api import Page

from browser_tests.conftest import output_dir, safe_name

PDFJS = "/static/vendor/pdfjs/build/pdf.min.mjs"
WORKER = "/static/vendor/pdfjs/build/pdf.worker.min.mjs"
HOLDER = "browser-test-pdf-pages"
DRAW = """async ([module, worker, url, holderId]) => {
  const pdfjs = await import(module);
  pdfjs.GlobalWorkerOptions.workerSrc = worker;
  const response = await fetch(url);
  if (!response.ok) throw new Error(url + " answered " + response.status);
  const data = new Uint8Array(await response.arrayBuffer());
  const pdf = await pdfjs.getDocument({data, isEvalSupported: false}).promise;
  const holder = document.createElement("div");
  holder.id = holderId;
  document.body.append(holder);
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const viewport = page.getViewport({scale: 1.5});
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(viewport.width);
    canvas.height = Math.ceil(viewport.height);
    canvas.dataset.page = String(number);
    holder.append(canvas);
    await page.render({canvasContext: canvas.getContext("2d"), viewport}).promise;
  }
  return pdf.numPages;
}"""


def pdf_shots(page: Page, url: str, name: str) -> list[Path]:
    """Each page of the PDF at `url` (a path of the site the page is on) as
    test-output/screenshots/<name>-<n>.png; the page is left as it was."""
    folder = output_dir() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    count = page.evaluate(DRAW, [PDFJS, WORKER, url, HOLDER])
    shots = []
    for number in range(1, count + 1):
        path = folder / f"{safe_name(name)}-{number}.png"
        page.locator(f"#{HOLDER} canvas[data-page='{number}']").screenshot(path=str(path))
        shots.append(path)
    page.evaluate("id => document.getElementById(id).remove()", HOLDER)
    return shots
