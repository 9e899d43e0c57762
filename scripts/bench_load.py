"""Load run through the real stack, run by `make bench`; not a test.

gunicorn with the production settings (2 workers; the TLS redirect off on loopback) on PostgreSQL
holding the generated province (`manage.py generate_data`: 100 000 meetings, 1 000 units), loaded
by wrk at 1 and at 16 concurrent connections, page after page, next to a bare Django view served by
the same gunicorn in the same run. Prints req/s, p50, p95 and p99, and each page's req/s as a
percentage of the bare view's.

    .venv/bin/python scripts/bench_load.py                    # a throwaway database, generated
    BENCH_LOAD_DB=postgres://postgres@127.0.0.1:5432/hkg_load .venv/bin/python scripts/bench_load.py
                                                             # an existing generated database
Environment: BENCH_SECONDS (per page and concurrency, default 10), BENCH_MEETINGS, BENCH_UNITS.
"""

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

BASE = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "bench_stack"
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/hopkhonggiay")
SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
PORT = int(os.environ.get("BENCH_PORT", 8765))
PY = sys.executable


def environment(url: str, static_root: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": f"{HERE}:{BASE}",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET", "b" * 10 + secrets.token_urlsafe(50)),
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": static_root,
        "CACHE_DIR": str(Path(static_root).parent / "cache"),
        "MEDIA_ROOT": str(Path(static_root).parent / "media"),
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    done = subprocess.run(  # noqa: S603
        [PY, "manage.py", *args], cwd=BASE, env=env, check=True, capture_output=capture, text=True
    )
    return done.stdout if capture else ""


# Kept free of portal.generate's names so that the same script can measure an older checkout
# (the "before" of a before/after run) on the same database.
SETUP = r"""
import json
from django.conf import settings
from django.test import Client
from accounts.models import User
from comments.models import Comment
from meetings.models import Meeting

def session(user):
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value

clerk = User.objects.get(username="vanthu")
unit = User.objects.filter(kind="unit", username__regex=r"^b[0-9]+$").order_by("pk")[1]
m30 = Meeting.objects.get(title="Họp mẫu 30 thành phần, 10 tài liệu")
m500 = Meeting.objects.get(title="Họp mẫu 500 thành phần")
mine = Comment.objects.filter(meeting__invitations__unit=unit.unit)
commented = mine.values_list("meeting_id", flat=True).first()
print(json.dumps({
    "clerk": session(clerk), "unit": session(unit), "m30": m30.pk, "m500": m500.pk,
    "commented": commented, "cookie": settings.SESSION_COOKIE_NAME,
}))
"""


def pages(s: dict[str, Any], year: int) -> list[tuple[str, str, str]]:
    """(label, who, path): the issue's table, in its order."""
    y = f"tu=01/01/{year}&den=31/12/{year}"
    usage = f"/thong-ke/bao-cao-su-dung/?nam={year}&ky=ca-nam"
    return [
        ("bare Django view", "public", "/__bare__/"),
        ("home (anonymous)", "public", "/"),
        ("public schedule", "public", "/lich-hop/"),
        ("public schedule, search", "public", "/lich-hop/?period=all&q=giao+ban"),
        ("public meeting page", "public", f"/lich-hop/{s['m30']}/"),
        ("public feed", "public", "/lich-hop/ical.ics"),
        ("clerk's dashboard", "clerk", "/bang-dieu-khien/"),
        ("clerk's meeting list", "clerk", "/cuoc-hop/"),
        ("clerk's list, search", "clerk", "/cuoc-hop/?q=chuyen+doi+so"),
        ("unit's dashboard", "unit", "/bang-dieu-khien/"),
        ("unit's meeting list", "unit", "/cuoc-hop/"),
        ("unit's list, search", "unit", "/cuoc-hop/?q=giao+ban"),
        ("meeting page, 30 invitees, 10 docs", "clerk", f"/cuoc-hop/{s['m30']}/"),
        ("receipt page, 500 invitees", "clerk", f"/cuoc-hop/{s['m500']}/theo-doi-nhan/"),
        ("unit's week calendar", "unit", "/lich/tuan/"),
        ("inbox", "unit", "/thong-bao/"),
        ("comment poll, unchanged (304)", "unit", f"/cuoc-hop/{s['commented']}/y-kien/danh-sach/"),
        ("statistics, province, year", "clerk", f"/thong-ke/?{y}"),
        ("usage report, province, year", "clerk", usage),
    ]


@contextmanager
def gunicorn(env: dict[str, str]) -> Any:
    process = subprocess.Popen(  # noqa: S603
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
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/__bare__/", timeout=2)  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def wrk(path: str, cookie: str | None, connections: int, headers: list[str]) -> list[float]:
    args = ["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{SECONDS}s"]
    args += ["--timeout", "10s", "-s", str(HERE / "percentiles.lua")]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run(  # noqa: S603
        [*args, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    return [float(v) for v in line.split()[1:]]


def status_of(path: str, cookie: str | None, headers: list[str]) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}")  # noqa: S310
    if cookie:
        request.add_header("Cookie", cookie)
    for header in headers:
        name, value = header.split(": ", 1)
        request.add_header(name, value)

    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(Keep)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def run(url: str) -> None:
    folder = tempfile.mkdtemp(prefix="hkg-bench-")
    env = environment(url, f"{folder}/static")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    s = json.loads(manage(env, "shell", "-c", SETUP, capture=True).strip().splitlines()[-1])
    cookies = {
        "public": None,
        "clerk": f"{s['cookie']}={s['clerk']}",
        "unit": f"{s['cookie']}={s['unit']}",
    }
    with gunicorn(env):
        bare_rps = None
        print(f"{'page':38} {'1 client':>30} | {'16 clients':>34} | % bare")
        print(f"{'':38} {'req/s':>8} {'p50':>7} {'p95':>7} {'p99':>7} | {'req/s':>8} "
              f"{'p50':>7} {'p95':>7} {'p99':>7} | ")  # fmt: skip
        for label, who, path in pages(s, date.today().year):
            headers: list[str] = []
            if "(304)" in label:
                code, got = status_of(path, cookies[who], [])
                headers = [f"If-None-Match: {got.get('ETag', '')}"]
            code, _ = status_of(path, cookies[who], headers)
            if headers and code == 200:  # no ETag (an older version): the full answer, measured
                headers, label = [], label.replace("(304)", "(200)")
            expected = 304 if headers else 200
            if code != expected:
                print(f"{label:38} answered {code}, not {expected}: skipped")
                continue
            status_of(path, cookies[who], headers)  # warm: caches, connections
            one = wrk(path, cookies[who], 1, headers)
            many = wrk(path, cookies[who], 16, headers)
            if bare_rps is None:
                bare_rps = many[2]
            share = 100 * many[2] / bare_rps
            errors = f"  ({int(one[1] + many[1])} errors)" if one[1] + many[1] else ""
            print(
                f"{label:38} {one[2]:8.1f} {one[3]:5.1f}ms {one[4]:5.1f}ms {one[5]:5.1f}ms | "
                f"{many[2]:8.1f} {many[3]:5.1f}ms {many[4]:5.1f}ms {many[5]:5.1f}ms | "
                f"{share:5.1f} %{errors}",
                flush=True,
            )
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    given = os.environ.get("BENCH_LOAD_DB")
    if given:
        run(given)
        return
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(PG)
    admin: dict[str, Any] = {"host": cfg["HOST"], "port": cfg["PORT"] or 5432, "user": cfg["USER"]}
    name = f"hkg_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**admin, dbname="postgres", autocommit=True, connect_timeout=3) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    url = PG.rsplit("/", 1)[0] + "/" + name
    try:
        env = environment(url, tempfile.mkdtemp(prefix="hkg-static-"))
        manage(env, "migrate", "-v", "0")
        began = time.perf_counter()
        manage(
            env,
            "generate_data",
            "--meetings",
            os.environ.get("BENCH_MEETINGS", "100000"),
            "--units",
            os.environ.get("BENCH_UNITS", "1000"),
        )
        print(f"generated in {time.perf_counter() - began:.0f} s")
        run(url)
    finally:
        with psycopg.connect(**admin, dbname="postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
