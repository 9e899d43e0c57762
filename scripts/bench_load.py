"""The office's pages at a province's scale, held to their budgets: `make bench`; not a test.

gunicorn with the production settings (2 workers; the TLS redirect off on loopback) on PostgreSQL
holding the generated province (`manage.py generate_data --meetings 100000 --units 1000`), loaded
by wrk at 1 and at 16 concurrent connections, row after row, next to a bare Django view served by
the same gunicorn in the same run (measured first and again last; the shares are of the mean).
Then scripts/bench_votes.py: 500 voters in the room while its screen polls. Prints one table,
each row with its figures, its budget and PASS or FAIL, and writes it into docs/benchmarks.md
(the section "Latest run").

    .venv/bin/python scripts/bench_load.py

The generated database is kept (named after BENCH_PG_URL's and the size) and reused by the next
run, which only migrates it; BENCH_FRESH=1 generates it again, BENCH_LOAD_DB names another one.
Environment: BENCH_SECONDS (per row and concurrency, default 10), BENCH_MEETINGS, BENCH_UNITS,
BENCH_ONLY (only the rows whose label holds these words; no votes, docs left alone),
BENCH_DOWNLOADS=1 (also the documents through nginx with X-Accel-Redirect next to nginx alone),
BENCH_LOAD_NO_DOCS=1 (print the table only); bench_votes.py's own (BENCH_VOTE_SECONDS: the
voters' arrivals spread over that many seconds, 0 here by default: all at once).
"""

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BASE = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "bench_stack"
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/hopkhonggiay")
SECONDS = int(os.environ.get("BENCH_SECONDS", 10))


def _free_port() -> int:
    # Two free ports in a row are not guaranteed; the next one (nginx's) is tried as it comes.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# A free port unless given: colleagues' runs on the same machine do not collide.
PORT = int(os.environ.get("BENCH_PORT") or _free_port())
NGINX_PORT = PORT + 1
PY = sys.executable


def environment(url: str, static_root: str, folder: str | None = None) -> dict[str, str]:
    """The gunicorn's and manage.py's environment; the cache and the media in `folder` (by
    default the static files' parent)."""
    folder = folder or str(Path(static_root).parent)
    return {
        **os.environ,
        "PYTHONPATH": f"{HERE}:{BASE}",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET", "b" * 10 + secrets.token_urlsafe(50)),
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": static_root,
        "CACHE_DIR": f"{folder}/cache",
        "MEDIA_ROOT": f"{folder}/media",
        "LOG_LEVEL": "WARNING",
        "DOCUMENTS_X_ACCEL_REDIRECT": "/protected-media/",
        # wrk loads every page from one loopback address: the per-address limits (core.limits,
        # a guard against one abusive caller) would answer most of it 429 and measure that.
        "RATE_LIMIT_PUBLIC": "off",
        "RATE_LIMIT_API_ADDRESS": "off",
        "RATE_LIMIT_LOGIN": "off",
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
from voting.models import Vote
from voting.services import vote_open

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
# One of the 30 invited units, for the meeting page and the polls as an invitee sees them.
invitee = User.objects.filter(kind="unit", unit__invitations__meeting=m30).order_by("pk").first()
# An open vote in the meeting (the same one on every run): the polls of the room and the votes.
vote = Vote.objects.filter(meeting=m30, question="Biểu quyết mẫu").first()
if vote is None:
    vote = vote_open(meeting=m30, by=clerk, question="Biểu quyết mẫu")
print(json.dumps({
    "clerk": session(clerk), "unit": session(unit), "invitee": session(invitee), "m30": m30.pk,
    "m500": m500.pk, "commented": commented, "vote": vote.pk,
    "cookie": settings.SESSION_COOKIE_NAME, "meetings": Meeting.objects.count(),
    "units": User.objects.filter(kind="unit").count(),
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


@dataclass(frozen=True)
class Row:
    """One row of the table: what is asked, by whom, and the budget it is held to."""

    label: str
    who: str
    path: str
    kind: str  # "bare", "empty" (a reference), "page" (signed in), "poll" (answered 304), "public"


# The budgets: a signed-in page answers one client within PAGE_P95_MS at the 95th percentile and
# serves 16 clients at PAGE_SHARE of the bare view's requests per second; an unchanged poll and a
# public page at POLL_SHARE and PUBLIC_SHARE; the hall's ballots all counted within VOTE_SECONDS,
# the room's screen showing each change (a ballot, the vote, the floor) within SCREEN_SECONDS.
PAGE_P95_MS = 50.0
PAGE_SHARE = 5.0
POLL_SHARE = 30.0
PUBLIC_SHARE = 30.0
VOTE_SECONDS = 10.0
SCREEN_SECONDS = 1.0


def pages(s: dict[str, Any]) -> list[Row]:
    """The rows measured with wrk, in the table's order. The searches: words common together
    ("hop khong giay"), a common phrase, diacritics and capitals, a word about half the meetings
    hold ("giao": giao ban, giáo dục, an toàn giao thông) and a rare one (a number in a few
    titles)."""
    m30, vote = s["m30"], s["vote"]
    return [
        Row("bare Django view", "public", "/__bare__/", "bare"),
        # What every signed-in page costs before its content: the budget's floor.
        Row("signed-in empty page (base.html), a unit", "unit", "/__empty__/", "empty"),
        Row("clerk's dashboard", "clerk", "/bang-dieu-khien/", "page"),
        Row("clerk's meeting list", "clerk", "/cuoc-hop/", "page"),
        Row("clerk's list, q=hop khong giay", "clerk", "/cuoc-hop/?q=hop+khong+giay", "page"),
        Row("clerk's list, q=chuyen doi so", "clerk", "/cuoc-hop/?q=chuyen+doi+so", "page"),
        Row(
            "clerk's list, q=ĐƯỜNG TỈNH ngân sách",
            "clerk",
            "/cuoc-hop/?q=%C4%90%C6%AF%E1%BB%9CNG+T%E1%BB%88NH+ng%C3%A2n+s%C3%A1ch",
            "page",
        ),
        Row("clerk's list, q=giao (half the meetings)", "clerk", "/cuoc-hop/?q=giao", "page"),
        Row("clerk's list, q=4242 (rare)", "clerk", "/cuoc-hop/?q=4242", "page"),
        Row("unit's dashboard", "unit", "/bang-dieu-khien/", "page"),
        Row("unit's meeting list", "unit", "/cuoc-hop/", "page"),
        Row("unit's week calendar", "unit", "/lich/tuan/", "page"),
        Row("meeting page (30 invitees, 10 docs), organiser", "clerk", f"/cuoc-hop/{m30}/", "page"),
        Row("meeting page (30 invitees, 10 docs), invitee", "invitee", f"/cuoc-hop/{m30}/", "page"),
        Row("room screen poll (304)", "clerk", f"/cuoc-hop/{m30}/man-hinh/khung/", "poll"),
        Row("vote's live count poll (304)", "clerk", f"/bieu-quyet/{vote}/truc-tiep/", "poll"),
        Row("votes list poll, invitee (304)", "invitee", f"/cuoc-hop/{m30}/bieu-quyet/", "poll"),
        Row(
            "vote's result poll, invitee (304)",
            "invitee",
            f"/bieu-quyet/{vote}/cho-ket-qua/",
            "poll",
        ),
        Row("member's vote banner poll (304)", "invitee", f"/cuoc-hop/{m30}/loi-moi/", "poll"),
        Row(
            "comments poll (304)",
            "unit",
            f"/cuoc-hop/{s['commented']}/y-kien/danh-sach/",
            "poll",
        ),
        Row("public schedule", "public", "/lich-hop/", "public"),
        Row("public search, q=giao ban", "public", "/lich-hop/?period=all&q=giao+ban", "public"),
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
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/__bare__/", timeout=5)  # noqa: S310
                break
            except OSError:  # not listening yet, or a worker still booting on a busy machine
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


def _static_fingerprint() -> str:
    """What collectstatic's output depends on: every file under a `static` folder of the
    checkout, and the front-end packages' lock file."""
    seen = hashlib.sha256()
    for top, folders, files in os.walk(BASE):
        folders[:] = [f for f in folders if f not in (".git", ".venv", "node_modules")]
        if "static" in Path(top).relative_to(BASE).parts:
            for name in sorted(files):
                info = (Path(top) / name).stat()
                seen.update(f"{top}/{name}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    seen.update((BASE / "package-lock.json").read_bytes())
    return seen.hexdigest()


def static_root(env: dict[str, str]) -> Path:
    """The collected static files, kept between runs beside the kept database: collectstatic
    with the production storage (hashed, compressed) takes minutes on a busy machine, and is run
    again only when a static file of the checkout changed."""
    key = hashlib.sha256(str(BASE).encode()).hexdigest()[:8]
    root = Path(tempfile.gettempdir()) / f"hkg-bench-static-{key}"
    mark = root / ".fingerprint"
    fingerprint = _static_fingerprint()
    if not (mark.exists() and mark.read_text() == fingerprint):
        env = {**env, "STATIC_ROOT": str(root)}
        manage(env, "collectstatic", "--no-input", "--clear", "-v", "0")
        mark.write_text(fingerprint)
    return root


@dataclass
class Measured:
    row: Row
    one: list[float]  # wrk's RESULT at 1 client: requests, errors, req/s, p50, p95, p99, ...
    many: list[float]  # the same at 16 clients


def measure(rows: list[Row], cookies: dict[str, str | None], note: Any) -> list[Measured]:
    """Each row at 1 client, then 16, one after the other; the bare view first and again last,
    so that the figures are compared with the bare view as the machine stood around them."""
    done: list[Measured] = []
    for row in [*rows, rows[0]]:
        headers: list[str] = []
        if row.kind == "poll":
            headers = ["HX-Request: true"]
            code, got = status_of(row.path, cookies[row.who], headers)
            if code != 200 or "ETag" not in got:
                raise RuntimeError(f"{row.label}: answered {code} without an ETag")
            headers.append(f"If-None-Match: {got['ETag']}")
        expected = 304 if row.kind == "poll" else 200
        code, _ = status_of(row.path, cookies[row.who], headers)
        if code != expected:
            raise RuntimeError(f"{row.label}: answered {code}, not {expected}")
        status_of(row.path, cookies[row.who], headers)  # warm: caches, connections
        one = wrk(row.path, cookies[row.who], 1, headers)
        many = wrk(row.path, cookies[row.who], 16, headers)
        if one[1] or many[1]:  # answers other than 2xx/3xx, or none: not the page measured
            raise RuntimeError(f"{row.label}: {int(one[1] + many[1])} requests failed under wrk")
        note(f"{row.label:48} 1 client p95 {one[4]:6.1f} ms | 16 clients {many[2]:7.1f} req/s")
        done.append(Measured(row, one, many))
    return done


def votes_run(note: Any) -> dict[str, Any]:
    """scripts/bench_votes.py in its own process (its own throwaway database and gunicorn), its
    figures handed back as JSON; its own report goes to a file beside the table."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "votes.json"
        log = Path(tempfile.gettempdir()) / "hkg-bench-votes.log"
        env = {**os.environ, "BENCH_VOTES_JSON": str(out)}
        env.setdefault("BENCH_VOTE_SECONDS", "0")
        with log.open("w") as sink:
            done = subprocess.run(  # noqa: S603
                [PY, str(BASE / "scripts" / "bench_votes.py")],
                cwd=BASE,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                check=False,
            )
        note(f"votes: exit {done.returncode}, its report in {log}")
        if not out.exists():
            return {"error": f"bench_votes.py ended with {done.returncode}, see {log}"}
        return dict(json.loads(out.read_text()))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def table(measured: list[Measured], votes: dict[str, Any] | None) -> list[str]:
    """The one table: each row's figures, its budget and PASS or FAIL."""
    bares = [m.many[2] for m in measured if m.row.kind == "bare"]
    bare = statistics.mean(bares)
    lines = [
        "| row | 1 client p95 | 16 clients req/s | % of bare | budget | result |",
        "|---|---|---|---|---|---|",
    ]
    seen_bare = False
    for m in measured:
        share = 100 * m.many[2] / bare
        errors = m.one[1] + m.many[1]
        figures = f"{m.one[4]:.1f} ms | {m.many[2]:.0f} | {share:.1f} %"
        if m.row.kind == "bare":
            if seen_bare:
                continue
            seen_bare = True
            spread = " / ".join(f"{b:.0f}" for b in bares)
            lines.append(
                f"| {m.row.label} (first / last run: {spread} req/s) | {m.one[4]:.1f} ms | "
                f"{bare:.0f} | 100 % | baseline | |"
            )
            continue
        if m.row.kind == "empty":
            lines.append(f"| {m.row.label} | {figures} | reference | |")
            continue
        if m.row.kind == "page":
            budget = f"p95 ≤ {PAGE_P95_MS:g} ms, ≥ {PAGE_SHARE:g} %"
            ok = m.one[4] <= PAGE_P95_MS and share >= PAGE_SHARE
        else:
            least = POLL_SHARE if m.row.kind == "poll" else PUBLIC_SHARE
            budget = f"≥ {least:g} %"
            ok = share >= least
        if errors:
            budget += f" ({int(errors)} errors)"
            ok = False
        if not (m.one[0] and m.many[0]):  # nothing answered within the run: no figure to trust
            budget += " (no answer within the run)"
            ok = False
        lines.append(f"| {m.row.label} | {figures} | {budget} | {verdict(ok)} |")
    if votes is not None:
        label = f"{votes.get('voters', 500)} ballots, voters arriving over "
        label += f"{votes.get('spread', 0):g} s, the screen polling"
        if "error" in votes:
            lines.append(f"| {label} | {votes['error']} | | | ≤ {VOTE_SECONDS:g} s | FAIL |")
        else:
            # The screen's delay: its worst over the run's changes (nan, failing, if it showed
            # none of them).
            behind = votes.get("screen_max", float("nan"))
            screen_ok = behind <= SCREEN_SECONDS and not votes.get("screen_errors", 1)
            ok = votes["seconds"] <= VOTE_SECONDS and votes["counted_ok"] and screen_ok
            counted = (
                f"{votes['ballots']} counted once, {votes['accepted']} accepted, "
                f"{votes['refused']} second taps refused, {votes['errors']} errors; the screen "
                f"behind by {votes.get('screen_p50', float('nan')) * 1000:.0f} ms p50, "
                f"{behind * 1000:.0f} ms at worst"
            )
            lines.append(
                f"| {label} | {votes['seconds']:.1f} s, cast p95 {votes['cast_p95']:.0f} ms | "
                f"{votes['rps']:.0f} (all requests) | {counted} | ≤ {VOTE_SECONDS:g} s, "
                f"none lost or counted twice, the screen ≤ {SCREEN_SECONDS:g} s behind | "
                f"{verdict(ok)} |"
            )
    return lines


LATEST_START = "<!-- latest run: written by scripts/bench_load.py -->"
LATEST_END = "<!-- end of the latest run -->"


def write_latest(lines: list[str], header: str) -> None:
    """The table into docs/benchmarks.md, between its markers (the section "Latest run")."""
    doc = BASE / "docs" / "benchmarks.md"
    text = doc.read_text()
    if LATEST_START not in text or LATEST_END not in text:
        print(f"{doc}: no markers for the latest run; the table is not written there")
        return
    head, rest = text.split(LATEST_START, 1)
    _, tail = rest.split(LATEST_END, 1)
    body = "\n".join([header, "", *lines])
    doc.write_text(f"{head}{LATEST_START}\n{body}\n{LATEST_END}{tail}")
    print(f"written into {doc.relative_to(BASE)}")


def run(url: str) -> None:
    def note(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    folder = tempfile.mkdtemp(prefix="hkg-bench-")
    env = environment(url, str(static_root(environment(url, f"{folder}/static"))), folder)
    s = json.loads(manage(env, "shell", "-c", SETUP, capture=True).strip().splitlines()[-1])
    cookies: dict[str, str | None] = {
        "public": None,
        **{who: f"{s['cookie']}={s[who]}" for who in ("clerk", "unit", "invitee")},
    }
    only = os.environ.get("BENCH_ONLY", "")
    rows = [r for r in pages(s) if r.kind in ("bare", "empty") or not only or only in r.label]
    load = os.getloadavg()
    began = time.strftime("%d/%m/%Y %H:%M", time.localtime())
    with gunicorn(env) as app:
        measured = measure(rows, cookies, note)
        if os.environ.get("BENCH_DOWNLOADS"):
            downloads(env, folder, str(cookies["clerk"]), app.pid)
    shutil.rmtree(folder, ignore_errors=True)
    votes = None if only else votes_run(note)
    lines = table(measured, votes)
    after = os.getloadavg()
    header = (
        f"Run on {began} ({time.tzname[0]}), {s['meetings']} meetings and {s['units']} units, "
        f"gunicorn 2 workers (sync) with the production settings on PostgreSQL, wrk for "
        f"{SECONDS} s at 1 and at 16 clients a row; load average {load[0]:.1f} before, "
        f"{after[0]:.1f} after (the machine's 2 cores are shared)."
    )
    print()
    print(header)
    print()
    print("\n".join(lines))
    if not only and not os.environ.get("BENCH_LOAD_NO_DOCS"):
        write_latest(lines, header)


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


def generated(url: str, meetings: int) -> bool:
    """Whether the database holds a finished `generate_data` of this size (its showcase meetings
    are made last)."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3) as c:
            found = c.execute(
                "SELECT (SELECT count(*) FROM meetings_meeting), EXISTS (SELECT 1 FROM "
                "meetings_meeting WHERE title = %s)",
                ["Họp mẫu 500 thành phần"],
            ).fetchone()
    except psycopg.Error:
        return False
    return bool(found and found[0] >= meetings and found[1])


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    given = os.environ.get("BENCH_LOAD_DB")
    if given:
        run(given)
        return
    import dj_database_url
    import psycopg

    meetings = os.environ.get("BENCH_MEETINGS", "100000")
    units = os.environ.get("BENCH_UNITS", "1000")
    cfg = dj_database_url.parse(PG)
    admin: dict[str, Any] = {"host": cfg["HOST"], "port": cfg["PORT"] or 5432, "user": cfg["USER"]}
    # Kept between runs: generating the province takes minutes. BENCH_FRESH=1 makes it again.
    name = f"{cfg['NAME']}_load_{meetings}x{units}"
    url = PG.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(**admin, dbname="postgres", autocommit=True, connect_timeout=3) as c:
        fresh = os.environ.get("BENCH_FRESH") or not generated(url, int(meetings))
        if fresh:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{name}"')
    env = environment(url, tempfile.mkdtemp(prefix="hkg-static-"))
    manage(env, "migrate", "-v", "0")  # a kept database gets this checkout's migrations
    if fresh:
        began = time.perf_counter()
        manage(env, "generate_data", "--meetings", meetings, "--units", units)
        # An office's database in use is vacuumed by autovacuum long before it holds 100 000
        # meetings; a freshly generated one is not, and its plans differ (the invitations are
        # then read through the table instead of from their index alone).
        with psycopg.connect(url, autocommit=True) as c:
            c.execute("VACUUM (ANALYZE)")
        print(f"generated in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    else:
        print(f"the generated database {name} is reused (BENCH_FRESH=1 to make it again)",
              file=sys.stderr)  # fmt: skip
    run(url)


if __name__ == "__main__":
    main()
