"""Benchmark of backup and restore (B15), run by `make bench`; not a test.

On a SQLite file and on a throwaway PostgreSQL database: the demo data, then 10 000 meetings (the
search benchmark's generator) with one document each and a real file of BENCH_FILE_KB kilobytes
(random bytes: PDFs hardly compress either). Each time `manage.py backup` into a zstd archive, then
`manage.py restore` into another, empty database and media folder in its own process; the times
are the commands' own (start-up of the process not included).

    .venv/bin/python scripts/bench_backup.py              # both databases
    .venv/bin/python scripts/bench_backup.py --run URL    # one database (used internally)
"""

import io
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import benchdb

BASE = Path(__file__).resolve().parent.parent
MEETINGS = int(os.environ.get("BENCH_BACKUP_MEETINGS", 10_000))
FILE_KB = int(os.environ.get("BENCH_FILE_KB", 64))


def _empty_database(url: str, folder: Path) -> tuple[str, Any]:
    """Another empty database of the same engine, and how to drop it afterwards."""
    if url.startswith("sqlite"):
        path = folder / f"restored-{uuid.uuid4().hex[:6]}.sqlite3"
        return f"sqlite:///{path}", lambda: None
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    admin: dict[str, Any] = {"host": cfg["HOST"], "port": cfg["PORT"] or 5432, "user": cfg["USER"]}
    name = f"hkg_bench_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(**admin, dbname="postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url.rsplit("/", 1)[0] + "/" + name, drop


def measure(label: str, url: str, folder: Path) -> None:
    from django.core.management import call_command
    from django.db import connection

    archive = folder / f"{label}.tar.zst"
    out = io.StringIO()
    began = time.perf_counter()
    call_command("backup", output=archive, stdout=out)
    backup_s = time.perf_counter() - began
    target_url, drop = _empty_database(url, folder)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "MEDIA_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_SECRET_KEY": "bench-only",
        "DATABASE_URL": target_url,
        "MEDIA_ROOT": str(folder / f"restored-{label}"),
    }
    try:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "restore", str(archive)],
            cwd=BASE,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        drop()
    restore_s = float(re.findall(r"in ([\d.]+) s\.", done.stdout)[-1])
    sizes = re.search(r"database (\d+) bytes, (\d+) files of (\d+) bytes", out.getvalue())
    assert sizes is not None, out.getvalue()
    database_bytes, files, file_bytes = map(int, sizes.groups())
    print(
        f"{connection.vendor:10} {label:14} database {database_bytes / 1e6:6.1f} MB, {files:6} "
        f"files {file_bytes / 1e6:7.1f} MB -> archive {archive.stat().st_size / 1e6:7.1f} MB; "
        f"backup {backup_s:6.1f} s, restore {restore_s:6.1f} s",
        flush=True,
    )
    archive.unlink()


def add_documents_with_files() -> int:
    """One document per meeting that has none, and a real file for every version."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from documents.models import Document, DocumentVersion
    from meetings.models import Meeting
    from portal.generate import office_and_clerk

    _, clerk = office_and_clerk()
    bare = Meeting.objects.filter(documents__isnull=True)
    documents = Document.objects.bulk_create(
        [Document(meeting=m, title=f"Tờ trình {m.pk}", created_by=clerk) for m in bare],
        batch_size=2000,
    )
    versions = DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=d,
                file="x",
                original_name="to-trinh.pdf",
                content_type="application/pdf",
                size=FILE_KB * 1024,
                uploaded_by=clerk,
            )
            for d in documents
        ],
        batch_size=2000,
    )
    for document, version in zip(documents, versions, strict=True):
        document.current = version
    Document.objects.bulk_update(documents, ["current"], batch_size=2000)
    every = list(DocumentVersion.objects.filter(file__in=["x", "generated.pdf"]))
    for version in every:
        name = f"documents/bench/{version.pk % 100:02d}/{version.pk}.pdf"
        content = ContentFile(b"%PDF-1.4\n" + os.urandom(FILE_KB * 1024 - 9))
        version.file.name = default_storage.save(name, content)
    DocumentVersion.objects.bulk_update(every, ["file"], batch_size=2000)
    return len(every)


def run_one(url: str) -> None:
    os.environ.update(
        {"DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url, "TASK_SYNC": "1"}
    )
    sys.path.insert(0, str(BASE))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from portal.generate import Size, generate

    with tempfile.TemporaryDirectory(prefix="hkg-bench-backup-") as scratch:
        folder = Path(scratch)
        settings.MEDIA_ROOT = str(folder / "media")
        call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
        measure("demo", url, folder)
        generate(Size(MEETINGS, 200, 10, 20_000, showcase=False), progress=lambda *a: None)
        files = add_documents_with_files()
        print(f"{'':10} built {MEETINGS} meetings, {files} documents of {FILE_KB} KB", flush=True)
        measure(f"{MEETINGS} meetings", url, folder)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--run":
        run_one(sys.argv[2])
        return
    benchdb.on_each_database(__file__)


if __name__ == "__main__":
    main()
