"""Upgrading without loss: a database made by the previous release (migrated and filled with
`load_demo` by that release's code) is migrated forward by this one. Every table and column the
previous release had keeps every row and value; the meetings' free-text agendas became agenda items.

The fixture is refreshed at each release (see the README, "Upgrading")."""

import gzip
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
FIXTURE = Path(__file__).parent / "data" / "release-e0ea33e.sqlite3.gz"
# Django's own bookkeeping grows with every release: new migrations, content types and their
# permissions, and the task queue's schedules a new capability adds (task and opinion reminders).
# Rows are only added there; the old ones must stay.
GROWS = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "django_q_schedule",
    # The roll per named person: each attendee a unit named gets a copy of the unit's mark, which
    # stays as it was taken.
    "attendance_presence",
}
MARKER = re.compile(r"^\s*(?:\d{1,3}[.)]|[-\u2013\u2022*+])\s+")


def snapshot(path: Path, tables: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table (of the given tables and columns, when given), in a stable order."""
    with sqlite3.connect(path) as db:
        if tables is None:
            names = [
                row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            tables = {
                name: [col[1] for col in db.execute(f'PRAGMA table_info("{name}")')]
                for name in names
            }
        rows = {}
        for name, columns in tables.items():
            listed = ", ".join(f'"{c}"' for c in columns)
            rows[name] = sorted(db.execute(f'SELECT {listed} FROM "{name}"').fetchall(), key=repr)
        return rows


def columns(path: Path) -> dict[str, list[str]]:
    with sqlite3.connect(path) as db:
        # sqlite_sequence is SQLite's own counter of ids, not data.
        names = [
            r[0]
            for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] != "sqlite_sequence"
        ]
        return {n: [c[1] for c in db.execute(f'PRAGMA table_info("{n}")')] for n in names}


def test_the_previous_release_migrates_forward_without_loss(tmp_path):
    database = tmp_path / "upgraded.sqlite3"
    with gzip.open(FIXTURE) as packed, database.open("wb") as out:
        shutil.copyfileobj(packed, out)
    before_columns = columns(database)
    before = snapshot(database, before_columns)
    assert before["meetings_meeting"], "the fixture holds the demo's meetings"

    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "1"],
        cwd=BASE,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"sqlite:///{database}",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Applying meetings.0006_agenda_items" in done.stdout, (
        "the fixture predates this release's migrations:\n" + done.stdout
    )

    after_columns = columns(database)
    for table, cols in before_columns.items():
        assert table in after_columns, f"table {table} was dropped"
        missing = set(cols) - set(after_columns[table])
        assert not missing, f"{table} lost columns {sorted(missing)}"
    after = snapshot(database, before_columns)
    for table, rows in before.items():
        if table in GROWS:
            lost = set(rows) - set(after[table])
            assert not lost, f"{table} lost {len(lost)} rows, e.g. {sorted(lost, key=repr)[:3]}"
        else:
            assert len(after[table]) == len(rows), (
                f"{table}: {len(rows)} rows before, {len(after[table])} after"
            )
            assert after[table] == rows, f"{table}: values changed by the upgrade"

    with sqlite3.connect(database) as db:
        agendas = db.execute(
            "SELECT id, agenda FROM meetings_meeting WHERE agenda <> ''"
        ).fetchall()
        assert agendas, "the demo's meetings have free-text agendas"
        for pk, agenda in agendas:
            expected = [
                MARKER.sub("", line.strip(), count=1) or line.strip()
                for line in agenda.splitlines()
                if line.strip()
            ]
            items = [
                row[0]
                for row in db.execute(
                    "SELECT title FROM meetings_agendaitem WHERE meeting_id = ? ORDER BY position",
                    [pk],
                )
            ]
            assert items == expected, f"meeting {pk}: agenda {agenda!r} became {items!r}"
