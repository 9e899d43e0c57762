"""Backup and restore as two functions, called by `manage.py backup` and `manage.py restore`."""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from . import archive, database, files
from .archive import ArchiveError
from .database import BackupError

ARCHIVE_PREFIX = "hopkhonggiay-"


def app_version() -> str:
    """`git describe` in a checkout, else the version in pyproject.toml."""
    base = Path(settings.BASE_DIR)
    if (base / ".git").exists() and shutil.which("git"):
        done = subprocess.run(
            ["git", "describe", "--tags", "--always", "--dirty"],  # noqa: S607
            cwd=base,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    try:
        return str(tomllib.loads((base / "pyproject.toml").read_text())["project"]["version"])
    except (OSError, KeyError, ValueError):
        return "unknown"


def default_name(compression: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return f"{ARCHIVE_PREFIX}{stamp}{archive.COMPRESSIONS[compression]}"


def archives_in(folder: Path) -> list[Path]:
    """The complete archives this command wrote into a folder, oldest first."""
    found = [
        path
        for path in folder.glob(f"{ARCHIVE_PREFIX}*.tar*")
        if path.is_file() and not path.name.endswith(".partial")
    ]
    return sorted(found, key=lambda path: (path.stat().st_mtime, path.name))


@dataclass
class BackupResult:
    path: Path
    files: int
    file_bytes: int
    database_bytes: int
    seconds: float
    removed: list[Path]


def backup(output: Path, *, compression: str | None = None, keep: int = 0) -> BackupResult:
    """One archive of the database and every stored file, taken while the app runs.

    The database first, then the files: documents are written before the rows that name them and
    never overwritten, so every file the dumped rows refer to is already in the storage."""
    began = time.monotonic()
    folder_given = output.is_dir() or str(output).endswith(os.sep)
    if folder_given:
        output.mkdir(parents=True, exist_ok=True)
        compression = compression or "zstd"
        output = output / default_name(compression)
    compression = archive.compression_for(output, compression)
    output.parent.mkdir(parents=True, exist_ok=True)
    engine = database.engine()
    member = archive.DATABASE_MEMBERS.get(engine)
    if member is None:
        raise BackupError(f"backing up a {engine} database is not supported")
    file_count = file_bytes = 0
    with (
        tempfile.TemporaryDirectory(prefix="hkg-backup-", dir=output.parent) as scratch,
        archive.writing(output, compression) as writer,
    ):
        snapshot = database.dump(Path(scratch) / "database", compress=compression == "none")
        database_bytes = snapshot.path.stat().st_size
        with open(snapshot.path, "rb") as dumped:
            writer.add(member, dumped, database_bytes)
        snapshot.path.unlink()
        for stored in files.stored_files():
            with stored.open() as stream:
                writer.add(archive.FILES_PREFIX + stored.name, stream, stored.size)
            file_count += 1
            file_bytes += stored.size
        writer.add_manifest(
            {
                "format": archive.FORMAT,
                "product": "hopkhonggiay",
                "app_version": app_version(),
                "created_at": timezone.now().isoformat(),
                "host": platform.node(),
                "database": {
                    "engine": engine,
                    "member": member,
                    "server_version": snapshot.server_version,
                    "migrations": snapshot.migrations,
                    "row_counts": snapshot.row_counts,
                },
                "storage": {
                    "backend": settings.STORAGES["default"]["BACKEND"],
                    "files": file_count,
                    "bytes": file_bytes,
                },
            }
        )
    removed: list[Path] = []
    if folder_given and keep > 0:
        for old in archives_in(output.parent)[:-keep]:
            if old != output:
                old.unlink()
                removed.append(old)
    return BackupResult(
        output, file_count, file_bytes, database_bytes, time.monotonic() - began, removed
    )


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    files: int
    file_bytes: int
    seconds: float


def _check_target(force: bool) -> None:
    problems = []
    tables = database.tables()
    if tables:
        problems.append(f"the database is not empty ({len(tables)} tables, e.g. {tables[0]})")
    if not files.is_empty():
        problems.append(f"the storage is not empty ({files.describe()})")
    if problems and not force:
        raise BackupError(
            "Refusing to restore: "
            + "; ".join(problems)
            + ". Restore into an empty database and an empty storage, or add --force to replace "
            "the database and overwrite files of the same name."
        )


def _check_engine(manifest: dict[str, Any]) -> None:
    source = manifest.get("database", {}).get("engine")
    target = database.engine()
    if source != target:
        raise ArchiveError(
            f"the archive holds a {source} database and this instance uses {target}. Restore it "
            f"into a {source} instance, then move the data with `manage.py dumpdata "
            "--natural-foreign --natural-primary -o data.json` there and `manage.py migrate` plus "
            "`manage.py loaddata data.json` here (and copy the files with this backup's files/)."
        )


def _extract(tar_stream: Any, member: Any, folder: Path, expected: dict[str, Any]) -> Path:
    """One member into a scratch file, hashed again on the way (the archive could have changed
    since it was verified)."""
    target = folder / "member"
    source = tar_stream.extractfile(member)
    digest = hashlib.sha256()
    with open(target, "wb") as out:
        while chunk := source.read(archive.CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected["sha256"]:
        raise ArchiveError(f"member {member.name!r} changed since it was verified; restore stopped")
    return target


def restore(
    path: Path, *, force: bool = False, say: Callable[[str], None] = lambda _: None
) -> RestoreResult:
    """Checks the target, verifies the whole archive, and only then writes: database, files, and
    a comparison of every table's row count with the manifest."""
    began = time.monotonic()
    _check_target(force)
    say(f"Verifying {path} ...")
    verified = archive.verify(path)
    manifest = verified.manifest
    _check_engine(manifest)
    database.check_migrations_known(manifest["database"].get("migrations") or {})
    say(
        f"Archive verified: {verified.files} files, {verified.bytes} bytes, made "
        f"{manifest.get('created_at')} by version {manifest.get('app_version')}."
    )
    if force and database.tables():
        database.drop_everything()
    expected = manifest["members"]
    db_member = manifest["database"]["member"]
    file_count = file_bytes = 0
    with tempfile.TemporaryDirectory(prefix="hkg-restore-") as scratch:
        folder = Path(scratch)
        with archive.reading(path) as tar:
            for member in tar:
                if member.name == archive.MANIFEST:
                    continue
                extracted = _extract(tar, member, folder, expected[member.name])
                if member.name == db_member:
                    say("Restoring the database ...")
                    database.restore(extracted)
                    say("Restoring the files ...")
                else:
                    name = member.name[len(archive.FILES_PREFIX) :]
                    with open(extracted, "rb") as stream:
                        files.put(name, stream, member.size)
                    file_count += 1
                    file_bytes += member.size
                extracted.unlink()
    counted = database.row_counts()
    wanted: dict[str, int] = manifest["database"]["row_counts"]
    differ = [
        f"{table}: {counted.get(table)} rows, the manifest says {rows}"
        for table, rows in sorted(wanted.items())
        if counted.get(table) != rows
    ]
    if differ:
        raise BackupError("Row counts differ after the restore: " + "; ".join(differ[:10]))
    return RestoreResult(manifest, file_count, file_bytes, time.monotonic() - began)
