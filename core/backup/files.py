"""The stored files half of a backup: every key in Django's default storage (documents and their
versions, comment attachments, anything else written there), read and written through the storage
so that local disk and S3 are alike."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import Storage, default_storage

from .database import BackupError


@dataclass
class StoredFile:
    name: str
    size: int
    open: Callable[[], IO[bytes]]


def _s3_files(storage: Any) -> Iterator[StoredFile]:
    # The bucket's own listing: one request per 1 000 keys, instead of one per folder.
    prefix = storage.location.strip("/")
    prefix = prefix + "/" if prefix else ""
    for item in storage.bucket.objects.filter(Prefix=prefix):
        name = item.key[len(prefix) :]
        if not name or name.endswith("/"):
            continue  # a folder marker some tools create

        def opener(key: str = item.key) -> IO[bytes]:
            # The object's body as a stream: django-storages' own file would spool it whole.
            return storage.bucket.Object(key).get()["Body"]

        yield StoredFile(name, int(item.size), opener)


def _walk(storage: Storage, folder: str = "") -> Iterator[StoredFile]:
    folders, names = storage.listdir(folder)
    for name in sorted(names):
        path = f"{folder}/{name}" if folder else name

        def opener(path: str = path) -> IO[bytes]:
            return storage.open(path, "rb")

        yield StoredFile(path, storage.size(path), opener)
    for sub in sorted(folders):
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def stored_files(storage: Storage | None = None) -> Iterator[StoredFile]:
    storage = storage or default_storage
    if hasattr(storage, "bucket"):
        return _s3_files(storage)
    try:
        storage.listdir("")
    except FileNotFoundError:  # a media folder not created yet holds no files
        return iter(())
    return _walk(storage)


def is_empty(storage: Storage | None = None) -> bool:
    return next(iter(stored_files(storage)), None) is None


def describe(storage: Storage | None = None) -> str:
    storage = storage or default_storage
    if hasattr(storage, "bucket"):
        location = getattr(storage, "location", "")
        return f"s3://{storage.bucket.name}/{location}".rstrip("/")
    return str(getattr(storage, "location", type(storage).__name__))


def put(name: str, fileobj: IO[bytes], size: int, storage: Storage | None = None) -> None:
    """Stores a file under exactly its old name (documents refer to it by name)."""
    storage = storage or default_storage
    if not hasattr(storage, "bucket") and storage.exists(name):
        storage.delete(name)  # only with --force: an empty storage has nothing to replace
    content = File(fileobj, name=name)
    content.size = size
    saved = storage.save(name, content)
    if saved != name:
        raise BackupError(f"the storage saved {name!r} as {saved!r}; restore stopped")
