"""Downloads: streamed whole or by range, handed to nginx when configured, and "download all" as
one streamed ZIP.

No database: real files in a FileSystemStorage under tmp_path, real requests from RequestFactory.
"""

import io
import os
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import StreamingHttpResponse
from django.test import RequestFactory, override_settings

from documents.streaming import (
    CHUNK_SIZE,
    UNSATISFIABLE,
    file_response,
    is_first_chunk,
    requested_range,
    zip_response,
)

# Closing a response sends request_finished, which looks at the database connections.
pytestmark = pytest.mark.django_db

VIETNAMESE_NAME = "Báo cáo tình hình KT-XH quý III.pdf"
CONTENT = bytes(range(256)) * 4  # 1024 distinct-enough bytes: a wrong offset shows
SIZE = len(CONTENT)
ETAG = "3f2a9c0d"


@pytest.fixture
def local_storage(tmp_path: Path) -> FileSystemStorage:
    return FileSystemStorage(location=tmp_path)


@pytest.fixture
def storage_kind() -> str:
    return "local"


# The tests of the bytes sent run on local disk and on a real S3 server (moto); the header-only
# ones run on local disk alone, the answer does not depend on where the bytes are.
BOTH_STORAGES = pytest.mark.parametrize("storage_kind", ["local", "s3"])


@pytest.fixture
def storage(request, storage_kind: str, tmp_path: Path) -> Storage:
    if storage_kind == "s3":
        request.getfixturevalue("s3_storage")
        return storages.create_storage(settings.STORAGES["default"])
    return FileSystemStorage(location=tmp_path)


@pytest.fixture
def stored(storage: Storage) -> str:
    return storage.save("documents/2025/bao-cao.pdf", ContentFile(CONTENT))


def get(**headers: str):
    """A GET with the given headers; If_Range=... is the If-Range header."""
    named = {key.replace("_", "-"): value for key, value in headers.items()}
    return RequestFactory().get("/documents/1/download/", headers=named)


def send(request, storage, name, *, size=SIZE, etag=ETAG, **kwargs):
    kwargs.setdefault("filename", VIETNAMESE_NAME)
    kwargs.setdefault("content_type", "application/pdf")
    return file_response(request, storage=storage, name=name, size=size, etag=etag, **kwargs)


def body(response) -> bytes:
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


def open_paths() -> set[str]:
    fds = Path("/proc/self/fd")
    paths = set()
    for fd in fds.iterdir():
        try:
            paths.add(os.readlink(fd))
        except OSError:
            continue
    return paths


# --- Whole file ------------------------------------------------------------------------------


@BOTH_STORAGES
def test_the_whole_file_is_streamed_with_its_headers(storage, stored) -> None:
    response = send(get(), storage, stored)
    assert isinstance(response, StreamingHttpResponse)
    assert response.streaming is True
    with pytest.raises(AttributeError):
        response.content  # noqa: B018 (a streamed response has no body in memory)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(CONTENT))
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"] == f'"{ETAG}"'
    assert response["Cache-Control"] == "private"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.has_header("Content-Range")
    assert body(response) == CONTENT


def test_a_vietnamese_name_is_sent_as_rfc_5987(storage, stored) -> None:
    disposition = send(get(), storage, stored)["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert (
        "filename*=utf-8''B%C3%A1o%20c%C3%A1o%20t%C3%ACnh%20h%C3%ACnh%20KT-XH%20qu%C3%BD%20III.pdf"
        in disposition
    )


def test_an_ascii_name_shown_inline(storage, stored) -> None:
    response = send(get(), storage, stored, filename="giay-moi.pdf", as_attachment=False)
    assert response["Content-Disposition"] == 'inline; filename="giay-moi.pdf"'


def test_no_etag_no_etag_header(storage, stored) -> None:
    response = send(get(), storage, stored, etag="")
    assert not response.has_header("ETag")
    assert body(response) == CONTENT


@BOTH_STORAGES
def test_a_big_file_is_read_in_64_kib_chunks_never_whole(storage) -> None:
    data = os.urandom(3 * CHUNK_SIZE + 1000)
    name = storage.save("lon.pdf", ContentFile(data))
    response = send(get(), storage, name, size=len(data))
    chunks = list(response.streaming_content)
    response.close()
    assert [len(c) for c in chunks] == [CHUNK_SIZE, CHUNK_SIZE, CHUNK_SIZE, 1000]
    assert b"".join(chunks) == data


@BOTH_STORAGES
def test_an_empty_file_is_an_empty_200(storage) -> None:
    name = storage.save("rong.pdf", ContentFile(b""))
    response = send(get(), storage, name, size=0)
    assert response.status_code == 200
    assert response["Content-Length"] == "0"
    assert body(response) == b""


@BOTH_STORAGES
def test_a_missing_file_fails_before_any_byte_is_promised(storage) -> None:
    with pytest.raises(FileNotFoundError):
        send(get(), storage, "khong-co.pdf")


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc to see open files")
def test_the_file_is_closed_when_the_response_is_closed_even_unread(local_storage) -> None:
    storage = local_storage
    stored = storage.save("documents/2025/bao-cao.pdf", ContentFile(CONTENT))
    path = storage.path(stored)
    response = send(get(), storage, stored)
    assert path in open_paths()
    response.close()
    assert path not in open_paths()

    response = send(get(Range="bytes=10-"), storage, stored)
    next(iter(response.streaming_content))  # a client that goes away after one chunk
    response.close()
    assert path not in open_paths()


# --- Ranges ----------------------------------------------------------------------------------


@BOTH_STORAGES
@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-9", 0, 9),
        ("bytes=10-", 10, 1023),
        ("bytes=-5", 1019, 1023),
        ("bytes=1000-5000", 1000, 1023),  # a last byte past the end is cut to the end
        ("bytes=-5000", 0, 1023),  # a suffix longer than the file is the whole file
        ("bytes=1023-1023", 1023, 1023),
        ("Bytes = 100 - 199", 100, 199),
    ],
)
def test_a_single_range_is_a_206_with_only_those_bytes(storage, stored, header, first, last):
    response = send(get(Range=header), storage, stored)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(CONTENT)}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["ETag"] == f'"{ETAG}"'
    assert body(response) == CONTENT[first : last + 1]


@BOTH_STORAGES
def test_a_range_across_chunk_boundaries_is_exact(storage) -> None:
    data = os.urandom(2 * CHUNK_SIZE + 10)
    name = storage.save("lon.pdf", ContentFile(data))
    first, last = CHUNK_SIZE - 5, 2 * CHUNK_SIZE + 4
    response = send(get(Range=f"bytes={first}-{last}"), storage, name, size=len(data))
    assert response.status_code == 206
    assert body(response) == data[first : last + 1]


@pytest.mark.parametrize("header", ["bytes=999999-", "bytes=1024-", "bytes=-0", "bytes=1024-2000"])
def test_a_range_beyond_the_file_is_a_416(storage, stored, header) -> None:
    response = send(get(Range=header), storage, stored)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(CONTENT)}"
    assert response.content == b""


@BOTH_STORAGES
def test_any_range_of_an_empty_file_is_a_416(storage) -> None:
    name = storage.save("rong.pdf", ContentFile(b""))
    for header in ("bytes=0-", "bytes=-1"):
        response = send(get(Range=header), storage, name, size=0)
        assert response.status_code == 416
        assert response["Content-Range"] == "bytes */0"


@pytest.mark.parametrize(
    "header",
    [
        "bytes=0-9,20-29",  # several ranges: the whole file instead (RFC 9110 14.2)
        "bytes=5-2",  # last before first is invalid syntax, so the header is ignored
        "bytes=-",
        "bytes=abc-def",
        "items=0-9",
        "bytes=0-9;",
        "bytes=" + "9" * 40 + "-",
    ],
)
def test_a_range_header_we_cannot_honour_gets_the_whole_file(storage, stored, header) -> None:
    response = send(get(Range=header), storage, stored)
    assert response.status_code == 200
    assert not response.has_header("Content-Range")
    assert response["Content-Length"] == str(len(CONTENT))
    assert body(response) == CONTENT


def test_if_range_with_the_current_etag_honours_the_range(storage, stored) -> None:
    response = send(get(Range="bytes=0-9", If_Range=f'"{ETAG}"'), storage, stored)
    assert response.status_code == 206
    assert body(response) == CONTENT[:10]


@pytest.mark.parametrize(
    "if_range", ['"an-older-version"', f'W/"{ETAG}"', "Wed, 21 Oct 2015 07:28:00 GMT"]
)
def test_if_range_that_does_not_match_sends_the_whole_file(storage, stored, if_range) -> None:
    response = send(get(Range="bytes=100-", If_Range=if_range), storage, stored)
    assert response.status_code == 200
    assert not response.has_header("Content-Range")
    assert body(response) == CONTENT


def test_requested_range() -> None:
    assert requested_range(get(), 100) is None
    assert requested_range(get(Range="bytes=0-0"), 100) == (0, 0)
    assert requested_range(get(Range="bytes=90-"), 100) == (90, 99)
    assert requested_range(get(Range="bytes=-10"), 100) == (90, 99)
    assert requested_range(get(Range="bytes=100-"), 100) == UNSATISFIABLE
    assert requested_range(get(Range="bytes=9-1"), 100) is None
    assert requested_range(get(Range="bytes=0-1", If_Range='"x"'), 100, "x") == (0, 1)
    assert requested_range(get(Range="bytes=0-1", If_Range='"x"'), 100) is None


@pytest.mark.parametrize(
    ("headers", "first"),
    [
        ({}, True),
        ({"Range": "bytes=0-"}, True),
        ({"Range": "bytes=0-65535"}, True),
        ({"Range": "bytes=65536-"}, False),
        ({"Range": "bytes=-500"}, False),
        ({"Range": "bytes=0-9,100-"}, True),  # answered with the whole file
        ({"Range": "nonsense"}, True),
    ],
)
def test_is_first_chunk_from_the_header(headers, first) -> None:
    assert is_first_chunk(get(**headers)) is first


def test_is_first_chunk_follows_what_is_sent_when_it_knows_the_file() -> None:
    # A suffix longer than the file starts at byte 0.
    assert is_first_chunk(get(Range="bytes=-500"), size=100) is True
    assert is_first_chunk(get(Range="bytes=-50"), size=100) is False
    # A stale If-Range gets the whole file: a new download.
    stale = get(Range="bytes=50-", If_Range='"old"')
    assert is_first_chunk(stale, size=100, etag="new") is True
    assert is_first_chunk(get(Range="bytes=50-", If_Range='"new"'), size=100, etag="new") is False
    # Nothing is sent for an unsatisfiable range.
    assert is_first_chunk(get(Range="bytes=500-"), size=100) is False


# --- nginx X-Accel-Redirect ------------------------------------------------------------------


@override_settings(DOCUMENTS_X_ACCEL_REDIRECT="/protected/")
def test_with_x_accel_nginx_sends_the_bytes(local_storage) -> None:
    storage = local_storage
    # The file need not even exist here: the app only names it.
    name = "documents/2025/Báo cáo quý III.pdf"
    response = send(get(Range="bytes=10-"), storage, name)
    assert not response.streaming
    assert response.status_code == 200
    assert response.content == b""
    assert (
        response["X-Accel-Redirect"]
        == "/protected/documents/2025/B%C3%A1o%20c%C3%A1o%20qu%C3%BD%20III.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''B%C3%A1o%20c%C3%A1o" in response["Content-Disposition"]
    assert response["ETag"] == f'"{ETAG}"'
    assert not response.has_header("Content-Range")


@override_settings(DOCUMENTS_X_ACCEL_REDIRECT="")
def test_an_empty_x_accel_setting_streams_from_the_app(storage, stored) -> None:
    response = send(get(), storage, stored)
    assert not response.has_header("X-Accel-Redirect")
    assert body(response) == CONTENT


# --- Download all as one ZIP -----------------------------------------------------------------


def unzip(response) -> tuple[bytes, zipfile.ZipFile]:
    data = body(response)
    return data, zipfile.ZipFile(io.BytesIO(data))


@BOTH_STORAGES
def test_download_all_is_one_streamed_zip_of_the_files(storage) -> None:
    files = {
        "Giấy mời.pdf": b"%PDF-1.4 giay moi",
        VIETNAMESE_NAME: os.urandom(3 * CHUNK_SIZE),
        "Dự thảo nghị quyết.docx": b"PK fake docx body",
    }
    entries = [
        (arcname, storage.save(f"documents/{i}.bin", ContentFile(data)), len(data))
        for i, (arcname, data) in enumerate(files.items())
    ]
    response = zip_response(entries, storage=storage, zip_name="Họp thường kỳ tháng 6.zip")
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert "filename*=utf-8''H%E1%BB%8Dp%20th%C6%B0%E1%BB%9Dng" in response["Content-Disposition"]
    data, archive = unzip(response)
    assert int(response["Content-Length"]) == len(data)
    assert archive.testzip() is None
    assert archive.namelist() == list(files)
    for info in archive.infolist():
        assert archive.read(info) == files[info.filename]
        assert info.compress_type == zipfile.ZIP_STORED
        assert info.flag_bits & 0x800  # names are flagged UTF-8, so Windows shows the accents


def test_duplicate_names_are_made_unique_before_the_extension(storage) -> None:
    name = storage.save("a.bin", ContentFile(b"first"))
    other = storage.save("b.bin", ContentFile(b"second"))
    third = storage.save("c.bin", ContentFile(b"third"))
    fourth = storage.save("d.bin", ContentFile(b"fourth"))
    entries = [
        ("Báo cáo.pdf", name, 5),
        ("Báo cáo.pdf", other, 6),
        ("BÁO CÁO.pdf", third, 5),  # one file once unzipped on Windows or macOS
        ("Phụ lục", fourth, 6),
        ("Phụ lục", name, 5),
    ]
    data, archive = unzip(zip_response(entries, storage=storage, zip_name="tai-lieu.zip"))
    assert archive.namelist() == [
        "Báo cáo.pdf",
        "Báo cáo (2).pdf",
        "BÁO CÁO (3).pdf",
        "Phụ lục",
        "Phụ lục (2)",
    ]
    assert archive.read("Báo cáo (2).pdf") == b"second"
    assert archive.read("BÁO CÁO (3).pdf") == b"third"


def test_arcnames_cannot_escape_the_folder_they_are_unzipped_into(storage) -> None:
    name = storage.save("a.bin", ContentFile(b"x"))
    entries = [
        ("../../etc/cron.d/evil", name, 1),
        ("/tuyet-doi.pdf", name, 1),
        ("C:\\Windows\\win.ini", name, 1),
        ("Phiên 1/Tờ trình.pdf", name, 1),
        ("..", name, 1),
    ]
    data, archive = unzip(zip_response(entries, storage=storage, zip_name="x.zip"))
    names = archive.namelist()
    assert names == [
        "etc/cron.d/evil",
        "tuyet-doi.pdf",
        "C/Windows/win.ini",
        "Phiên 1/Tờ trình.pdf",
        "tai-lieu",
    ]
    for member in names:
        assert not member.startswith("/") and ".." not in member.split("/")


def test_an_empty_selection_is_a_valid_empty_zip(storage) -> None:
    response = zip_response([], storage=storage, zip_name="trong.zip")
    data, archive = unzip(response)
    assert archive.namelist() == []
    assert int(response["Content-Length"]) == len(data)


@BOTH_STORAGES
def test_files_are_opened_only_when_the_archive_reaches_them(storage) -> None:
    # Building the response touches no file: a missing one shows only once streaming reaches it.
    response = zip_response([("mat.pdf", "khong-co.pdf", 3)], storage=storage, zip_name="x.zip")
    assert int(response["Content-Length"]) > 3
    with pytest.raises(FileNotFoundError):
        body(response)
