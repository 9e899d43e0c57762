"""The backup archive: one tar file, optionally compressed with zstd or gzip, read and written as a
stream (never whole in memory, never seeked).

Members, in this order:
    database/postgresql.dump   (pg_dump --format=custom)  or  database/sqlite3.db
    files/<storage name>       every file in the default storage
    manifest.json              last, so that a truncated archive always lacks it

The manifest lists every other member with its size and SHA-256, and carries its own checksum, so
that any flipped byte anywhere is found before anything is restored.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

import zstandard

FORMAT = 1
MANIFEST = "manifest.json"
FILES_PREFIX = "files/"
DATABASE_MEMBERS = {"postgresql": "database/postgresql.dump", "sqlite": "database/sqlite3.db"}
MAX_MANIFEST_BYTES = 512 * 1024 * 1024
CHUNK = 1024 * 1024
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
GZIP_MAGIC = b"\x1f\x8b"
COMPRESSIONS = {"zstd": ".tar.zst", "gzip": ".tar.gz", "none": ".tar"}


class ArchiveError(Exception):
    """The archive is damaged or unsuitable; the message says what is wrong, for the operator."""


def compression_for(path: Path, choice: str | None = None) -> str:
    if choice:
        return choice
    name = path.name.lower()
    if name.endswith((".tar.gz", ".tgz")):
        return "gzip"
    if name.endswith(".tar"):
        return "none"
    return "zstd"


def sha256_file(fileobj: IO[bytes], size: int | None = None) -> tuple[str, int]:
    digest = hashlib.sha256()
    total = 0
    while True:
        want = CHUNK if size is None else min(CHUNK, size - total)
        if want <= 0:
            break
        chunk = fileobj.read(want)
        if not chunk:
            break
        digest.update(chunk)
        total += len(chunk)
    return digest.hexdigest(), total


class HashingReader(io.RawIOBase):
    """Reads through to another stream, hashing and counting what passes."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner = inner
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.inner.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def member_problem(member: tarfile.TarInfo) -> str | None:
    """Why a member may not be in a backup archive, or None when it may."""
    name = member.name
    if not member.isreg():
        kind = "link" if (member.issym() or member.islnk()) else "not a regular file"
        return f"member {name!r} is a {kind}; a backup holds regular files only"
    if name.startswith("/") or "\\" in name or "\x00" in name:
        return f"member {name!r} has an absolute or unsafe path"
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return f"member {name!r} leaves the archive's folders ('..', '.' or an empty part)"
    expected = name == MANIFEST or name in DATABASE_MEMBERS.values()
    if not expected and not name.startswith(FILES_PREFIX):
        return f"member {name!r} is not one a backup holds (manifest, database, files/)"
    return None


def manifest_checksum(manifest: dict[str, Any]) -> str:
    body = {key: value for key, value in manifest.items() if key != "checksum"}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    manifest = {**manifest, "checksum": manifest_checksum(manifest)}
    return json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode()


class _Closer:
    """The compression layer between the tar stream and the file, closed in the right order."""

    def __init__(self, raw: BinaryIO, compression: str) -> None:
        self.raw = raw
        self.stream: Any
        if compression == "zstd":
            compressor = zstandard.ZstdCompressor(level=3, write_checksum=True)
            self.stream = compressor.stream_writer(raw, closefd=False)
        elif compression == "gzip":
            self.stream = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6)
        else:
            self.stream = raw

    def close(self) -> None:
        if self.stream is not self.raw:
            self.stream.close()


class ArchiveWriter:
    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar = tar
        self.members: dict[str, dict[str, Any]] = {}

    def add(self, name: str, fileobj: IO[bytes], size: int, mtime: float | None = None) -> None:
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(mtime if mtime is not None else time.time())
        info.mode = 0o600
        problem = member_problem(info)
        if problem:
            raise ArchiveError(problem)
        if name in self.members:
            raise ArchiveError(f"member {name!r} would be in the archive twice")
        reader = HashingReader(fileobj)
        # tarfile reads exactly `size` bytes and fails if the file ends early (changed meanwhile).
        self.tar.addfile(info, reader)
        self.members[name] = {"sha256": reader.digest.hexdigest(), "size": reader.size}

    def add_manifest(self, manifest: dict[str, Any]) -> None:
        data = manifest_bytes({**manifest, "members": self.members})
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(time.time())
        info.mode = 0o600
        self.tar.addfile(info, io.BytesIO(data))


@contextmanager
def writing(path: Path, compression: str) -> Iterator[ArchiveWriter]:
    """Writes to `<path>.partial` and renames at the end: an archive under its final name is
    always complete."""
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "xb") as raw:
            os.chmod(partial, 0o600)  # the archive holds every password hash and document
            layer = _Closer(raw, compression)
            with tarfile.open(fileobj=layer.stream, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                yield ArchiveWriter(tar)
            layer.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@contextmanager
def reading(path: Path) -> Iterator[tarfile.TarFile]:
    """The archive's members in order, whatever its compression (told by its first bytes)."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise ArchiveError(f"cannot open the archive: {exc}") from exc
    with raw:
        magic = raw.read(4)
        raw.seek(0)
        stream: Any
        if magic == ZSTD_MAGIC:
            stream = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
        elif magic[:2] == GZIP_MAGIC:
            stream = gzip.GzipFile(fileobj=raw, mode="rb")
        else:
            stream = raw
        try:
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                yield tar
        except (tarfile.TarError, EOFError, zstandard.ZstdError, gzip.BadGzipFile) as exc:
            raise ArchiveError(
                f"the archive is damaged or truncated ({type(exc).__name__}: {exc})"
            ) from exc


@dataclass
class Verified:
    manifest: dict[str, Any]
    files: int
    bytes: int


def _parse_manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
    except ValueError as exc:
        raise ArchiveError(f"{MANIFEST} is not readable JSON ({exc})") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("members"), dict):
        raise ArchiveError(f"{MANIFEST} does not list the archive's members")
    if manifest.get("checksum") != manifest_checksum(manifest):
        raise ArchiveError(f"{MANIFEST} is damaged: its checksum does not match its content")
    if manifest.get("format") != FORMAT:
        raise ArchiveError(
            f"this archive has format {manifest.get('format')!r}; this version reads {FORMAT}"
        )
    return manifest


def verify(path: Path) -> Verified:
    """Reads the whole archive once and checks every member against the manifest; raises
    ArchiveError naming the first problem. Writes nothing."""
    seen: dict[str, tuple[str, int]] = {}
    manifest: dict[str, Any] | None = None
    with reading(path) as tar:
        for member in tar:
            problem = member_problem(member)
            if problem:
                raise ArchiveError(problem)
            if member.name in seen or (member.name == MANIFEST and manifest is not None):
                raise ArchiveError(f"member {member.name!r} is in the archive twice")
            fileobj = tar.extractfile(member)
            assert fileobj is not None  # a regular file, checked above
            if member.name == MANIFEST:
                if member.size > MAX_MANIFEST_BYTES:
                    raise ArchiveError(f"{MANIFEST} is implausibly large ({member.size} bytes)")
                manifest = _parse_manifest(fileobj.read())
            else:
                digest, size = sha256_file(fileobj)
                if size != member.size:
                    raise ArchiveError(f"member {member.name!r} is truncated")
                seen[member.name] = (digest, size)
    if manifest is None:
        raise ArchiveError(
            f"{MANIFEST} is missing: the archive is truncated or was not made by `manage.py backup`"
        )
    expected: dict[str, Any] = manifest["members"]
    for name, entry in sorted(expected.items()):
        if name not in seen:
            raise ArchiveError(f"member {name!r} is listed in the manifest but missing")
        digest, size = seen[name]
        if size != entry.get("size"):
            raise ArchiveError(
                f"member {name!r} has {size} bytes; the manifest says {entry['size']}"
            )
        if digest != entry.get("sha256"):
            raise ArchiveError(f"member {name!r} is damaged: its SHA-256 does not match")
    extra = sorted(set(seen) - set(expected))
    if extra:
        raise ArchiveError(f"member {extra[0]!r} is not listed in the manifest")
    database = manifest.get("database") or {}
    if DATABASE_MEMBERS.get(database.get("engine", "")) not in seen:
        raise ArchiveError("the archive holds no database dump for its engine")
    files = [name for name in seen if name.startswith(FILES_PREFIX)]
    return Verified(manifest, len(files), sum(seen[name][1] for name in files))
