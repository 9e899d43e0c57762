"""Benchmark of the document viewer (B2), run by `make bench`; not a test.

1. Time to the first page: gunicorn with the production settings (2 workers, collected static
   files, a throwaway SQLite database) serves a 200-page PDF of several MB (text and an
   incompressible image on every page); headless Chromium opens the viewer, signed in as an
   invited unit's leader, BENCH_RUNS times in a fresh context (cold cache). Prints p50 and the
   spread of the time from navigation to the first page drawn, and the PDF bytes received by
   then (Chromium's network events) next to the file's size.
2. Conversion: a 20-page .docx turned into a PDF by LibreOffice headless as the worker does
   (viewer.convert), best and p50 of BENCH_RUNS runs.

    .venv/bin/python scripts/bench_viewer.py
"""

import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

BASE = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "bench_stack"
PY = sys.executable
PORT = int(os.environ.get("BENCH_PORT", 8775))
RUNS = int(os.environ.get("BENCH_RUNS", 5))
PAGES = int(os.environ.get("BENCH_VIEWER_PAGES", 200))

SETUP = r"""
import io, json, statistics, tempfile, time
from pathlib import Path
from bench_meeting import meeting_with_pdfs, session_of
from viewer.convert import convert_file

meeting, (document,) = meeting_with_pdfs(
    "Họp thử trình xem tài liệu", names=["Báo cáo 200 trang.pdf"], pages=PAGES)
reader = session_of("lanhdao.stc")

import docx
word = docx.Document()
for page in range(20):
    word.add_heading(f"Chương {page + 1}. Kế hoạch phát triển kinh tế - xã hội", level=1)
    for n in range(6):
        word.add_paragraph("Ủy ban nhân dân tỉnh giao Sở Tài chính chủ trì, phối hợp với Sở Kế "
                           "hoạch và Đầu tư rà soát kế hoạch đầu tư công trung hạn. " * 3)
    word.add_page_break()
buffer = io.BytesIO(); word.save(buffer)
seconds, pages = [], None
for _ in range(RUNS):
    with tempfile.TemporaryDirectory() as folder:
        buffer.seek(0)
        began = time.perf_counter()
        outcome = convert_file(buffer, "ke-hoach.docx", Path(folder))
        seconds.append(time.perf_counter() - began)
        from pypdf import PdfReader
        pages = len(PdfReader(outcome.pdf).pages) if outcome.pdf else outcome.error
print(json.dumps({
    "url": f"/tai-lieu/{document.pk}/doc/", "size": document.current.size,
    **reader, "convert": seconds, "convert_pages": pages, "docx_bytes": len(buffer.getvalue()),
}))
"""

FIRST_PAGE_WATCH = """
document.addEventListener("viewer:pagerendered", e => {
  if (e.detail.pageNumber === 1 && window.__firstPage === undefined) {
    window.__firstPage = performance.now();
  }
});
"""


def environment(database: str, folder: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": f"{HERE}:{BASE}",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DJANGO_SECRET_KEY": "b" * 10 + secrets.token_urlsafe(50),
        "DATABASE_URL": database,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": f"{folder}/static",
        "MEDIA_ROOT": f"{folder}/media",
        "CACHE_DIR": f"{folder}/cache",
        "LOG_LEVEL": "WARNING",
        "TASK_SYNC": "true",
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [PY, "manage.py", *args], cwd=BASE, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def first_page(url: str, cookie: dict, size: int) -> tuple[list[float], list[int]]:
    from playwright.sync_api import sync_playwright

    times: list[float] = []
    fetched: list[int] = []
    executable = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable or shutil.which("chromium"),
            args=["--headless", "--no-sandbox", "--disable-gpu"],
        )
        for _ in range(RUNS):
            context = browser.new_context(viewport={"width": 800, "height": 1280})
            context.add_cookies([{**cookie, "url": f"http://127.0.0.1:{PORT}"}])
            page = context.new_page()
            page.add_init_script(FIRST_PAGE_WATCH)
            seen: dict[str, Any] = {"ids": set(), "bytes": 0, "at_first": None}
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")

            def sent(event: dict, s: dict = seen) -> None:
                if "/pdf/" in event["request"]["url"]:
                    s["ids"].add(event["requestId"])

            cdp.on("Network.requestWillBeSent", sent)

            def received(event: dict, s: dict = seen) -> None:
                if event["requestId"] in s["ids"]:
                    s["bytes"] += event["dataLength"]

            cdp.on("Network.dataReceived", received)
            page.goto(f"http://127.0.0.1:{PORT}{url}")
            deadline = time.monotonic() + 60
            while page.evaluate("window.__firstPage") is None and time.monotonic() < deadline:
                page.wait_for_timeout(20)
            fetched.append(seen["bytes"])
            times.append(page.evaluate("window.__firstPage") / 1000)
            context.close()
        browser.close()
    return times, fetched


def main() -> None:
    folder = tempfile.mkdtemp(prefix="hkg-bench-viewer-")
    env = environment(f"sqlite:///{folder}/db.sqlite3", folder)
    env["BENCH_PAGES"] = str(PAGES)
    try:
        manage(env, "migrate", "-v", "0")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        manage(env, "load_demo")
        script = SETUP.replace("PAGES", str(PAGES)).replace("RUNS", str(RUNS))
        s = json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])
        server = subprocess.Popen(  # noqa: S603
            [
                PY, "-m", "gunicorn", "config.wsgi:application", "--workers", "2",
                "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning", "--timeout", "120",
            ],
            cwd=BASE,
            env=env,
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=2)  # noqa: S310
                    break
                except OSError:  # refused, reset or timed out while starting
                    time.sleep(0.2)
            cookie = {"name": s["cookie"], "value": s["session"]}
            times, fetched = first_page(s["url"], cookie, s["size"])
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        size = s["size"]
        print(
            f"viewer, {PAGES}-page PDF of {size / 1e6:.1f} MB, {RUNS} cold opens "
            "(gunicorn, Chromium)"
        )
        print(
            f"  first page drawn: p50 {statistics.median(times):.2f} s "
            f"(min {min(times):.2f}, max {max(times):.2f})"
        )
        print(
            f"  PDF bytes received by then: p50 {statistics.median(fetched) / 1e3:.0f} kB "
            f"= {100 * statistics.median(fetched) / size:.1f} % of the file"
        )
        conv = s["convert"]
        print(
            f"conversion of a {s['docx_bytes'] / 1e3:.0f} kB .docx to a {s['convert_pages']}-page "
            f"PDF (LibreOffice headless): p50 {statistics.median(conv):.2f} s, "
            f"best {min(conv):.2f} s"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
