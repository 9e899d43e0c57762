"""How the database connection is set up from DATABASE_URL (config/settings/base.py)."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

PRINT_OPTIONS = (
    "import json; from config.settings import base; "
    "print(json.dumps(base.DATABASES['default'].get('OPTIONS', {})))"
)


def options_with(**env: str) -> dict:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRINT_OPTIONS],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": "postgres://hkg@db.example/hkg", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_postgresql_connections_turn_jit_off_unless_told_otherwise() -> None:
    assert "-c jit=off" in options_with()["options"]
    assert "-c jit=on" in options_with(PG_JIT="on")["options"]
    assert "-c random_page_cost=1.1" in options_with(PG_JIT="on")["options"]


@pytest.mark.django_db
def test_the_suite_s_postgresql_connection_runs_without_jit() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
