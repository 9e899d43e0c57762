"""The database half of a backup: a consistent dump taken while the app runs, the row counts and
migration state of that same snapshot, and the restore into an empty database.

PostgreSQL: a REPEATABLE READ transaction exports its snapshot; the counts are read in it and
`pg_dump --snapshot` dumps exactly it. SQLite: the online backup API copies the database into a
file in one step (readers do not block writers in WAL mode), and the counts are read from the copy.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from .archive import ArchiveError


class BackupError(Exception):
    """Something outside the archive stops the backup or restore (a tool, the target)."""


def engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


@dataclass
class Snapshot:
    path: Path
    row_counts: dict[str, int]
    migrations: dict[str, str]
    server_version: str


def _last_migrations(rows: list[tuple[str, str]]) -> dict[str, str]:
    last: dict[str, str] = {}
    for app, name in rows:
        if name > last.get(app, ""):
            last[app] = name
    return dict(sorted(last.items()))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# ---- PostgreSQL -------------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    """libpq's variables for the configured database, so that no password reaches a command line."""
    settings_dict = connection.settings_dict
    options = settings_dict.get("OPTIONS") or {}
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": str(settings_dict.get("PORT") or ""),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
        "PGPASSFILE": options.get("passfile"),
        "PGSERVICE": options.get("service"),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _tool_major(path: str) -> int | None:
    try:
        out = subprocess.run(  # noqa: S603 (a PostgreSQL tool found on this machine)
            [path, "--version"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(found.group(1)) if found else None


def pg_tool(name: str, server_major: int) -> str:
    """pg_dump or pg_restore of the server's major version, or else the lowest newer one (an older
    pg_dump refuses a newer server); Debian installs each version under /usr/lib/postgresql/."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    on_path = shutil.which(name)
    if on_path:
        candidates.append(on_path)
    usable = []
    for path in candidates:
        major = _tool_major(path)
        if major is not None and major >= server_major:
            usable.append((major != server_major, major, path))
    if not usable:
        raise BackupError(
            f"{name} {server_major} (or newer) is needed for this PostgreSQL {server_major} server "
            f"and was not found. Install it: `make backup-deps` (Debian's postgresql-client), or "
            f"postgresql-client-{server_major} from apt.postgresql.org when Debian's is older."
        )
    return sorted(usable)[0][2]


def _server_major() -> int:
    connection.ensure_connection()
    return int(connection.pg_version) // 10000  # type: ignore[attr-defined]


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY 1"
    )
    return [row[0] for row in cursor.fetchall()]


def _count(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")  # noqa: S608 (catalogue names)
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _pg_dump(target: Path, *, compress: bool) -> Snapshot:
    import psycopg

    major = _server_major()
    tool = pg_tool("pg_dump", major)
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot_id, server_version = cursor.fetchone()
            counts = _count(cursor, _pg_tables(cursor))
            migrations: list[tuple[str, str]] = []
            if "django_migrations" in counts:
                cursor.execute("SELECT app, name FROM django_migrations")
                migrations = list(cursor.fetchall())
            # The archive is compressed as a whole: compressing the dump too would only cost time.
            command = [tool, "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"]
            if not compress:
                command.append("--compress=0")
            done = subprocess.run(  # noqa: S603
                command, env=_pg_env(), capture_output=True, text=True, check=False
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        raw.rollback()
    finally:
        raw.close()
    return Snapshot(target, counts, _last_migrations(migrations), str(server_version))


def _pg_restore(dump: Path) -> None:
    tool = pg_tool("pg_restore", _server_major())
    settings_dict = connection.settings_dict
    done = subprocess.run(  # noqa: S603
        [
            tool,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={settings_dict['NAME']}",
            str(dump),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed, nothing was restored: {done.stderr.strip()}")
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics are not part of a dump


# ---- SQLite -------------------------------------------------------------------------------


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]


def _sqlite_dump(target: Path) -> Snapshot:
    connection.ensure_connection()
    source = connection.connection
    copy = sqlite3.connect(target)
    try:
        # One step: a consistent copy; in WAL mode the app's writers go on meanwhile.
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        cursor = copy.cursor()
        counts = _count(cursor, _sqlite_tables(copy))
        migrations = []
        if "django_migrations" in counts:
            migrations = cursor.execute("SELECT app, name FROM django_migrations").fetchall()
        version = sqlite3.sqlite_version
    finally:
        copy.close()
    return Snapshot(target, counts, _last_migrations(migrations), version)


def _sqlite_restore(copy_path: Path) -> None:
    copy = sqlite3.connect(copy_path)
    try:
        connection.ensure_connection()
        copy.backup(connection.connection)
    finally:
        copy.close()
    connection.close()


# ---- both -------------------------------------------------------------------------------------


def dump(target: Path, *, compress: bool) -> Snapshot:
    if engine() == "postgresql":
        return _pg_dump(target, compress=compress)
    if engine() == "sqlite":
        return _sqlite_dump(target)
    raise BackupError(f"backing up a {connection.vendor} database is not supported")


def restore(dump_path: Path) -> None:
    if engine() == "postgresql":
        _pg_restore(dump_path)
    else:
        _sqlite_restore(dump_path)


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        if engine() == "postgresql":
            return _count(cursor, _pg_tables(cursor))
        return _count(cursor, _sqlite_tables(connection.connection))


def tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def drop_everything() -> None:
    """For `restore --force`: the target's tables go, so that the dump's can be created."""
    names = tables()
    with connection.cursor() as cursor:
        if engine() == "postgresql":
            for name in names:
                cursor.execute(f"DROP TABLE IF EXISTS {_quote(name)} CASCADE")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for name in names:
                cursor.execute(f"DROP TABLE IF EXISTS {_quote(name)}")
    connection.close()


def check_migrations_known(migrations: dict[str, str]) -> None:
    """Refuse an archive made by a newer version of the product: its tables would not match."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in migrations.items() if (app, name) not in known]
    if unknown:
        raise ArchiveError(
            "the archive comes from a newer version of the product (unknown migrations: "
            + ", ".join(unknown[:5])
            + "); install that version first, restore, then upgrade"
        )


@contextmanager
def scratch(folder: Path, name: str) -> Iterator[Path]:
    path = folder / name
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)
