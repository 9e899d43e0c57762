"""Benchmark of reading offline, run by `make bench`; not a test.

gunicorn with the production settings (2 workers, collected static files, a throwaway SQLite
database) serves a meeting of about 100 MB: BENCH_OFFLINE_DOCS copies of a 100-page PDF (text and
an incompressible image on every page). Headless Chromium with a profile on disk (a tablet's
storage, not an incognito context's memory), signed in as the invited unit's account, opens the
meeting page and taps "Tải về để đọc ngoại tuyến", BENCH_RUNS times in a fresh profile. Prints the
time from the tap to "Đã lưu trên máy" (p50, spread), the rate, the space the browser reports
(navigator.storage.estimate), then with the network cut, the time from opening the viewer of a
kept document to its first page drawn from the device.

    .venv/bin/python scripts/bench_offline.py
"""

import json
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_viewer import FIRST_PAGE_WATCH, PORT, PY, RUNS, environment, manage

BASE = Path(__file__).resolve().parent.parent
DOCS = int(os.environ.get("BENCH_OFFLINE_DOCS", 7))

SETUP = r"""
import json
from bench_meeting import meeting_with_pdfs, session_of

meeting, documents = meeting_with_pdfs(
    "Họp thử đọc ngoại tuyến", names=[f"Báo cáo {n + 1}.pdf" for n in range(DOCS)], pages=100)
reader = session_of("stc")
print(json.dumps({
    "meeting": f"/cuoc-hop/{meeting.pk}/", "viewer": f"/tai-lieu/{documents[0].pk}/doc/",
    "bytes": sum(d.current.size for d in documents), "docs": len(documents),
    **reader,
}))
"""


def keep_runs(s: dict) -> list[dict]:
    from playwright.sync_api import sync_playwright

    executable = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    runs = []
    with sync_playwright() as p:
        for _ in range(RUNS):
            profile = tempfile.mkdtemp(prefix="hkg-bench-offline-profile-")
            try:
                context = p.chromium.launch_persistent_context(
                    profile,
                    executable_path=executable or shutil.which("chromium"),
                    args=["--headless", "--no-sandbox", "--disable-gpu"],
                    viewport={"width": 800, "height": 1280},
                )
                context.add_cookies(
                    [
                        {
                            "name": s["cookie"],
                            "value": s["session"],
                            "url": f"http://127.0.0.1:{PORT}",
                        }
                    ]
                )
                page = context.new_page()
                page.goto(f"http://127.0.0.1:{PORT}{s['meeting']}")
                began = time.perf_counter()
                page.locator('[data-offline-action="keep"]').click()
                page.locator("[data-offline-status]").filter(has_text="Đã lưu trên máy").wait_for(
                    timeout=900_000
                )
                seconds = time.perf_counter() - began
                usage = page.evaluate("navigator.storage.estimate().then(e => e.usage)")
                context.set_offline(True)
                page.add_init_script(FIRST_PAGE_WATCH)
                page.goto(f"http://127.0.0.1:{PORT}{s['viewer']}")
                deadline = time.monotonic() + 60
                while page.evaluate("window.__firstPage") is None and time.monotonic() < deadline:
                    page.wait_for_timeout(20)
                first = page.evaluate("window.__firstPage")
                runs.append(
                    {
                        "seconds": seconds,
                        "usage": usage,
                        "first_page": first / 1000 if first is not None else None,
                    }
                )
                context.close()
            finally:
                shutil.rmtree(profile, ignore_errors=True)
    return runs


def main() -> None:
    folder = tempfile.mkdtemp(prefix="hkg-bench-offline-")
    env = environment(f"sqlite:///{folder}/db.sqlite3", folder)
    try:
        manage(env, "migrate", "-v", "0")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        manage(env, "load_demo")
        script = SETUP.replace("DOCS", str(DOCS))
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
            runs = keep_runs(s)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        size = s["bytes"]
        seconds = [r["seconds"] for r in runs]
        usage = [r["usage"] for r in runs]
        first = [r["first_page"] for r in runs if r["first_page"] is not None]
        print(
            f"keeping a meeting of {s['docs']} PDFs, {size / 1e6:.1f} MB, on the device, "
            f"{RUNS} fresh profiles (gunicorn, Chromium 800x1280)"
        )
        print(
            f"  tap to 'Đã lưu trên máy': p50 {statistics.median(seconds):.1f} s "
            f"(min {min(seconds):.1f}, max {max(seconds):.1f}), "
            f"{size / 1e6 / statistics.median(seconds):.1f} MB/s"
        )
        print(f"  storage the browser reports: p50 {statistics.median(usage) / 1e6:.1f} MB")
        if first:
            print(
                "  offline, first page of a kept 100-page PDF: "
                f"p50 {statistics.median(first):.2f} s "
                f"(min {min(first):.2f}, max {max(first):.2f}), {len(first)}/{RUNS} drawn"
            )
        else:
            print("  offline, the kept PDF's first page was not drawn within 60 s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
