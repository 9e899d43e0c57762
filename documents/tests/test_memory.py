"""A 300 MB document goes up and comes back down through a real HTTP server without the process
holding it in memory: the peak resident memory grows by less than 50 MB (M3)."""

import hashlib
import http.client
import re
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import override_settings

from accounts.tests.factories import signed_in_client
from documents.models import Document
from meetings.tests.factories import catalog, make_meeting, pdf_bytes, publish

SIZE = 300 * 1024 * 1024
CHUNK = 1024 * 1024
LIMIT = 50 * 1024 * 1024


def rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


class Sampler(threading.Thread):
    """The process's resident memory every 20 ms, to catch a peak between two looks."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss())
            time.sleep(0.02)


def upload_temp_files() -> set[Path]:
    """Django's temporary upload files (TemporaryUploadedFile: <random>.upload<ext>)."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())
    return set(folder.glob("*.upload*"))


def payload(digest) -> Iterator[bytes]:
    head = pdf_bytes("300 MB")
    digest.update(head)
    yield head
    left = SIZE - len(head)
    zeros = b"\0" * CHUNK
    while left > 0:
        chunk = zeros[: min(CHUNK, left)]
        digest.update(chunk)
        left -= len(chunk)
        yield chunk


@pytest.mark.django_db(transaction=True)
@override_settings(DOCUMENT_MAX_UPLOAD_BYTES=400 * 1024 * 1024)
def test_300_mb_up_and_down_in_little_memory(live_server, role_users, department) -> None:
    clerk = role_users["clerk"]
    catalog()  # the live server's transactional database may have flushed the seeded catalog
    meeting = make_meeting(by=clerk, units=[department])
    publish(meeting, clerk)
    client = signed_in_client(clerk)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    host = urlparse(live_server.url)
    path = f"/cuoc-hop/{meeting.pk}/tai-lieu/them/"

    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=300)
    conn.request("GET", path, headers={"Cookie": f"sessionid={session}"})
    page = conn.getresponse()
    html = page.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    conn.close()

    boundary = uuid.uuid4().hex
    before = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{token}\r\n--{boundary}\r\n"
        'Content-Disposition: form-data; name="files"; filename="Tài liệu lớn.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    after = f"\r\n--{boundary}--\r\n".encode()
    sent = hashlib.sha256()
    temp_before = upload_temp_files()
    document = None
    uploaded = 0.0
    length = 0

    baseline = rss()
    sampler = Sampler()
    sampler.start()
    started = time.monotonic()
    try:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=300)
        conn.putrequest("POST", path)
        conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        conn.putheader("Content-Length", str(len(before) + SIZE + len(after)))
        conn.putheader("Cookie", f"sessionid={session}; csrftoken={csrf_cookie}")
        conn.putheader("Referer", live_server.url + path)
        conn.endheaders()
        conn.send(before)
        for chunk in payload(sent):
            conn.send(chunk)
        conn.send(after)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        assert response.status == 302, (response.status, body[:2000])
        uploaded = time.monotonic() - started

        document = Document.objects.get(meeting=meeting)
        assert document.current.size == SIZE
        assert document.current.sha256 == sent.hexdigest()
        assert document.current.original_name == "Tài liệu lớn.pdf"

        received = hashlib.sha256()
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=300)
        conn.request(
            "GET", f"/tai-lieu/{document.pk}/tai-ve/", headers={"Cookie": f"sessionid={session}"}
        )
        response = conn.getresponse()
        assert response.status == 200
        while chunk := response.read(CHUNK):
            received.update(chunk)
            length += len(chunk)
        conn.close()
    finally:
        sampler.running = False
        sampler.join()
        if document is None:  # the upload failed: remove whatever it stored
            document = Document.objects.filter(meeting=meeting).first()
        if document is not None and document.current is not None:
            document.current.file.storage.delete(document.current.file.name)
    elapsed = time.monotonic() - started
    growth = sampler.peak - baseline
    figures = (
        f"300 MB up and down: baseline RSS {baseline / 2**20:.1f} MiB, peak "
        f"{sampler.peak / 2**20:.1f} MiB, growth {growth / 2**20:.1f} MiB; "
        f"upload {uploaded:.1f} s, upload + download {elapsed:.1f} s"
    )
    print(figures)
    out = Path(settings.BASE_DIR) / "test-output"
    out.mkdir(exist_ok=True)
    (out / "memory.txt").write_text(figures + "\n")
    assert length == SIZE
    assert received.hexdigest() == sent.hexdigest() == document.current.sha256
    assert not document.current.file.storage.exists(document.current.file.name)
    assert upload_temp_files() <= temp_before, "a temporary upload file was left behind"
    assert growth < LIMIT, figures
