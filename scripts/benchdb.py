"""What both benchmarks share: run a script's `--run URL` once on a migrated SQLite file and once
on a throwaway PostgreSQL database (skipped with a message when no server answers)."""

import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

BASE = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/hopkhonggiay")


def migrate(url: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=BASE, env=env, check=True
    )


def _run(script: str, url: str) -> None:
    migrate(url)
    subprocess.run([sys.executable, script, "--run", url], cwd=BASE, check=True)  # noqa: S603


def on_each_database(script: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _run(script, f"sqlite:///{folder}/bench.sqlite3")
    try:
        import dj_database_url
        import psycopg

        cfg = dj_database_url.parse(PG_URL)
        admin: dict[str, Any] = {
            "host": cfg["HOST"],
            "port": cfg["PORT"] or 5432,
            "user": cfg["USER"],
        }
        name = f"hkg_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(**admin, dbname="postgres", autocommit=True, connect_timeout=3) as c:
            c.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # no PostgreSQL here: SQLite only
        print(f"postgresql not measured: {exc}")
        return
    try:
        _run(script, PG_URL.rsplit("/", 1)[0] + "/" + name)
    finally:
        with psycopg.connect(**admin, dbname="postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
