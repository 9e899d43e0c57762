"""Reading and writing stored files the same way on local disk and on S3-compatible storage (P5).

django-storages' S3 file downloads the whole object before the first read, so bytes are read
here instead: a ranged GET for the part asked for, streamed in chunks. Failures of the storage
service (unreachable, bucket missing, credentials refused) become one exception the pages answer
with a clear message: a form error on upload, a 503 page on download.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import IO, Any, Final

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

CHUNK_SIZE: Final = 64 * 1024


class StorageUnavailable(Exception):
    """The storage service did not answer or refused us; nothing was changed by the attempt."""


def _service_errors() -> tuple[type[BaseException], ...]:
    try:
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover (local disk only)
        return ()
    return (BotoCoreError, ClientError, Boto3Error)


def _is_missing(error: BaseException) -> bool:
    response = getattr(error, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    return code in ("404", "NoSuchKey", "NotFound")


@contextmanager
def service_errors() -> Iterator[None]:
    """Turn the storage service's errors into StorageUnavailable (a missing object into
    FileNotFoundError, as on disk)."""
    try:
        yield
    except _service_errors() as error:
        if _is_missing(error):
            raise FileNotFoundError(str(error)) from error
        raise StorageUnavailable(str(error)) from error


def is_local(storage: Storage) -> bool:
    """Whether the files are on this machine's disk (nginx may send them: X-Accel-Redirect)."""
    try:
        storage.path("")
    except NotImplementedError:
        return False
    return True


def open_stored(storage: Storage, name: str) -> IO[bytes]:
    """The stored file, opened for reading. On S3 this asks for the object's headers only; a
    missing file raises FileNotFoundError, an unavailable storage StorageUnavailable."""
    with service_errors():
        return storage.open(name, "rb")


class StoredChunks:
    """The bytes first..first+length-1 of an open stored file, in chunks; closes the file when
    the response is closed, even if it was never iterated (a generator's finally would not run).
    From S3 only that range is asked for, and read as it arrives."""

    def __init__(self, handle: IO[bytes], first: int = 0, length: int | None = None) -> None:
        self.handle = handle
        self.first = first
        self.length = length
        self._body: Any = None

    def __iter__(self) -> Iterator[bytes]:
        s3_object = getattr(self.handle, "obj", None)
        if s3_object is not None:
            yield from self._s3_chunks(s3_object)
            return
        if self.first:
            self.handle.seek(self.first)
        remaining = self.length
        while remaining is None or remaining > 0:
            wanted = CHUNK_SIZE if remaining is None else min(CHUNK_SIZE, remaining)
            chunk = self.handle.read(wanted)
            if not chunk:
                break
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk

    def _s3_chunks(self, s3_object: Any) -> Iterator[bytes]:
        if self.length == 0:
            return
        last = "" if self.length is None else str(self.first + self.length - 1)
        params: dict[str, str] = {}
        if self.first or self.length is not None:
            params["Range"] = f"bytes={self.first}-{last}"
        with service_errors():
            self._body = s3_object.get(**params)["Body"]
            yield from self._body.iter_chunks(CHUNK_SIZE)

    def close(self) -> None:
        if self._body is not None:
            self._body.close()
        self.handle.close()


def stored_chunks(storage: Storage, name: str, size: int | None = None) -> Iterator[bytes]:
    """A whole stored file in chunks, opened only when the first chunk is wanted (a ZIP entry)."""
    chunks = StoredChunks(open_stored(storage, name), 0, size)
    try:
        yield from chunks
    finally:
        chunks.close()


def presigned_url(
    storage: Storage,
    name: str,
    *,
    filename: str,
    content_type: str,
    as_attachment: bool = True,
    expire: int | None = None,
) -> str:
    """A short-lived signed URL for the object, whose answer names the file with its original
    (Vietnamese) name, RFC 6266 filename*=UTF-8''..., and carries its content type."""
    disposition = content_disposition_header(as_attachment, filename) or (
        "attachment" if as_attachment else "inline"
    )
    parameters = {"ResponseContentDisposition": disposition, "ResponseContentType": content_type}
    with service_errors():
        return storage.url(name, parameters=parameters, expire=expire)  # type: ignore[call-arg]


@contextmanager
def storing() -> Iterator[None]:
    """Around saving an upload: an unavailable storage is a form error the uploader reads, and
    the transaction around it rolls back (nothing stored before is touched)."""
    try:
        with service_errors():
            yield
    except StorageUnavailable as error:
        raise ValidationError(
            _(
                "Không lưu được tệp: kho lưu trữ tài liệu đang không nhận tệp. Tệp chưa được "
                "lưu, các tài liệu đã có không bị ảnh hưởng. Vui lòng thử lại sau hoặc báo quản "
                "trị hệ thống."
            ),
            code="storage_unavailable",
        ) from error


def unavailable_response(request: HttpRequest) -> HttpResponse:
    response = render(request, "documents/storage_unavailable.html", status=503)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response


def answers_503_when_storage_down(view: Callable[..., Any]) -> Callable[..., Any]:
    """A download view whose storage is unavailable answers a clear 503 page, not a 500."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except StorageUnavailable:
            return unavailable_response(request)

    return wrapper
