"""Load run through the real stack, run by `make bench`; not a test.

gunicorn with the production settings (2 workers; the TLS redirect off on loopback) on PostgreSQL
holding the generated province (`manage.py generate_data`: 100 000 meetings, 1 000 units), loaded
by wrk at 1 and at 16 concurrent connections, page after page, next to a bare Django view served by
the same gunicorn in the same run. Prints req/s, p50, p95 and p99, and each page's req/s as a
percentage of the bare view's.

    .venv/bin/python scripts/bench_load.py                    # a throwaway database, generated
    BENCH_LOAD_DB=postgres://postgres@127.0.0.1:5432/hkg_load .venv/bin/python scripts/bench_load.py
                                                             # an existing generated database
Environment: BENCH_SECONDS (per page and concurrency, default 10), BENCH_MEETINGS, BENCH_UNITS,
BENCH_ONLY (the pages whose label holds these words, or "download" for the downloads alone).
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
import urllib.parse
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
NGINX_PORT = PORT + 1
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
        "DOCUMENTS_X_ACCEL_REDIRECT": "/protected-media/",
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
from accounts.tests.factories import signed_in_client
from comments.models import Comment
from meetings.models import Meeting

def session(user):
    # The clerk's role asks a second factor: the session is the one after the code step.
    client = signed_in_client(user, Client())
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


# The documents the download rows fetch: made once per database, through the upload service.
DOWNLOADS_SETUP = r"""
import json
from django.core.files.uploadedfile import TemporaryUploadedFile
from accounts.models import User
from documents.services import document_add
from core.samples import pdf_bytes
from meetings.models import Meeting

clerk = User.objects.get(username="vanthu")
meeting = Meeting.objects.get(title="Họp mẫu 30 thành phần, 10 tài liệu")
made = {}
for label, size in (("1 MB", 1_000_000), ("200 MB", 200_000_000)):
    title = f"Tải thử {label}"
    document = meeting.documents.filter(title=title, deleted_at__isnull=True).first()
    if document is not None and not document.current.file.storage.exists(
        document.current.file.name
    ):  # made by an earlier run, whose media folder is gone
        document.deleted_at = document.created_at
        document.save(update_fields=["deleted_at"])
        document = None
    if document is None:
        upload = TemporaryUploadedFile(f"{title}.pdf", "application/pdf", size, None)
        head = pdf_bytes(title.encode("ascii", "ignore").decode())
        upload.write(head + b"%" + b"0" * (size - len(head) - 2) + b"\n")
        upload.seek(0)
        document = document_add(meeting=meeting, by=clerk, uploaded=upload)
        document.title = title
        document.save(update_fields=["title"])
    made[label] = {"id": document.pk, "file": document.current.file.name,
                   "size": document.current.size}
print(json.dumps(made))
"""

NGINX = """
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {folder}/nginx-body;
    proxy_temp_path {folder}/nginx-proxy;
    fastcgi_temp_path {folder}/nginx-fastcgi;
    uwsgi_temp_path {folder}/nginx-uwsgi;
    scgi_temp_path {folder}/nginx-scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{app};
            proxy_set_header Host 127.0.0.1;
            proxy_buffering off;
        }}
        # The app decides who may download; nginx sends the bytes (DOCUMENTS_X_ACCEL_REDIRECT).
        location /protected-media/ {{ internal; alias {media}/; }}
        # The same files straight from nginx, no app: the baseline.
        location /direct/ {{ alias {media}/; }}
    }}
}}
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


def wrk(
    path: str, cookie: str | None, connections: int, headers: list[str], port: int = PORT
) -> list[float]:
    args = ["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{SECONDS}s"]
    args += ["--timeout", "10s", "-s", str(HERE / "percentiles.lua")]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run(  # noqa: S603
        [*args, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    return [float(v) for v in line.split()[1:]]


def status_of(
    path: str, cookie: str | None, headers: list[str], port: int = PORT
) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")  # noqa: S310
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
    with gunicorn(env) as app:
        bare_rps = None
        print(f"{'page':38} {'1 client':>30} | {'16 clients':>34} | % bare")
        print(f"{'':38} {'req/s':>8} {'p50':>7} {'p95':>7} {'p99':>7} | {'req/s':>8} "
              f"{'p50':>7} {'p95':>7} {'p99':>7} | ")  # fmt: skip
        only = os.environ.get("BENCH_ONLY", "")
        for label, who, path in pages(s, date.today().year):
            if only and only not in label and label != "bare Django view":
                continue
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
        if not only or only == "download":
            downloads(env, folder, str(cookies["clerk"]), app.pid)
    shutil.rmtree(folder, ignore_errors=True)


def app_memory(pid: int) -> float:
    """The resident memory of gunicorn's master and workers, in MB."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        pids += [int(p) for p in (task / "children").read_text().split()]
    total = 0
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def downloads(env: dict[str, str], folder: str, cookie: str, app_pid: int) -> None:
    """A 1 MB and a 200 MB document: through nginx with the app deciding access and nginx sending
    the bytes (X-Accel-Redirect), next to nginx serving the same file alone, in the same run."""
    if shutil.which("nginx") is None:
        print("downloads: nginx is not installed (apt-get install nginx-light): skipped")
        return
    made = json.loads(manage(env, "shell", "-c", DOWNLOADS_SETUP, capture=True).splitlines()[-1])
    Path(folder).chmod(0o755)  # nginx's workers run as another user and read the media folder
    conf = Path(folder) / "nginx.conf"
    conf.write_text(NGINX.format(folder=folder, port=NGINX_PORT, app=PORT, media=env["MEDIA_ROOT"]))
    nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", folder])  # noqa: S603, S607
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{NGINX_PORT}/__bare__/", timeout=2)  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        before = app_memory(app_pid)
        print()
        print(f"{'download':38} {'1 client':>30} | {'16 clients':>34} | % nginx alone")
        print(f"{'':38} {'req/s':>8} {'MB/s':>7} {'p50':>7} {'p99':>7} | {'req/s':>8} "
              f"{'MB/s':>7} {'p50':>7} {'p99':>7} | ")  # fmt: skip
        for label, document in made.items():
            alone = None
            for way, path, who in (
                ("nginx alone", "/direct/" + urllib.parse.quote(document["file"]), None),
                ("app + X-Accel-Redirect", f"/tai-lieu/{document['id']}/tai-ve/", cookie),
            ):
                code, got = status_of(path, who, [], port=NGINX_PORT)
                if code != 200 or int(got.get("Content-Length", -1)) != document["size"]:
                    print(f"{label}, {way}: answered {code}, {got.get('Content-Length')} bytes")
                    continue
                one = wrk(path, who, 1, [], port=NGINX_PORT)
                many = wrk(path, who, 16, [], port=NGINX_PORT)
                alone = alone or many[2]
                mb = [r[7] / 1e6 / SECONDS for r in (one, many)]
                print(
                    f"{label + ', ' + way:38} {one[2]:8.1f} {mb[0]:7.0f} {one[3]:5.1f}ms "
                    f"{one[5]:5.1f}ms | {many[2]:8.1f} {mb[1]:7.0f} {many[3]:5.1f}ms "
                    f"{many[5]:5.1f}ms | {100 * many[2] / alone:5.1f} %",
                    flush=True,
                )
        print(f"app memory (gunicorn, 2 workers): {before:.0f} MB before the downloads, "
              f"{app_memory(app_pid):.0f} MB after")  # fmt: skip
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)


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
