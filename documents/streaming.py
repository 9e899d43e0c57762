"""Sending documents (M3): streamed in chunks, HTTP Range for tablets that resume and PDF viewers
that seek, nginx's X-Accel-Redirect when configured, and "download all" as one streamed ZIP.

Range handling is written here because Django's FileResponse does not do it; it covers the single
range that browsers, PDF viewers and download managers ask for. Several ranges in one request are
answered with the whole file, which RFC 9110 allows.
"""

import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote

import zipstream
from django.conf import settings
from django.core.files.storage import Storage
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

CHUNK = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
UNSATISFIABLE = "unsatisfiable"


def requested_range(request: HttpRequest, size: int, etag: str = "") -> Any:
    """(first, last) for a single satisfiable range, UNSATISFIABLE, or None for the whole file."""
    header = request.headers.get("Range", "").strip()
    if not header:
        return None
    if_range = request.headers.get("If-Range", "").strip()
    if if_range and (not etag or if_range.strip('"') != etag):
        return None
    match = RANGE.match(header.replace(" ", ""))
    if not match or (not match[1] and not match[2]):
        return None
    if match[1]:
        first = int(match[1])
        if first >= size:
            return UNSATISFIABLE
        last = int(match[2]) if match[2] else size - 1
        if last < first:
            return None
        return first, min(last, size - 1)
    suffix = int(match[2])
    if suffix == 0:
        return UNSATISFIABLE
    return max(size - suffix, 0), size - 1


def is_first_chunk(request: HttpRequest) -> bool:
    """Whether this request starts at byte 0: later ranges are the same download continuing."""
    match = RANGE.match(request.headers.get("Range", "").replace(" ", ""))
    if match is None:
        return True
    return match[1] != "" and int(match[1]) == 0


def _chunks(storage: Storage, name: str, first: int, length: int) -> Iterator[bytes]:
    handle = storage.open(name, "rb")
    try:
        if first:
            handle.seek(first)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def file_response(
    request: HttpRequest,
    *,
    storage: Storage,
    name: str,
    size: int,
    filename: str,
    content_type: str,
    etag: str = "",
    as_attachment: bool = True,
) -> HttpResponseBase:
    disposition = content_disposition_header(as_attachment, filename) or "attachment"
    prefix = getattr(settings, "DOCUMENTS_X_ACCEL_REDIRECT", "")
    if prefix:
        response: HttpResponseBase = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(name, safe="/")
        response["Content-Disposition"] = disposition
        return response
    wanted = requested_range(request, size, etag)
    if wanted == UNSATISFIABLE:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    first, last = wanted if wanted else (0, size - 1)
    length = max(last - first + 1, 0)
    response = StreamingHttpResponse(
        _chunks(storage, name, first, length),
        content_type=content_type,
        status=206 if wanted else 200,
    )
    response["Content-Length"] = str(length)
    if wanted:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private"
    response["X-Content-Type-Options"] = "nosniff"
    if etag:
        response["ETag"] = f'"{etag}"'
    return response


def _unique(names: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for name in names:
        candidate, n = name, 1
        while candidate.lower() in seen:
            n += 1
            stem, dot, ext = name.rpartition(".")
            candidate = f"{stem} ({n}).{ext}" if dot else f"{name} ({n})"
        seen.add(candidate.lower())
        yield candidate


def zip_response(
    entries: Iterable[tuple[str, str, int]], *, storage: Storage, zip_name: str
) -> StreamingHttpResponse:
    """entries: (name in the archive, storage name, size). Stored, not compressed: the documents
    are PDFs and Office files that are compressed already, and a sized stream has a length."""
    entries = list(entries)
    stream = zipstream.ZipStream(compress_type=zipstream.ZIP_STORED, sized=True)
    for arcname, (_, name, size) in zip(_unique(e[0] for e in entries), entries, strict=True):
        stream.add(_chunks(storage, name, 0, size), arcname, size=size)
    response = StreamingHttpResponse(stream, content_type="application/zip")
    response["Content-Length"] = str(len(stream))
    response["Content-Disposition"] = content_disposition_header(True, zip_name) or "attachment"
    response["Cache-Control"] = "private"
    return response
