"""A real app server (gunicorn) whose database does not answer: /healthz still says ok, /readyz
names the database, and its log lines come out as JSON on stderr with the request's id."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from .helpers import closed_port

GUNICORN = Path(sys.executable).with_name("gunicorn")


def _get(url: str, request_id: str = "") -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, headers={"X-Request-ID": request_id} if request_id else {}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def server_without_database(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = closed_port()
    log = tmp_path / "stderr.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/hkg_nowhere",
        "LOG_FORMAT": "json",
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("wb") as stderr:
        process = subprocess.Popen(  # noqa: S603 (our own venv's gunicorn)
            # The access log as the systemd unit writes it (deploy/systemd/hopkhonggiay@.service).
            [str(GUNICORN), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"]
            + ["--access-logfile", "-", "--error-logfile", "-"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=stderr,
            stderr=stderr,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, log.read_text()
                try:
                    _get(url + "/healthz")
                    break
                except OSError:
                    assert time.monotonic() < deadline, "gunicorn did not start: " + log.read_text()
                    time.sleep(0.2)
            yield url, log
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_database_down(server_without_database: tuple[str, Path]) -> None:
    url, log = server_without_database
    assert _get(url + "/healthz") == (200, b"ok")

    status, body = _get(url + "/readyz", request_id="probe-51")
    report = json.loads(body)
    assert (status, report["status"]) == (503, "fail"), report
    assert report["checks"]["database"]["status"] == "fail", report
    assert report["checks"]["cache"] == {"status": "ok"}, report
    assert report["checks"]["storage"] == {"status": "ok"}, report

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == "probe-51"]
    assert mine, f"no JSON line with the request's id in: {log.read_text()[-3000:]}"
    assert all(line["view"] == "operations:readyz" for line in mine), mine
    assert any("Database" in line["message"] for line in mine), mine


def test_no_token_in_any_line(server_without_database: tuple[str, Path]) -> None:
    url, log = server_without_database
    status, _ = _get(url + "/lich/ical/Zq9SECRETfeed.ics?token=Zq9SECRETquery&page=2")
    assert status == 500  # the feed needs the database

    # gunicorn writes its access line once the response has gone: wait for it.
    def access_lines() -> list[str]:
        return [line for line in log.read_text().splitlines() if line.startswith("127.0.0.1 - ")]

    deadline = time.monotonic() + 30
    while not any("/lich/ical/" in line for line in access_lines()):
        assert time.monotonic() < deadline, "no access line for the feed"
        time.sleep(0.1)
    output = log.read_text()
    assert "Zq9SECRET" not in output, output[-3000:]
    access = access_lines()
    assert any('"GET /lich/ical/***.ics?token=***&page=2 HTTP/1.1" 500' in a for a in access), (
        access
    )
