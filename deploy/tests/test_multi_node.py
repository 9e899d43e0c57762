"""A province's set-up on one machine, from the files in deploy/: PostgreSQL (a fresh database),
Redis (cache and task queue), an S3 server (moto), two app servers started with the command line
of deploy/systemd/hopkhonggiay@.service, the worker of hopkhonggiay-worker.service, nginx with
deploy/nginx/hopkhonggiay.conf (TLS aside) in front, and an SMTP server on loopback.

Everything is started once, for one test that walks through what several app servers must agree
on: a document uploaded through one downloads byte for byte through the other; a comment posted on
one shows in the other's live list; a lockout on one holds on the other; an e-mail is sent once;
an app server killed in the middle of a download leaves nginx serving from the other.

Skipped only where nginx or moto cannot be installed (`make test` installs nginx-light); never
under CI=true, where a missing part fails the test instead."""

import contextlib
import hashlib
import html.parser
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from notifications.tests.smtp import SMTPServer

BASE = Path(settings.BASE_DIR)
DEPLOY = BASE / "deploy"
VENV_BIN = Path(sys.executable).parent
PG = os.environ.get("TEST_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
WAIT = 60  # seconds any one part may take to start or finish its work before the test fails


def missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the multi-node test must run)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, check: Any, timeout: float = WAIT, explain: Any = None) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            detail = explain() if explain else ""
            raise AssertionError(f"{what}: not within {timeout:.0f} s\n{detail}")
        time.sleep(0.2)


# ---- the files in deploy/, made runnable on loopback ------------------------------------------
def unit_command(unit: str, **replace: str) -> list[str]:
    """The ExecStart of a systemd unit in deploy/systemd/, with this checkout and venv in place of
    /srv/hopkhonggiay and the given replacements."""
    text = (DEPLOY / "systemd" / unit).read_text()
    line = next(x for x in text.splitlines() if x.startswith("ExecStart="))
    line = line.removeprefix("ExecStart=").replace("/srv/hopkhonggiay/.venv/bin/", f"{VENV_BIN}/")
    for old, new in replace.items():
        assert old in line, f"{unit}: {old!r} not in its ExecStart {line!r}"
        line = line.replace(old, new)
    return shlex.split(line)


def render_nginx(folder: Path, listen: int, app_ports: list[int]) -> Path:
    """deploy/nginx/hopkhonggiay.conf without TLS, on a loopback port, in front of the test's app
    servers, writing into `folder`; each step must find what it changes, so the test follows the
    file. Adds the upstream's address to responses, to know which app server answered."""
    site = (DEPLOY / "nginx" / "hopkhonggiay.conf").read_text()
    servers = "".join(
        f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;\n" for p in app_ports
    )
    steps: list[tuple[str, str]] = [
        # The app servers: the test's two instead of the example's.
        (r"(upstream hopkhonggiay_app \{\n)(?:    server [^\n]+\n)+", r"\g<1>" + servers),
        # No port-80 redirect, no TLS: nginx listens on loopback and tells the app the request
        # came over HTTPS, as it does when it ends TLS itself.
        (r"server \{\n    listen 80;.*?\n\}\n", ""),
        (r"    listen 443 ssl http2;\n", f"    listen 127.0.0.1:{listen};\n"),
        (r"    listen \[::\]:443 ssl http2;\n", ""),
        (r"    ssl_[a-z_]+ [^\n]+;\n", ""),
        (r"\$scheme", "https"),
        (r"/var/log/nginx/", f"{folder}/"),
        (r"/var/lib/hopkhonggiay/", f"{folder}/"),
        (
            r"(    proxy_set_header X-Request-ID \$request_id;\n)",
            r"\g<1>    add_header X-Upstream $upstream_addr always;\n",
        ),
    ]
    for pattern, replacement in steps:
        site, count = re.subn(pattern, replacement, site, flags=re.S)
        assert count, f"deploy/nginx/hopkhonggiay.conf no longer has {pattern!r}"
    (folder / "site.conf").write_text(site)
    main = folder / "nginx.conf"
    temp = "".join(
        f"    {kind}_temp_path {folder}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main.write_text(
        f"daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/error.log;\n"
        f"events {{ worker_connections 256; }}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n{temp}"
        f"    access_log {folder}/access.log;\n    include {folder}/site.conf;\n}}\n"
    )
    return main


# ---- a browser of sorts --------------------------------------------------------------------------
class Inputs(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "input" and named.get("name") and named.get("type") == "hidden":
            self.values[str(named["name"])] = named.get("value") or ""


class Browser:
    def __init__(self, origin: str) -> None:
        import requests

        self.origin = origin  # what the app believes the site is (CSRF's trusted origin)
        self.session = requests.Session()
        # Straight to an app server, the request must say what nginx says: it came over HTTPS.
        self.session.headers.update({"X-Forwarded-Proto": "https", "Referer": origin + "/"})

    def plain(self, response: Any) -> Any:
        """The app marks its cookies Secure (HTTPS in production); nginx speaks plain HTTP on
        loopback here, so the client keeps sending them."""
        for cookie in self.session.cookies:
            cookie.secure = False
        return response

    def get(self, url: str, **kwargs: Any) -> Any:
        import requests

        try:
            response = self.session.get(url, allow_redirects=False, timeout=30, **kwargs)
        except requests.exceptions.ChunkedEncodingError as error:
            raise AssertionError(f"GET {url}: the answer was cut short: {error}") from error
        return self.plain(response)

    def post(self, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
        token = self.session.cookies.get("csrftoken")
        if token is None:
            self.get(url)
            token = self.session.cookies.get("csrftoken")
        data = {"csrfmiddlewaretoken": token, **data}
        return self.plain(
            self.session.post(url, data=data, allow_redirects=False, timeout=60, **kwargs)
        )

    def hidden_inputs(self, url: str) -> dict[str, str]:
        page = self.get(url)
        assert page.status_code == 200, f"GET {url}: {page.status_code}"
        parser = Inputs()
        parser.feed(page.text)
        return parser.values

    def sign_in(self, base: str, username: str, password: str) -> Any:
        self.get(base + "/tai-khoan/dang-nhap/")
        return self.post(
            base + "/tai-khoan/dang-nhap/", {"username": username, "password": password}
        )


# ---- the cluster -------------------------------------------------------------------------------
@dataclass
class Cluster:
    folder: Path
    env: dict[str, str]
    site: str  # nginx
    origin: str  # what the app believes the site is
    apps: dict[int, str]  # port -> base URL, straight to the app server
    smtp: SMTPServer
    bucket: Any
    ids: dict[str, int] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 (our own commands)
            command,
            cwd=BASE,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def answers(self, name: str, url: str) -> bool:
        """Whether the process answers at url; an error with its log if it has exited."""
        if self.processes[name].poll() is not None:
            raise AssertionError(f"{name} exited before answering\n{self.log(name)}")
        return answers(url)

    def log(self, name: str, lines: int = 40) -> str:
        path = self.folder / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return f"--- {name}.log\n" + "\n".join(text.splitlines()[-lines:])

    def logs(self) -> str:
        return "\n".join(self.log(name) for name in self.processes)

    def run(self, *args: str) -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "deploy.tests.cluster", *args],
            cwd=BASE,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def kill(self, name: str) -> None:
        process = self.processes[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for name, process in self.processes.items():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill(name)


def answers(url: str) -> bool:
    import requests

    try:
        requests.get(url, timeout=2, allow_redirects=False)
    except requests.RequestException:
        return False
    return True


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not nginx:
        missing("nginx is not installed (make test installs nginx-light)")
    try:
        from core.testing.s3 import s3_client, start_moto_server, stop_moto_server
    except ImportError as error:
        missing(f"moto cannot be imported: {error}")
    import dj_database_url
    import psycopg
    import redis

    admin = dj_database_url.parse(PG)
    connect = {
        "host": admin["HOST"],
        "port": admin["PORT"] or 5432,
        "user": admin["USER"],
        "password": admin["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    try:
        psycopg.connect(**connect, connect_timeout=3).close()
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except Exception as error:  # noqa: BLE001 (any failure to reach them means the same)
        missing(f"PostgreSQL ({PG}) or Redis ({REDIS}) does not answer: {error}")

    folder = tmp_path_factory.mktemp("cluster")
    for sub in ("media", "static"):
        (folder / sub).mkdir()
    database = f"hkg_deploy_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**connect) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    moto, endpoint = start_moto_server()
    bucket = f"hkg-cluster-{uuid.uuid4().hex[:8]}"
    client = s3_client(endpoint)
    client.create_bucket(Bucket=bucket)
    smtp = SMTPServer().start()
    listen, app_ports = free_port(), [free_port(), free_port()]
    site = f"http://127.0.0.1:{listen}"
    origin = f"https://127.0.0.1:{listen}"
    from core.testing import s3

    env = {
        **{k: v for k, v in os.environ.items() if k not in {"EMAIL_BACKEND", "TASK_SYNC"}},
        "DJANGO_SETTINGS_MODULE": "deploy.tests.cluster_settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": origin,
        "SITE_URL": origin,
        "DATABASE_URL": PG.rsplit("/", 1)[0] + "/" + database,
        "STORAGE_URL": f"s3://{bucket}",
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": s3.ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": s3.SECRET_KEY,
        "AWS_S3_REGION_NAME": s3.REGION,
        "AWS_S3_ADDRESSING_STYLE": "path",
        "DOCUMENT_DOWNLOADS": "stream",
        "MEDIA_ROOT": str(folder / "media"),
        "CACHE_URL": f"{REDIS}/13",
        "TASK_BROKER_URL": f"{REDIS}/14",
        "TASK_QUEUE_NAME": f"hkg-cluster-{uuid.uuid4().hex[:8]}",
        "TASK_WORKERS": "1",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": "10",
        "NOTIFY_RETRY_BASE_SECONDS": "1",
        "NOTIFY_RETRY_MAX_SECONDS": "2",
        "TWO_FACTOR_REQUIRED_ROLES": "none",
        "TRUSTED_PROXY_COUNT": "1",
        "LOGIN_FAILURE_LIMIT": "3",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    apps = {port: f"http://127.0.0.1:{port}" for port in app_ports}
    cluster = Cluster(folder, env, site, origin, apps, smtp, bucket=(client, bucket))
    try:
        cluster.ids = cluster.run("setup")
        for port in app_ports:
            # One process of four threads per app server in the test (the unit runs three).
            cluster.start(
                f"app-{port}",
                unit_command(
                    "hopkhonggiay@.service", **{"%i": str(port), "--workers 3": "--workers 1"}
                ),
            )
        cluster.start("worker", unit_command("hopkhonggiay-worker.service"))
        conf = render_nginx(folder, listen, app_ports)
        checked = subprocess.run(
            [nginx, "-t", "-c", str(conf), "-p", str(folder), "-e", str(folder / "error.log")],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert checked.returncode == 0, "nginx -t: " + checked.stderr
        cluster.start(
            "nginx", [nginx, "-c", str(conf), "-p", str(folder), "-e", str(folder / "error.log")]
        )
        for port, url in apps.items():
            wait_for(
                f"app server on {port}",
                lambda port=port, url=url: cluster.answers(f"app-{port}", url + "/healthz"),
                explain=cluster.logs,
            )
        wait_for("nginx", lambda: cluster.answers("nginx", site + "/healthz"), explain=cluster.logs)
        yield cluster
    finally:
        cluster.stop()
        queue = redis.Redis.from_url(env["TASK_BROKER_URL"])
        for key in queue.scan_iter(match=f"*{env['TASK_QUEUE_NAME']}*"):
            queue.delete(key)
        smtp.stop()
        stop_moto_server(moto)
        with psycopg.connect(**connect) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


# ---- the test ----------------------------------------------------------------------------------
def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_two_app_servers_behind_nginx_act_as_one_site(cluster: Cluster) -> None:
    from deploy.tests.cluster import PASSWORD

    one, other = cluster.apps.values()
    opened, draft = cluster.ids["open"], cluster.ids["draft"]
    clerk = Browser(cluster.origin)
    signed_in = clerk.sign_in(cluster.site, "vanthu", PASSWORD)
    assert signed_in.status_code == 302, (
        f"the clerk signs in through nginx: {signed_in.status_code}\n{signed_in.text[:3000]}"
    )

    # nginx gives each request an id; the app returns it, and nginx's access log carries it.
    page = clerk.get(cluster.site + f"/cuoc-hop/{opened}/")
    assert page.status_code == 200, page.status_code
    request_id = page.headers.get("X-Request-ID", "")
    assert re.fullmatch(r"[0-9a-f]{32}", request_id), f"X-Request-ID {request_id!r}"
    access_log = cluster.folder / "hopkhonggiay.access.log"
    wait_for(
        "the request in nginx's access log", lambda: f"rid={request_id}" in access_log.read_text()
    )
    # Secrets in addresses stay out of nginx's access log: a calendar feed's token, a check-in
    # code, in the request line and in the referrer.
    feed_token, code = "FeedTokenSecret0123456789", "CheckInCodeSecret.abc-9_x"
    clerk.get(cluster.site + f"/lich/ical/{feed_token}.ics")
    clerk.get(
        cluster.site + f"/cuoc-hop/{opened}/quet-diem-danh/{code}/",
        headers={"Referer": cluster.site + f"/lich/ical/{feed_token}.ics?x=1"},
    )
    wait_for("both in nginx's access log", lambda: "/quet-diem-danh/***/" in access_log.read_text())
    logged = access_log.read_text()
    assert "/lich/ical/***.ics" in logged, logged[-2000:]
    assert feed_token not in logged and code not in logged, logged[-2000:]

    # 1. A document uploaded through one app server downloads byte for byte through the other, from
    # the bucket (nothing on either's disk).
    payload = b"%PDF-1.4\n" + os.urandom(3 * 1024 * 1024) + b"\n%%EOF\n"
    uploaded = clerk.post(
        one + f"/cuoc-hop/{opened}/tai-lieu/them/",
        {},
        files={"files": ("Báo cáo tổng hợp.pdf", payload, "application/pdf")},
    )
    assert uploaded.status_code == 302, f"upload: {uploaded.status_code}\n{uploaded.text[:3000]}"
    detail = clerk.get(other + f"/cuoc-hop/{opened}/")
    links = sorted(set(re.findall(r'href="(/tai-lieu/\d+/tai-ve/)"', detail.text)))
    assert len(links) == 1, f"one document on the meeting page, links {links}"
    download = clerk.get(other + links[0])
    assert download.status_code == 200, download.status_code
    assert len(download.content) == len(payload) and sha(download.content) == sha(payload), (
        "the other app server sends other bytes"
    )
    client, bucket = cluster.bucket
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert keys, "the document is in the bucket"
    assert not any((cluster.folder / "media").rglob("*.*")), "nothing written to local disk"

    # 2. A comment posted on one app server shows in the other's live list (comments:feed).
    unit = Browser(cluster.origin)
    assert unit.sign_in(one, "stc", PASSWORD).status_code == 302
    feed = f"/cuoc-hop/{opened}/y-kien/danh-sach/"
    text = f"Đề nghị bổ sung số liệu quý IV ({uuid.uuid4().hex[:8]})"
    before = unit.get(other + feed)
    assert before.status_code == 200 and text not in before.text
    posted = unit.post(one + f"/cuoc-hop/{opened}/y-kien/", {"body": text})
    assert posted.status_code == 302, f"comment: {posted.status_code}\n{posted.text[:3000]}"
    after = unit.get(other + feed)
    assert after.status_code == 200 and text in after.text, "the other app server's list lacks it"

    # 3. An account locked through one app server stays locked on the other.
    intruder = Browser(cluster.origin)
    for _ in range(3):  # LOGIN_FAILURE_LIMIT
        tried = intruder.sign_in(one, "chuyenvien", "mat-khau-sai")
        assert tried.status_code in (200, 429), tried.status_code
    owner = Browser(cluster.origin)
    refused = owner.sign_in(other, "chuyenvien", PASSWORD)
    assert refused.status_code == 429, (
        f"the right password on the other app server: {refused.status_code}, expected the lockout"
    )
    assert "sessionid" not in owner.session.cookies

    # 4. A meeting published through nginx: the worker sends each message once.
    earlier = {row["pk"] for row in cluster.run("outbox")}
    form = clerk.hidden_inputs(cluster.site + f"/cuoc-hop/{draft}/phat-hanh/")
    published = clerk.post(
        cluster.site + f"/cuoc-hop/{draft}/phat-hanh/", {**form, "late_reason": "Họp gấp"}
    )
    assert published.status_code == 302, (
        f"publish: {published.status_code}\n{published.text[:3000]}"
    )

    def all_sent() -> list[dict] | None:
        rows = cluster.run("outbox")
        new = [row for row in rows if row["pk"] not in earlier]
        return rows if new and all(row["status"] == "sent" for row in rows) else None

    rows = wait_for(
        "the outbox sent by the worker",
        all_sent,
        explain=lambda: json.dumps(cluster.run("outbox")) + "\n" + cluster.log("worker"),
    )
    with cluster.smtp.mailbox.lock:
        received = Counter(
            str(m.message["Message-ID"]).strip("<>") for m in cluster.smtp.mailbox.messages
        )
    for row in rows:
        count = received[row["message_id"].strip("<>")]
        assert count == 1, f"{row['to_email']} received message {row['message_id']} {count} times"
    assert sum(received.values()) == len(rows), f"{received} for {len(rows)} outbox messages"

    # 5. An app server killed in the middle of a download: nginx serves the next requests from
    # the other. (The interrupted download ends short, or whole if nginx had it all already.)
    import requests

    url = cluster.site + links[0]
    with clerk.session.get(url, stream=True, timeout=30) as first:
        assert first.status_code == 200, first.status_code
        served_by = first.headers["X-Upstream"].rsplit(":", 1)[-1]
        chunks = first.iter_content(64 * 1024)
        got = next(chunks)
        cluster.kill(f"app-{served_by}")
        with contextlib.suppress(requests.RequestException):
            got += b"".join(chunks)
        if len(got) >= len(payload):
            assert sha(got) == sha(payload), "a download cut by the kill came whole but different"
    survivor = next(str(port) for port in cluster.apps if str(port) != served_by)
    for attempt in range(3):
        again = clerk.get(url)
        assert again.status_code == 200, (
            f"request {attempt + 1} after the kill: {again.status_code}"
        )
        assert sha(again.content) == sha(payload), f"request {attempt + 1}: other bytes"
        assert again.headers["X-Upstream"].endswith(":" + survivor), again.headers["X-Upstream"]
