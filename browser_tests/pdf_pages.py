"""A PDF the product made, drawn by pdf.js (the viewer's own copy, from node_modules) in Chromium
and kept as a picture under test-output/screenshots/, to look at what the tests read back as text.

Everything is served to the page by the browser context's routes from a made-up origin: no server,
no network, no file left but the picture."""

from pathlib import Path

from django.conf import settings
from playwright.sync_api import BrowserContext, Route

from browser_tests.conftest import output_dir, safe_name

ORIGIN = "http://pdf-pages.test"
PDFJS = Path(settings.BASE_DIR) / "node_modules" / "pdfjs-dist" / "build"
PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>PDF</title>
<style>body { margin: 0; background: #888; } canvas { display: block; margin: 8px auto; }</style>
</head><body><script type="module">
import * as pdfjs from "/pdf.min.mjs";
pdfjs.GlobalWorkerOptions.workerSrc = "/pdf.worker.min.mjs";
const data = await (await fetch("/document.pdf")).arrayBuffer();
const pdf = await pdfjs.getDocument({ data }).promise;
for (let n = 1; n <= pdf.numPages; n++) {
  const page = await pdf.getPage(n);
  const viewport = page.getViewport({ scale: 1.5 });
  const canvas = document.createElement("canvas");
  canvas.width = viewport.width;
  canvas.height = viewport.height;
  document.body.append(canvas);
  await page.render({ canvasContext: canvas.getContext("2d"), viewport }).promise;
}
document.body.dataset.pages = String(pdf.numPages);
</script></body></html>"""


def pdf_png(context: BrowserContext, pdf: bytes, name: str) -> tuple[Path, int]:
    """Every page of `pdf`, one under the other, as test-output/screenshots/<name>.png; and the
    number of pages pdf.js found."""

    def serve(route: Route) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        if path == "/document.pdf":
            route.fulfill(body=pdf, content_type="application/pdf")
        elif path in ("/pdf.min.mjs", "/pdf.worker.min.mjs"):
            route.fulfill(path=PDFJS / path.lstrip("/"), content_type="text/javascript")
        else:
            route.fulfill(body=PAGE, content_type="text/html; charset=utf-8")

    context.route(f"{ORIGIN}/**", serve)
    page = context.new_page()
    page.goto(f"{ORIGIN}/")
    page.wait_for_selector("body[data-pages]", state="attached")
    folder = output_dir() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{safe_name(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    pages = int(page.get_attribute("body", "data-pages") or 0)
    page.close()
    context.unroute(f"{ORIGIN}/**")
    return path, pages
