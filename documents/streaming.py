"""Sending documents (M3): streamed in chunks, HTTP Range for tablets that resume and PDF viewers
that seek, nginx's X-Accel-Redirect when configured, and "download all" as one streamed ZIP.

Range handling is written here because Django's FileResponse does not do it; it covers the single
range that browsers, PDF viewers and download managers ask for. Several ranges in one request, or
a header we cannot read, are answered with the whole file, which RFC 9110 allows.
"""

import contextlib
import re
from collections.abc import Iterable, Iterator
from typing import Any, Final, Literal
from urllib.parse import quote

import zipstream
from django.conf import settings
from django.core.files.storage import Storage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from .filetypes import clean_filename
from .storage import CHUNK_SIZE as CHUNK_SIZE  # noqa: F401 (re-exported)
from .storage import StoredChunks, is_local, open_stored, presigned_url, stored_chunks

# At most 18 digits: beyond that int() gets slow and no file is that big; longer is ignored.
RANGE_RE: Final = re.compile(r"^bytes=(\d{0,18})-(\d{0,18})$", re.IGNORECASE)
UNSATISFIABLE: Final = "unsatisfiable"

ByteRange = tuple[int, int] | Literal["unsatisfiable"] | None


def _quoted(etag: str) -> str:
    return etag if etag.startswith(('"', 'W/"')) else f'"{etag}"'


def requested_range(request: HttpRequest, size: int, etag: str = "") -> ByteRange:
    """What to send: (first, last) inclusive for one satisfiable range, UNSATISFIABLE, or None
    for the whole file (no Range, an unreadable or multiple one, or a stale If-Range)."""
    header = request.headers.get("Range", "").replace(" ", "")
    if not header:
        return None
    if_range = request.headers.get("If-Range", "").strip()
    # RFC 9110 13.1.5: a strong match only; a date or a weak tag never matches our ETag.
    if if_range and (not etag or if_range.startswith("W/") or if_range != _quoted(etag)):
        return None
    match = RANGE_RE.match(header)
    if match is None or not (match[1] or match[2]):
        return None
    if match[1]:
        first = int(match[1])
        last = int(match[2]) if match[2] else size - 1
        if match[2] and last < first:
            # Invalid syntax, not an unsatisfiable range: ignored (RFC 9110 14.1.1).
            return None
        if first >= size:
            return UNSATISFIABLE
        return first, min(last, size - 1)
    suffix = int(match[2])
    if suffix == 0 or size == 0:
        return UNSATISFIABLE
    return max(size - suffix, 0), size - 1


def is_first_chunk(request: HttpRequest, *, size: int | None = None, etag: str = "") -> bool:
    """Whether this request starts at byte 0; later ranges are the same download continuing.

    With the file's size (and ETag) the answer follows exactly what file_response sends; without
    them (nginx serving the bytes) it is read from the Range header alone.
    """
    if size is not None:
        wanted = requested_range(request, size, etag)
        return wanted is None or (isinstance(wanted, tuple) and wanted[0] == 0)
    match = RANGE_RE.match(request.headers.get("Range", "").replace(" ", ""))
    if match is None or not (match[1] or match[2]):
        return True
    return match[1] != "" and int(match[1]) == 0


def _disposition(as_attachment: bool, filename: str) -> str:
    return content_disposition_header(as_attachment, filename) or (
        "attachment" if as_attachment else "inline"
    )


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
    redirect: bool = True,
) -> HttpResponseBase:
    """The stored file `name`, as `filename`, whole or the range asked for.

    The file is opened before the response is built, so a missing file raises here (the caller
    decides between 404 and 500), and an unavailable storage raises StorageUnavailable (a 503
    page), rather than half-way through a download.

    On S3 with DOCUMENT_DOWNLOADS=redirect the answer is a 302 to a presigned URL valid a short
    time; the storage then answers the Range itself, unless `redirect` is False (the viewer's
    reads, which the page's Content-Security-Policy keeps on the site). X-Accel-Redirect is for
    local disk only.
    """
    local = is_local(storage)
    prefix = getattr(settings, "DOCUMENTS_X_ACCEL_REDIRECT", "") if local else ""
    response: HttpResponseBase
    if redirect and not local and settings.DOCUMENT_DOWNLOADS == "redirect":
        response = HttpResponseRedirect(
            presigned_url(
                storage,
                name,
                filename=filename,
                content_type=content_type,
                as_attachment=as_attachment,
                expire=settings.DOCUMENT_PRESIGNED_SECONDS,
            )
        )
        response["Cache-Control"] = "private, no-store"
        return response
    if prefix:
        # nginx sends the bytes, Range included; only the headers come from here.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(name, safe="/")
    else:
        wanted = requested_range(request, size, etag)
        if wanted == UNSATISFIABLE:
            response = HttpResponse(status=416, content_type="text/plain; charset=utf-8")
            response["Content-Range"] = f"bytes */{size}"
            response["Accept-Ranges"] = "bytes"
            response["Cache-Control"] = "private"
            return response
        first, last = wanted if isinstance(wanted, tuple) else (0, size - 1)
        length = max(last - first + 1, 0)
        response = StreamingHttpResponse(
            StoredChunks(open_stored(storage, name), first, length),
            content_type=content_type,
            status=206 if wanted else 200,
        )
        response["Content-Length"] = str(length)
        if wanted is not None:
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = _disposition(as_attachment, filename)
    response["Cache-Control"] = "private"
    response["X-Content-Type-Options"] = "nosniff"
    if etag:
        response["ETag"] = _quoted(etag)
    return response


def _safe_arcname(arcname: str) -> str:
    """Folders are kept, but no "..", absolute path or character an unzipper would trip on."""
    parts = [p for p in arcname.replace("\\", "/").split("/") if p.strip(". ")]
    return "/".join(clean_filename(p) for p in parts) or clean_filename("")


def unique_arcnames(names: Iterable[str]) -> Iterator[str]:
    """The names, with " (2)", " (3)"... before the extension of repeats; compared without case
    because Windows and macOS unzip "A.pdf" and "a.pdf" onto the same file."""
    seen: set[str] = set()
    for name in names:
        folder, slash, last = name.rpartition("/")
        stem, dot, ext = last.rpartition(".")
        if not dot or not stem:
            stem, dot, ext = last, "", ""
        candidate, n = name, 1
        while candidate.casefold() in seen:
            n += 1
            candidate = f"{folder}{slash}{stem} ({n}){dot}{ext}"
        seen.add(candidate.casefold())
        yield candidate


def zip_response(
    entries: Iterable[tuple[str, str, int]], *, storage: Storage, zip_name: str
) -> StreamingHttpResponse:
    """entries: (name in the archive, storage name, size in bytes).

    Stored, not compressed: the documents are PDFs, Office files and images that are compressed
    already, and only an uncompressed stream knows its length, so the browser shows progress.
    """
    entries = list(entries)
    if entries and not is_local(storage):
        # Ask the storage once before the first byte: unavailable is a 503 page, not a ZIP cut
        # short after its headers were sent.
        with contextlib.suppress(FileNotFoundError):  # named in the ZIP when it is reached
            open_stored(storage, entries[0][1]).close()
    stream = zipstream.ZipStream(compress_type=zipstream.ZIP_STORED, sized=True)
    arcnames = unique_arcnames(_safe_arcname(arcname) for arcname, _, _ in entries)
    for arcname, (_, name, size) in zip(arcnames, entries, strict=True):
        stream.add(stored_chunks(storage, name, size), arcname, size=size)
    response = StreamingHttpResponse(stream, content_type="application/zip")
    response["Content-Length"] = str(len(stream))
    response["Content-Disposition"] = _disposition(True, zip_name)
    response["Cache-Control"] = "private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def version_response(request: HttpRequest, version: Any) -> tuple[HttpResponseBase, bool]:
    """A document version's bytes, whole or the range asked for, and whether this request begins
    a download (the one to record for the receipts, M7). A PDF viewer seeking or a tablet
    resuming asks for later ranges: one download, not many. With nginx sending the bytes
    (X-Accel-Redirect) it answers the Range itself."""
    response = file_response(
        request,
        storage=version.file.storage,
        name=version.file.name,
        size=version.size,
        filename=version.original_name,
        content_type=version.content_type,
        etag=version.sha256,
    )
    # nginx or the storage (a presigned redirect) answers the Range: read it from the header.
    by_header = response.has_header("X-Accel-Redirect") or response.status_code == 302
    exact = {} if by_header else {"size": version.size}
    first = response.status_code in (200, 206, 302) and is_first_chunk(
        request, etag=version.sha256, **exact
    )
    return response, first
