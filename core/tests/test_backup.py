"""Backup and restore (B15) end to end: an instance is populated in the test database, backed up
by `manage.py backup`, and restored by `manage.py restore` in a separate process into another,
empty database (of the engine the suite runs on) and another, empty media folder or bucket.

Damaged archives are refused before anything is written: the target stays empty."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from comments.models import Comment
from core.backup import archive, database
from core.samples import pdf_bytes
from documents.models import Document, DocumentVersion

BASE = Path(django_settings.BASE_DIR)
SAMPLED_TABLES = [
    "accounts_user",
    "accounts_unit",
    "meetings_meeting",
    "documents_document",
    "documents_documentversion",
    "comments_comment",
]

# ---- the target: another empty database and another empty media folder ------------------------


@dataclass
class Target:
    url: str
    media: Path
    env: dict[str, str]

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=BASE,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def restore_each(self, archives: list[Path]) -> list[dict[str, Any]]:
        """`restore` of each archive in one process (one Django start-up instead of one each)."""
        script = (
            "import io, json, sys, django\n"
            "django.setup()\n"
            "from django.core.management import call_command\n"
            "from django.core.management.base import CommandError\n"
            "results = []\n"
            "for path in sys.argv[1:]:\n"
            "    out = io.StringIO()\n"
            "    try:\n"
            "        call_command('restore', path, stdout=out)\n"
            "        results.append({'ok': True, 'out': out.getvalue(), 'error': ''})\n"
            "    except CommandError as exc:\n"
            "        results.append({'ok': False, 'out': out.getvalue(), 'error': str(exc)})\n"
            "print(json.dumps(results))\n"
        )
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script, *map(str, archives)],
            cwd=BASE,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.url.startswith("sqlite"):
            path = self.url.removeprefix("sqlite:///")
            # The types Django's own connection converts to, so that rows compare equal.
            types = sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
            with sqlite3.connect(path, detect_types=types) as db:
                return db.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url) as db:
            return db.execute(sql).fetchall()  # type: ignore[arg-type]

    def tables(self) -> list[str]:
        if self.url.startswith("sqlite"):
            if not Path(self.url.removeprefix("sqlite:///")).exists():
                return []
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        return sorted(row[0] for row in self.query(sql))


def _pg_admin() -> dict[str, Any]:
    params = connection.settings_dict
    return {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Target]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "MEDIA_", "STORAGE_", "AWS_", "DJANGO_", "PG"))
    }
    env.update(
        {"DJANGO_SETTINGS_MODULE": "config.settings.dev", "DJANGO_SECRET_KEY": "backup-test-key"}
    )
    media = tmp_path / "restored-media"
    if connection.vendor == "postgresql":
        import psycopg

        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        name = f"hkg_backup_dst_{worker}"
        with psycopg.connect(**_pg_admin()) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        params = connection.settings_dict
        password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
        url = (
            f"postgres://{params['USER']}{password}@{params['HOST'] or '127.0.0.1'}:"
            f"{params['PORT'] or 5432}/{name}"
        )
    else:
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    env.update({"DATABASE_URL": url, "MEDIA_ROOT": str(media)})
    yield Target(url, media, env)
    if connection.vendor == "postgresql":
        import psycopg

        with psycopg.connect(**_pg_admin()) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---- the source: the test database and a media folder of its own ------------------------------


@pytest.fixture
def source_media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _add_files() -> None:
    """A second version of a document and a comment with an attachment, on top of the demo's."""
    document = Document.objects.filter(current__isnull=False).order_by("pk").first()
    assert document is not None, "the demo data has no document with a file"
    DocumentVersion.objects.create(
        document=document,
        number=document.versions.count() + 1,
        file=ContentFile(pdf_bytes("Phien ban 2", pad=5000), name="v2.pdf"),
        original_name="Tờ trình (bản sửa).pdf",
        content_type="application/pdf",
        size=5000,
        sha256="0" * 64,
        uploaded_by=document.created_by,
    )
    Comment.objects.create(
        meeting=document.meeting,
        author=document.created_by,
        unit=document.created_by.unit,
        body="Góp ý kèm tệp",
        file=ContentFile(pdf_bytes("Gop y"), name="gop-y.pdf"),
        file_name="gop-y.pdf",
    )


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _rows(table: str) -> list[tuple[Any, ...]]:
    """The rows as the database driver gives them (Django's SQLite cursor converts types)."""
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY id')  # noqa: S608
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()


def _small_instance(source_media: Path) -> None:
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    _add_files()


# ---- the round trip ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_restored_instance_has_every_row_and_every_file(
    source_media: Path, target: Target, tmp_path: Path
) -> None:
    _small_instance(source_media)
    archive_path = tmp_path / "nightly.tar.zst"
    out = io.StringIO()
    call_command("backup", output=archive_path, stdout=out)
    assert "Backup written" in out.getvalue()
    source_files = _hashes(source_media)
    assert len(source_files) >= 5, source_files
    attachments = [comment.file.name for comment in Comment.objects.exclude(file="")]
    assert attachments and set(attachments) <= set(source_files), attachments

    done = target.manage("restore", str(archive_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "row counts match the manifest" in done.stdout

    expected_counts = database.row_counts()
    assert expected_counts["meetings_meeting"] > 0 and expected_counts["documents_document"] > 0
    restored_counts = {
        table: target.query(f'SELECT count(*) FROM "{table}"')[0][0]  # noqa: S608
        for table in target.tables()
    }
    assert restored_counts == expected_counts
    for table in SAMPLED_TABLES:
        restored = target.query(f'SELECT * FROM "{table}" ORDER BY id')  # noqa: S608
        assert [tuple(row) for row in restored] == _rows(table), f"{table} differs"
    assert _hashes(target.media) == source_files

    # The manifest tells what the archive holds.
    with archive.reading(archive_path) as tar:
        for member in tar:
            if member.name == archive.MANIFEST:
                manifest = archive._parse_manifest(tar.extractfile(member).read())  # type: ignore[union-attr]
    assert manifest["database"]["engine"] == database.engine()
    assert manifest["database"]["row_counts"] == expected_counts
    assert manifest["database"]["migrations"]["meetings"].startswith("00")
    assert manifest["storage"]["files"] == len(source_files)
    assert manifest["app_version"]
    assert {
        name.removeprefix(archive.FILES_PREFIX)
        for name in manifest["members"]
        if name.startswith(archive.FILES_PREFIX)
    } == set(source_files)


# ---- damaged archives ----------------------------------------------------------------------


def _members(path: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(path) as tar:
        return [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]


def _rewrite(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> None:
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)


def _flip_a_byte_in_a_file(path: Path) -> str:
    data = bytearray(path.read_bytes())
    members = _members(path)
    name, content = next((m.name, c) for m, c in members if m.name.startswith("files/"))
    offset = data.find(content)
    data[offset + len(content) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    return f"member {name!r} is damaged"


def _truncate(path: Path) -> str:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    return "truncated"


def _drop_the_manifest(path: Path) -> str:
    _rewrite(path, [(m, c) for m, c in _members(path) if m.name != archive.MANIFEST])
    return "manifest.json is missing"


def _add_dotdot(path: Path) -> str:
    evil = tarfile.TarInfo("../x")
    evil.size = 4
    _rewrite(path, [(evil, b"evil"), *_members(path)])
    return "member '../x' leaves the archive's folders"


def _add_a_link(path: Path) -> str:
    link = tarfile.TarInfo("files/documents/passwd")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    _rewrite(path, [*_members(path), (link, b"")])
    return "is a link"


DAMAGES = [_flip_a_byte_in_a_file, _truncate, _drop_the_manifest, _add_dotdot, _add_a_link]


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_and_nothing_is_written(
    source_media: Path, target: Target, tmp_path: Path
) -> None:
    document = _one_document()
    good = tmp_path / "plain.tar"
    call_command("backup", output=good, stdout=io.StringIO())
    assert document.current.file.name in _names(good)
    damaged = []
    expected = []
    for damage in DAMAGES:
        path = tmp_path / f"{damage.__name__}.tar"
        path.write_bytes(good.read_bytes())
        expected.append(damage(path))
        damaged.append(path)

    results = target.restore_each(damaged)

    for damage, message, result in zip(DAMAGES, expected, results, strict=True):
        assert not result["ok"], f"{damage.__name__} was restored: {result['out']}"
        assert "Archive refused, nothing was written" in result["error"], result["error"]
        assert message in result["error"], f"{damage.__name__}: {result['error']}"
    assert target.tables() == []
    assert not target.media.exists() or not any(target.media.iterdir())


def _names(path: Path) -> set[str]:
    return {m.name.removeprefix("files/") for m, _ in _members(path)}


def _one_document() -> Document:
    from accounts.models import User
    from accounts.tests.factories import UnitFactory, UserFactory
    from meetings.tests.factories import make_document, make_meeting

    clerk = UserFactory(role=User.Role.CLERK, unit=UnitFactory())
    meeting = make_meeting(by=clerk)
    return make_document(meeting, clerk, content=pdf_bytes("Noi dung to trinh", pad=3000))


# ---- in this process: refusals and keeping N archives -------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(source_media: Path, tmp_path: Path) -> None:
    _one_document()
    archive_path = tmp_path / "a.tar.gz"
    call_command("backup", output=archive_path, stdout=io.StringIO())
    before = database.row_counts()
    with pytest.raises(CommandError, match="the database is not empty"):
        call_command("restore", str(archive_path), stdout=io.StringIO())
    assert database.row_counts() == before


@pytest.mark.django_db(transaction=True)
def test_backup_into_a_folder_keeps_the_newest_archives(source_media: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "hopkhonggiay-20000101-000000.tar.zst").write_bytes(b"old")
    (folder / "hopkhonggiay-20000102-000000.tar.zst").write_bytes(b"older but newer")
    (folder / "notes.txt").write_text("not an archive: left alone")
    os.utime(folder / "hopkhonggiay-20000101-000000.tar.zst", (1, 1))
    out = io.StringIO()
    call_command("backup", output=folder, keep=2, stdout=out)
    left = sorted(path.name for path in folder.iterdir())
    assert "hopkhonggiay-20000101-000000.tar.zst" not in left
    assert "hopkhonggiay-20000102-000000.tar.zst" in left
    assert "notes.txt" in left
    written = [name for name in left if not name.startswith(("hopkhonggiay-2000", "notes"))]
    assert len(written) == 1, left
    assert "Removed the older archive" in out.getvalue()
    archive.verify(folder / written[0])


def test_an_archive_of_another_engine_is_refused_with_the_way_to_convert(tmp_path: Path) -> None:
    other = "sqlite" if database.engine() == "postgresql" else "postgresql"
    manifest = {"database": {"engine": other}}
    from core.backup.operations import _check_engine

    with pytest.raises(archive.ArchiveError, match="dumpdata") as refused:
        _check_engine(manifest)
    assert f"holds a {other} database" in str(refused.value)


# ---- S3: from one bucket into another -------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_backup_from_one_bucket_restores_into_another(
    s3_storage: Any, target: Target, tmp_path: Path
) -> None:
    from core.testing.s3 import ACCESS_KEY, REGION, SECRET_KEY, s3_client

    document = _one_document()
    _add_files()
    source_keys = s3_storage.keys()
    assert document.current.file.name in source_keys and len(source_keys) >= 3, source_keys
    archive_path = tmp_path / "from-s3.tar.gz"
    call_command("backup", output=archive_path, stdout=io.StringIO())

    other_bucket = f"hkg-restored-{os.getpid()}-{len(source_keys)}"
    s3_client(s3_storage.endpoint_url).create_bucket(Bucket=other_bucket)
    target.env.update(
        {
            "STORAGE_URL": f"s3://{other_bucket}",
            "AWS_S3_ENDPOINT_URL": s3_storage.endpoint_url,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_S3_ADDRESSING_STYLE": "path",
        }
    )
    done = target.manage("restore", str(archive_path))
    assert done.returncode == 0, done.stdout + done.stderr

    restored = type(s3_storage)(s3_storage.endpoint_url, other_bucket, s3_storage.client)
    assert restored.keys() == source_keys
    for key in source_keys:
        assert (
            hashlib.sha256(restored.read(key)).digest()
            == hashlib.sha256(s3_storage.read(key)).digest()
        ), key
    assert not target.media.exists(), "the files went to the bucket, not to the disk"
    restored_rows = target.query('SELECT count(*) FROM "documents_documentversion"')[0][0]
    assert restored_rows == DocumentVersion.objects.count()
